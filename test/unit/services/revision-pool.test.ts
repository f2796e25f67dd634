/** Revision pool admission and scaling, with in-process HTTP servers standing in for instance processes. */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { test } from "node:test";
import { listen } from "../../../src/http/index.js";
import {
  type PoolableInstance,
  RevisionPool,
  type RevisionPoolSettings,
} from "../../../src/services/revision-pool.js";
import { proxyRequest } from "../../../src/services/service-proxy.js";
import { send } from "../../helpers/http-client.js";

class HttpInstance implements PoolableInstance {
  static started = 0;
  readonly server: Server = createServer((_request, response) => response.end("ok"));
  port = 0;
  readonly ready: Promise<void>;
  #exit!: () => void;
  readonly exited = new Promise<void>((resolve) => {
    this.#exit = resolve;
  });
  constructor() {
    HttpInstance.started++;
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

function makePool(settings: Partial<RevisionPoolSettings> = {}) {
  const instances: HttpInstance[] = [];
  const pool = new RevisionPool(
    { concurrency: 1, minInstances: 0, maxInstances: 2, idleTimeoutMs: 60_000, ...settings },
    () => {
      const instance = new HttpInstance();
      instances.push(instance);
      return instance;
    },
    {
      onStartFailure: (error) => assert.fail(String(error)),
      onRestartDelayed: () => {},
    },
  );
  return { pool, instances };
}

test("scales out when instances are full, up to maxInstances; beyond that requests wait for a free one", async () => {
  const { pool, instances } = makePool();
  const first = await pool.acquire();
  const second = await pool.acquire();
  assert.ok(first !== "unavailable" && second !== "unavailable");
  assert.equal(instances.length, 2);
  let thirdGranted = false;
  const third = Promise.resolve(pool.acquire()).then((lease) => {
    thirdGranted = true;
    return lease;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(thirdGranted, false, "both instances are at their concurrency");
  first.release();
  const lease = await third;
  assert.ok(lease !== "unavailable");
  assert.equal(lease.connections, first.connections, "it got the freed instance");
  assert.equal(instances.length, 2);
  lease.release();
  second.release();
  await pool.close();
});

test("the lease's connection pool reaches the instance", async () => {
  const { pool } = makePool();
  const lease = await pool.acquire();
  assert.ok(lease !== "unavailable");
  const front = createServer((request, response) => {
    void proxyRequest(lease.connections, request, response, { forwardedProto: "http", timeoutMs: 5_000 });
  });
  const response = await send({ port: await listen(front, 0, "127.0.0.1"), path: "/" });
  assert.equal(response.text, "ok");
  front.close();
  lease.release();
  await pool.close();
});

test("minInstances start at once and a crashed instance is replaced", async () => {
  const { pool, instances } = makePool({ minInstances: 1 });
  assert.equal(pool.instanceCount, 1);
  await instances[0]?.ready;
  const lease = await pool.acquire();
  assert.ok(lease !== "unavailable");
  lease.release();
  instances[0]?.crash();
  await instances[0]?.exited;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(instances.length, 2, "a replacement started to keep the minimum");
  await pool.close();
});

test("idle instances above the minimum stop after the idle timeout (scale to zero)", async () => {
  const { pool, instances } = makePool({ idleTimeoutMs: 100 });
  const lease = await pool.acquire();
  assert.ok(lease !== "unavailable");
  lease.release();
  const hold = setTimeout(() => {}, 5000);
  await instances[0]?.exited;
  clearTimeout(hold);
  assert.equal(pool.instanceCount, 0);
  await pool.close();
});
