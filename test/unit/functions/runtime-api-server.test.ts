/**
 * The Runtime API server against runtimes that misbehave, over real sockets: calls out of turn,
 * wrong request ids, bodies over the limit, connections dropped mid-request. Each gets AWS's answer
 * (aws.md §7), and nothing a runtime does makes the server throw.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { after, afterEach, before, describe, test } from "node:test";
import fc from "fast-check";
import { RuntimeProtocolError } from "../../../src/functions/function-instance.js";
import type { InstanceReply, Invocation } from "../../../src/functions/invocation.js";
import { RuntimeApiServer } from "../../../src/functions/runtime-api/runtime-api-server.js";

const API = "/2018-06-01/runtime";
const WAIT_MS = 10_000;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Crashes would otherwise end the test process; they are collected and must stay empty. */
const uncaught: unknown[] = [];
const collect = (error: unknown) => uncaught.push(error);
before(() => {
  process.on("uncaughtException", collect);
  process.on("unhandledRejection", collect);
});
after(() => {
  process.off("uncaughtException", collect);
  process.off("unhandledRejection", collect);
});
afterEach(() => assert.deepEqual(uncaught, []));

const servers: RuntimeApiServer[] = [];
after(() => {
  for (const server of servers) server.close();
});

async function startServer(): Promise<{ server: RuntimeApiServer; port: number }> {
  const server = new RuntimeApiServer();
  servers.push(server);
  const address = await server.listen();
  return { server, port: Number(address.split(":")[1]) };
}

function call(
  port: number,
  method: string,
  path: string,
  body?: string | Buffer,
  headers = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A raw connection that has sent `data`. */
function rawConnection(port: number, data: string | Buffer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(data, () => resolve(socket)));
    socket.on("error", reject);
  });
}

/** A POST whose head announces `length` bytes, followed by only `sent` of them. */
function partialPost(
  port: number,
  path: string,
  length: number,
  sent: number,
  headers = "",
): Promise<Socket> {
  const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${length}\r\n${headers}\r\n`;
  return rawConnection(port, head + "x".repeat(sent));
}

/** Everything the server sends on a raw connection until it closes it or `until` matches. */
function readRaw(socket: Socket, until: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const done = () => resolve(text);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (until.test(text)) done();
    });
    socket.once("close", done);
  });
}

function invocation(requestId: string): Invocation {
  return {
    requestId,
    payload: '{"event":1}',
    deadlineMs: Date.now() + 60_000,
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:fn",
    traceId: undefined,
  };
}

/** A server whose runtime has called `next` and holds invocation `id`. */
async function serving(id = "req-1") {
  const { server, port } = await startServer();
  const reply = server.invoke(invocation(id));
  const next = await call(port, "GET", `${API}/invocation/next`);
  assert.equal(next.status, 200);
  assert.equal(next.headers["lambda-runtime-aws-request-id"], id);
  return { server, port, reply };
}

const stateTransition = (from: string, to: string) => ({
  errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: State transition is not allowed`,
  errorType: "InvalidStateTransition",
});

