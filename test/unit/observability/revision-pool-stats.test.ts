/** A revision pool's stats, which the service gauges read: instances by state and requests waiting. */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { test } from "node:test";
import { listen } from "../../../src/http/index.js";
import { type PoolableInstance, RevisionPool } from "../../../src/services/revision-pool.js";

class HttpInstance implements PoolableInstance {
  readonly server: Server = createServer((_request, response) => response.end("ok"));
  port = 0;
  readonly ready: Promise<void>;
  #exit!: () => void;
  readonly exited = new Promise<void>((resolve) => {
    this.#exit = resolve;
  });
  constructor() {
    this.ready = listen(this.server, 0, "127.0.0.1").then((port) => {
      this.port = port;
    });
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    this.#exit();
  }
  crash(): void {
    void this.stop();
  }
}

test("instances starting, busy and idle, and requests waiting for room", async () => {
  const pool = new RevisionPool(
    { concurrency: 1, minInstances: 0, maxInstances: 1, idleTimeoutMs: 60_000 },
    () => new HttpInstance(),
    { onStartFailure: (error) => assert.fail(String(error)), onRestartDelayed: () => {} },
  );
  const first = pool.acquire();
  assert.deepEqual(pool.stats, { starting: 1, idle: 0, busy: 0, pending: 1 });
  const lease = await first;
  assert.ok(lease !== "unavailable");
  assert.deepEqual(pool.stats, { starting: 0, idle: 0, busy: 1, pending: 0 });
  const second = pool.acquire();
  assert.deepEqual(pool.stats, { starting: 0, idle: 0, busy: 1, pending: 1 });
  lease.release();
  const next = await second;
  assert.ok(next !== "unavailable");
  next.release();
  assert.deepEqual(pool.stats, { starting: 0, idle: 1, busy: 0, pending: 0 });
  await pool.close();
});
