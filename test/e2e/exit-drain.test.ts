/**
 * What `portico dev` does with requests in flight when it is told to stop (SIGTERM, as Cloud Run stops an
 * instance): function invocations and service requests get up to 10 s to finish, and are cut after that.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { send, type TestResponse } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

const fixture = join(fixturesDir, "projects", "gateway-edges");

/** How a request ended, and when. */
interface Ending {
  readonly response?: TestResponse;
  readonly error?: Error;
  readonly at: number;
}

function ending(request: Promise<TestResponse>): Promise<Ending> {
  return request.then(
    (response) => ({ response, at: Date.now() }),
    (error: Error) => ({ error, at: Date.now() }),
  );
}

/** Starts a function invocation and a service request that each run `ms`; resolves once both are in flight. */
async function inFlight(portico: PorticoProcess, port: number, ms: number): Promise<Array<Promise<Ending>>> {
  await portico.waitFor(/\[stream\] \S+ instance-\d+: listening on/, { timeoutMs: 30_000 });
  const mark = portico.output.length;
  const request = (host: string, path: string) =>
    ending(send({ port, path, headers: { host }, timeoutMs: 40_000 }));
  const requests = [
    request("api.localhost", `/sleep?ms=${ms}`),
    request("stream.localhost", `/slow?ms=${ms}`),
  ];
  await portico.waitFor(new RegExp(`\\[sleeper\\] [^\\n]*sleeping ${ms} ms`), { from: mark });
  await portico.waitFor(new RegExp(`\\[stream\\] [^\\n]*slow request started \\(${ms} ms\\)`), {
    from: mark,
  });
  return requests;
}

async function exitCode(portico: PorticoProcess, withinMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`portico dev still running after ${withinMs} ms`)), withinMs);
  });
  try {
    return await Promise.race([portico.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe("portico dev on SIGTERM", { concurrency: true }, () => {
  test("a function invocation and a service request in flight finish with 200, then dev exits 0", async () => {
    const { portico, port } = await startDev(fixture);
    try {
      const requests = await inFlight(portico, port, 2_000);
      portico.child.kill("SIGTERM");
      for (const { response, error } of await Promise.all(requests)) {
        assert.equal(response?.status, 200, error?.message ?? response?.text);
      }
      assert.equal(await exitCode(portico, 10_000), 0);
    } finally {
      await portico.stop();
    }
  });

  test("requests still running 10 s after SIGTERM are cut, and dev exits 0", async () => {
    const { portico, port } = await startDev(fixture);
    try {
      const requests = await inFlight(portico, port, 20_000);
      const signalledAt = Date.now();
      portico.child.kill("SIGTERM");
      for (const { response, error, at } of await Promise.all(requests)) {
        assert.notEqual(response?.status, 200, "a request still running at the drain limit is cut");
        const after = at - signalledAt;
        assert.ok(after >= 9_500 && after < 13_000, `cut ${after} ms after SIGTERM (${error?.message})`);
      }
      assert.equal(await exitCode(portico, 15_000), 0);
    } finally {
      await portico.stop();
    }
  });
});