describe("replies", { timeout: WAIT_MS }, () => {
  test("a response is accepted with 202 and becomes the invocation's reply", async () => {
    const { port, reply } = await serving();
    const answer = await call(port, "POST", `${API}/invocation/req-1/response`, '{"ok":true}');
    assert.equal(answer.status, 202);
    assert.deepEqual(JSON.parse(answer.body), { status: "OK" });
    const result = await reply;
    assert.equal(result.type, "success");
    assert.equal(result.payload.toString(), '{"ok":true}');
  });

  test("a response for another request id is 400 InvalidRequestID; the right one still counts", async () => {
    const { port, reply } = await serving();
    const wrong = await call(port, "POST", `${API}/invocation/someone-else/response`, "{}");
    assert.equal(wrong.status, 400);
    assert.deepEqual(JSON.parse(wrong.body), {
      errorMessage: "Invalid request ID",
      errorType: "InvalidRequestID",
    });
    const error = await call(port, "POST", `${API}/invocation/req-1/error`, '{"errorMessage":"no"}', {
      "Lambda-Runtime-Function-Error-Type": "Function.Bad",
    });
    assert.equal(error.status, 202);
    assert.deepEqual(await reply, {
      type: "error",
      errorType: "Function.Bad",
      payload: Buffer.from('{"errorMessage":"no"}'),
    });
  });

  test("an id that is not valid percent-encoding is 400 InvalidRequestID, not a crash", async () => {
    const { port } = await serving();
    const answer = await call(port, "POST", `${API}/invocation/%E0%A4%A/response`, "{}");
    assert.equal(answer.status, 400);
    assert.equal(JSON.parse(answer.body).errorType, "InvalidRequestID");
  });

  test("a second response is 403 InvalidStateTransition", async () => {
    const { port, reply } = await serving();
    assert.equal((await call(port, "POST", `${API}/invocation/req-1/response`, "1")).status, 202);
    const second = await call(port, "POST", `${API}/invocation/req-1/response`, "2");
    assert.equal(second.status, 403);
    assert.deepEqual(
      JSON.parse(second.body),
      stateTransition("RuntimeResponseSentState", "InvocationResponse"),
    );
    assert.equal((await reply).payload.toString(), "1");
  });

  test("a response before the runtime asked for work is 403 InvalidStateTransition", async () => {
    const { port } = await startServer();
    const answer = await call(port, "POST", `${API}/invocation/req-1/response`, "{}");
    assert.equal(answer.status, 403);
    assert.deepEqual(JSON.parse(answer.body), stateTransition("Started", "InvocationResponse"));
  });

  test("a runtime that drops the connection mid-response fails the invocation with RuntimeProtocolError", async () => {
    const { port, reply } = await serving();
    const socket = await partialPost(port, `${API}/invocation/req-1/response`, 1_000_000, 1000);
    socket.destroy();
    await assert.rejects(reply, (error: unknown) => {
      assert.ok(error instanceof RuntimeProtocolError);
      assert.match(error.message, /connection closed before its response for request req-1 was complete/);
      return true;
    });
    // The server lives on and answers by the state machine.
    const again = await call(port, "POST", `${API}/invocation/req-1/response`, "{}");
    assert.equal(again.status, 403);
  });

  test("a dropped connection with a wrong id or out of turn changes nothing", async () => {
    const { port, reply } = await serving();
    (await partialPost(port, `${API}/invocation/other/response`, 100, 10)).destroy();
    (await partialPost(port, `${API}/init/error`, 100, 10)).destroy();
    assert.equal((await call(port, "POST", `${API}/invocation/req-1/response`, "fine")).status, 202);
    assert.equal((await reply).payload.toString(), "fine");
  });
});

describe("payload limits", { timeout: WAIT_MS }, () => {
  const tooLarge = {
    errorMessage: "Exceeded maximum allowed payload size (6291556 bytes).",
    errorType: "RequestEntityTooLarge",
  };
  const responseTooLarge = {
    errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
    errorType: "Function.ResponseSizeTooLarge",
  };

  test("a Content-Length over 6 MB is answered 413 at once, without reading the body", async () => {
    const { port, reply } = await serving();
    const socket = await partialPost(port, `${API}/invocation/req-1/response`, 6_291_557, 0);
    const raw = await readRaw(socket, /\r\n\r\n\{.*\}$/s);
    socket.destroy();
    assert.match(raw, /^HTTP\/1\.1 413 /);
    assert.deepEqual(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)), tooLarge);
    const result = await reply;
    assert.equal(result.type, "error");
    assert.deepEqual(JSON.parse(result.payload.toString()), responseTooLarge);
  });

  test("a chunked body is answered 413 as soon as it passes 6 MB, before it ends", async () => {
    const { port, reply } = await serving();
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port, method: "POST", path: `${API}/invocation/req-1/response`, agent: false },
        (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on("end", () => {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
            req.destroy();
          });
        },
      );
      req.on("error", reject);
      // 6.5 MB in chunked encoding, and the request never ends.
      req.write(Buffer.alloc(6_500_000, 97));
    });
    assert.equal(answer.status, 413);
    assert.deepEqual(JSON.parse(answer.body), tooLarge);
    assert.deepEqual(JSON.parse((await reply).payload.toString()), responseTooLarge);
  });

  test("a response of exactly 6291556 bytes is accepted", async () => {
    const { port, reply } = await serving();
    const answer = await call(port, "POST", `${API}/invocation/req-1/response`, Buffer.alloc(6_291_556, 98));
    assert.equal(answer.status, 202);
    assert.equal((await reply).payload.length, 6_291_556);
  });
});

