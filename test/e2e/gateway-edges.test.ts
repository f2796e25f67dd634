/**
 * The gateway at the edges of HTTP, through `portico dev` and raw sockets: requests RFC 9112 says to refuse or
 * to read another way, clients too slow to finish a request, throttled invocations, and the budget of request
 * bodies held at once.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";
import { exchange, jsonBodyOf, rawConnection, statusOf } from "../helpers/raw-connection.js";

const fixture = join(fixturesDir, "projects", "gateway-edges");

describe("the gateway", { concurrency: true }, () => {
  describe("HTTP edges", { concurrency: true }, () => {
    let portico: PorticoProcess;
    let port: number;

    before(async () => {
      ({ portico, port } = await startDev(fixture));
      // The service's first instance is up once dev prints its URLs; wait for it to listen as well.
      await portico.waitFor(/\[stream\] \S+ instance-\d+: listening on/, { timeoutMs: 30_000 });
    });
    after(() => portico?.stop());

    for (const host of ["api.localhost", "stream.localhost"]) {
      test(`two Host headers get 400 and the connection closes (${host})`, async () => {
        const { reply } = await exchange(
          port,
          `GET /echo/a HTTP/1.1\r\nHost: ${host}\r\nHost: ${host}\r\n\r\n`,
        );
        assert.equal(statusOf(reply), 400, reply);
        assert.match(reply, /\r\nConnection: close\r\n/i);
        assert.deepEqual(jsonBodyOf(reply), { message: "Bad Request: more than one Host header (send one)" });
      });
    }

    test("an absolute-form target is routed by its authority, not Host, and rawPath is its path", async () => {
      const { reply } = await exchange(
        port,
        `GET http://other.localhost:${port}/echo/a%20b?q=1 HTTP/1.1\r\nHost: api.localhost\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(statusOf(reply), 200, reply);
      assert.deepEqual(jsonBodyOf(reply), {
        api: "other",
        rawPath: "/echo/a b",
        rawQueryString: "q=1",
        host: `other.localhost:${port}`,
        bodyLength: 0,
      });
    });

    test("a service gets an absolute-form request in origin form, with the target's authority as Host", async () => {
      const response = await send({
        port,
        path: "http://stream.localhost/some/path?x=1",
        headers: { host: "api.localhost" },
      });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json(), { url: "/some/path?x=1", host: "stream.localhost", bytes: 0 });
    });

    test("a request line without an HTTP version gets 400 and the connection closes", async () => {
      const { reply } = await exchange(port, "GET /echo/a\r\nHost: api.localhost\r\n\r\n");
      assert.equal(statusOf(reply), 400, reply);
      assert.match((jsonBodyOf(reply) as { message: string }).message, /^Bad Request: .*no HTTP version/);
    });

    test("a request Node cannot parse gets 400 with a JSON body, and the connection closes", async () => {
      const { reply } = await exchange(port, "BREW /pot HTCPCP/1.0\r\n\r\n");
      assert.equal(statusOf(reply), 400, reply);
      assert.match(reply, /\r\nContent-Type: application\/json\r\n/);
      assert.match(
        (jsonBodyOf(reply) as { message: string }).message,
        /^Bad Request: malformed request \(.+\)$/,
      );
    });

    test("a request head that never ends gets 408 when the 10 s for headers are up, and the connection closes", async () => {
      const { reply, closedAfterMs } = await exchange(port, "GET /echo/a\r\n", 20_000);
      assert.equal(statusOf(reply), 408, reply);
      assert.deepEqual(jsonBodyOf(reply), { message: "Request Timeout" });
      assert.ok(closedAfterMs >= 9_500 && closedAfterMs < 13_000, `closed after ${closedAfterMs} ms`);
    });

    test("a body trickled at 1 byte/s is cut with 408 when the 30 s for a request are up", async () => {
      const connection = rawConnection(port, 45_000);
      connection.socket.write(
        "POST /echo/slow HTTP/1.1\r\nHost: api.localhost\r\nContent-Length: 100\r\n\r\n",
      );
      const trickle = setInterval(() => {
        if (!connection.socket.destroyed) connection.socket.write("x");
      }, 1_000);
      try {
        const closedAfterMs = await connection.closed;
        assert.equal(statusOf(connection.reply()), 408, connection.reply());
        assert.ok(closedAfterMs >= 29_500 && closedAfterMs < 33_000, `closed after ${closedAfterMs} ms`);
      } finally {
        clearInterval(trickle);
      }
    });

    test("a service request whose body streams for longer than that is not cut", async () => {
      const chunk = Buffer.alloc(4096, "s");
      const chunks = 132; // one every 250 ms: 33 s
      const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(
          { host: "127.0.0.1", port, method: "POST", path: "/upload", headers: { host: "stream.localhost" } },
          (res) => {
            let body = "";
            res.on("data", (data: Buffer) => {
              body += data.toString("utf8");
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        request.on("error", reject);
        let sent = 0;
        const timer = setInterval(() => {
          if (request.destroyed) return clearInterval(timer);
          request.write(chunk);
          if (++sent === chunks) {
            clearInterval(timer);
            request.end();
          }
        }, 250);
      });
      assert.equal(response.status, 200, response.body);
      assert.equal((JSON.parse(response.body) as { bytes: number }).bytes, chunk.length * chunks);
    });

    test("a function running 5 s answers 200", async () => {
      const response = await send({
        port,
        path: "/sleep?ms=5000",
        headers: { host: "api.localhost" },
        timeoutMs: 20_000,
      });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json(), { slept: 5000 });
    });

    test("past its route's integration timeout a request gets 503, not before, and the function runs on", async () => {
      const mark = portico.output.length;
      const startedAt = performance.now();
      const response = await send({
        port,
        path: "/impatient?ms=1500",
        headers: { host: "api.localhost" },
        timeoutMs: 20_000,
      });
      const elapsedMs = performance.now() - startedAt;
      assert.equal(response.status, 503, response.text);
      assert.deepEqual(response.json(), { message: "Service Unavailable" });
      assert.ok(elapsedMs >= 300 && elapsedMs < 1500, `answered after ${elapsedMs} ms`);
      // As on AWS, the function is not stopped: it finishes its 1.5 s and reports them.
      await portico.waitFor(/\[sleeper\] REPORT RequestId: \S+\tDuration: 1[5-9]\d\d\.\d\d ms/, {
        from: mark,
        timeoutMs: 10_000,
      });
    });

    test("a throttled invocation answers 500 and is logged, naming the function and why", async () => {
      const mark = portico.output.length;
      const busy = (ms: number) =>
        send({ port, path: `/busy?ms=${ms}`, headers: { host: "api.localhost" }, timeoutMs: 20_000 });
      // concurrency 1: while the first runs, the second waits 5 s for the instance, then is throttled.
      const first = busy(7_000);
      await portico.waitFor(/\[busy\] [^\n]*sleeping 7000 ms/, { from: mark });
      const second = await busy(100);
      assert.equal(second.status, 500, second.text);
      assert.deepEqual(second.json(), { message: "Internal Server Error" });
      await portico.waitFor(
        /busy: invocation throttled \(TooManyRequestsException: Rate Exceeded\.\); answered 500\n/,
        { from: mark },
      );
      assert.equal((await first).status, 200);
    });
  });

  describe("the budget of request bodies held at once", { concurrency: 1 }, () => {
    let portico: PorticoProcess;
    let port: number;
    // With a 1 MiB budget one 200 kB body fits (it holds ~0.7 MB with its event), two do not.
    const bodyBytes = 200_000;

    before(async () => {
      ({ portico, port } = await startDev(fixture, ["--max-buffered-body-mb", "1"]));
    });
    after(() => portico?.stop());

    const upload = () =>
      send({
        port,
        method: "POST",
        path: "/echo/upload",
        headers: { host: "api.localhost", "content-type": "application/octet-stream" },
        body: Buffer.alloc(bodyBytes, 1),
      });

    test("past the budget, 429 Too Many Requests, logged; an aborted request gives its share back", async () => {
      // The gateway reserves a declared body before it asks for it with 100 Continue.
      const held = rawConnection(port);
      held.socket.write(
        `POST /echo/held HTTP/1.1\r\nHost: api.localhost\r\nContent-Length: ${bodyBytes}\r\nExpect: 100-continue\r\n\r\n`,
      );
      await held.waitFor(/^HTTP\/1\.1 100 Continue\r\n\r\n/);

      const mark = portico.output.length;
      const refused = await upload();
      assert.equal(refused.status, 429, refused.text);
      assert.deepEqual(refused.json(), { message: "Too Many Requests" });
      await portico.waitFor(
        /gateway: answered 429 to POST \/echo\/upload on api\.localhost: [^\n]*budget \(0\.7 of 1\.0 MB held by 1 request\(s\)/,
        { from: mark },
      );

      held.socket.destroy();
      // No event tells the client that the gateway has seen the abort: retry, bounded in time.
      const deadline = Date.now() + 5_000;
      let status = 429;
      while (status === 429 && Date.now() < deadline) status = (await upload()).status;
      assert.equal(status, 200, "the aborted request's share was given back");
    });

    test("a chunked body is counted as it arrives, and refused once it would pass the budget", async () => {
      const connection = rawConnection(port);
      connection.socket.write(
        "POST /echo/chunked HTTP/1.1\r\nHost: api.localhost\r\nTransfer-Encoding: chunked\r\n\r\n",
      );
      const piece = "y".repeat(100_000);
      // 100 kB at a time: the 3rd piece takes the body past what 1 MiB can hold (300 kB holds ~1.1 MB).
      for (let i = 0; i < 3; i++) connection.socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
      await connection.waitFor(
        /^HTTP\/1\.1 429 Too Many Requests\r\n[\s\S]*\{"message":"Too Many Requests"\}/,
      );
      connection.socket.destroy();

      const response = await upload();
      assert.equal(response.status, 200, response.text);
      assert.equal((response.json() as { bodyLength: number }).bodyLength, bodyBytes);
    });
  });
});