describe("init errors", { timeout: WAIT_MS }, () => {
  test("init/error before ready is accepted and fails the init with its error type", async () => {
    const { server, port } = await startServer();
    const answer = await call(port, "POST", `${API}/init/error`, '{"errorMessage":"boom"}', {
      "Lambda-Runtime-Function-Error-Type": "Runtime.ConfigInvalid",
    });
    assert.equal(answer.status, 202);
    assert.deepEqual(await server.initialized, {
      ok: false,
      errorType: "Runtime.ConfigInvalid",
      payload: Buffer.from('{"errorMessage":"boom"}'),
    });
    const next = await call(port, "GET", `${API}/invocation/next`);
    assert.equal(next.status, 403);
    assert.deepEqual(JSON.parse(next.body), stateTransition("InitError", "Ready"));
  });

  test("init/error after ready is 403 InvalidStateTransition", async () => {
    const { port } = await serving();
    const answer = await call(port, "POST", `${API}/init/error`, "{}");
    assert.equal(answer.status, 403);
    assert.deepEqual(JSON.parse(answer.body), stateTransition("Ready", "InitError"));
  });

  test("an init/error cut off mid-body still fails the init, with a note", async () => {
    const { server, port } = await startServer();
    const socket = await partialPost(
      port,
      `${API}/init/error`,
      500,
      20,
      "Lambda-Runtime-Function-Error-Type: Runtime.Oops\r\n",
    );
    socket.destroy();
    const init = await server.initialized;
    assert.equal(init.ok, false);
    assert.deepEqual(init.ok ? undefined : JSON.parse(init.payload.toString()), {
      errorType: "Runtime.Oops",
      errorMessage: "The runtime's connection closed before its init error report was complete.",
    });
  });
});

describe("long-polling next", { timeout: WAIT_MS }, () => {
  test("a runtime that hangs up while polling gets nothing; its next poll gets the invocation", async () => {
    const { server, port } = await startServer();
    const poll = await rawConnection(port, `GET ${API}/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.deepEqual(await server.initialized, { ok: true });
    poll.destroy();
    // A round trip on a new connection lets the server see the hang-up, which was sent first.
    assert.equal((await call(port, "GET", `${API}/nothing-here`)).status, 404);
    const reply = server.invoke(invocation("req-2"));
    const next = await call(port, "GET", `${API}/invocation/next`);
    assert.equal(next.headers["lambda-runtime-aws-request-id"], "req-2");
    assert.equal(next.body, '{"event":1}');
    await call(port, "POST", `${API}/invocation/req-2/response`, "ok");
    assert.equal((await reply).payload.toString(), "ok");
  });

  test("a second poll takes the place of the first, which is told so", async () => {
    const { server, port } = await startServer();
    const first = call(port, "GET", `${API}/invocation/next`);
    await server.initialized;
    const second = call(port, "GET", `${API}/invocation/next`);
    const older = await first;
    assert.equal(older.status, 403);
    assert.equal(JSON.parse(older.body).errorType, "InvalidStateTransition");
    void server.invoke(invocation("req-3"));
    assert.equal((await second).headers["lambda-runtime-aws-request-id"], "req-3");
  });

  test("close() ends every connection, and bodies cut off by it are ignored", async () => {
    const { server, port, reply } = await serving();
    let settled = false;
    reply.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const posting = await partialPost(port, `${API}/invocation/req-1/response`, 1000, 10);
    const closed = new Promise((resolve) => posting.once("close", resolve));
    server.close();
    await closed;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, "the instance reports the exit, not the server");
  });
});

describe("random request sequences (fast-check)", { timeout: 120_000 }, () => {
  type Action =
    | { kind: "next"; drop: boolean }
    | { kind: "invoke" }
    | { kind: "reply"; path: "response" | "error"; current: boolean; drop: boolean; oversized: boolean }
    | { kind: "initError"; drop: boolean }
    | { kind: "garbage"; bytes: Uint8Array };

  const action: fc.Arbitrary<Action> = fc.oneof(
    fc.record({ kind: fc.constant("next" as const), drop: fc.boolean() }),
    fc.record({ kind: fc.constant("invoke" as const) }),
    fc.record({
      kind: fc.constant("reply" as const),
      path: fc.constantFrom("response" as const, "error" as const),
      current: fc.boolean(),
      drop: fc.boolean(),
      oversized: fc.boolean(),
    }),
    fc.record({ kind: fc.constant("initError" as const), drop: fc.boolean() }),
    fc.record({
      kind: fc.constant("garbage" as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    }),
  );

  const DOCUMENTED = new Set([200, 202, 400, 403, 404, 413]);

  test("every answer is a documented one; invocations settle only as replies or protocol errors", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 10 }), async (actions) => {
        const { server, port } = await startServer();
        const problems: string[] = [];
        const calls: Array<Promise<unknown>> = [];
        let current: { id: string; settled: boolean } | undefined;
        let count = 0;
        const checkAnswer = (answer: Answer) => {
          if (!DOCUMENTED.has(answer.status)) problems.push(`status ${answer.status}: ${answer.body}`);
        };
        for (const step of actions) {
          if (step.kind === "invoke") {
            if (current && !current.settled) continue;
            const pending = { id: `req-${++count}`, settled: false };
            current = pending;
            server.invoke(invocation(pending.id)).then(
              (reply: InstanceReply) => {
                pending.settled = true;
                if (reply.type !== "success" && reply.type !== "error") problems.push(`reply ${reply}`);
              },
              (error: unknown) => {
                pending.settled = true;
                if (!(error instanceof RuntimeProtocolError)) problems.push(`rejected with ${error}`);
              },
            );
          } else if (step.kind === "next") {
            if (step.drop) {
              (await rawConnection(port, `GET ${API}/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n`)).destroy();
            } else {
              // A poll may wait for an invocation that never comes; close() ends it.
              calls.push(call(port, "GET", `${API}/invocation/next`).then(checkAnswer, () => {}));
            }
          } else if (step.kind === "reply") {
            const id = step.current && current ? current.id : "unknown-id";
            const path = `${API}/invocation/${id}/${step.path}`;
            if (step.drop || step.oversized) {
              const socket = await partialPost(port, path, step.oversized ? 7_000_000 : 100, 10);
              if (!step.drop) {
                const raw = await readRaw(socket, /\r\n\r\n\{.*\}$/s);
                if (!/^HTTP\/1\.1 (400|403|413) /.test(raw)) problems.push(`oversized reply answered ${raw}`);
              }
              socket.destroy();
            } else {
              checkAnswer(await call(port, "POST", path, "{}"));
            }
          } else if (step.kind === "initError") {
            if (step.drop) (await partialPost(port, `${API}/init/error`, 100, 10)).destroy();
            else checkAnswer(await call(port, "POST", `${API}/init/error`, "{}"));
          } else {
            const socket = await rawConnection(port, Buffer.from(step.bytes));
            socket.on("error", () => {});
            socket.destroy();
          }
        }
        // Still serving after all that.
        checkAnswer(await call(port, "GET", "/2018-06-01/nothing-here"));
        server.close();
        await Promise.allSettled(calls);
        assert.deepEqual(problems, []);
        assert.deepEqual(uncaught, []);
      }),
      { numRuns: 40 },
    );
  });
});
