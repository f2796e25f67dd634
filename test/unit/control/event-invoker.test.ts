/** The event invoker over the memory store's queue: success, Lambda's retries, drops, throttles, concurrency, stop. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EventInvoker, parseRetryDelays } from "../../../src/control/event-invoker.js";
import { MemoryStore } from "../../../src/control/store/index.js";
import type { InvocationOutcome } from "../../../src/functions/index.js";
import { PorticoError } from "../../../src/model/index.js";

const ok: InvocationOutcome = { type: "success", payload: Buffer.from("null") };
const failed = (errorType: string): InvocationOutcome => ({
  type: "error",
  errorType,
  payload: Buffer.from(JSON.stringify({ errorType, errorMessage: "boom" })),
});

interface Call {
  readonly functionName: string;
  readonly payload: string;
  readonly requestId: string;
}

function setUp(
  run: (call: Call, calls: readonly Call[]) => Promise<InvocationOutcome> | InvocationOutcome,
  options: { concurrency?: Record<string, number>; retryDelaysMs?: number[] } = {},
) {
  const store = new MemoryStore();
  const calls: Call[] = [];
  const notices: string[] = [];
  const invoker = new EventInvoker({
    queue: store.invocations,
    invoke: async (functionName, payload, requestId) => {
      const call = { functionName, payload, requestId };
      calls.push(call);
      if (functionName === "gone") {
        throw new PorticoError("FUNCTION_NOT_FOUND", "Function gone does not exist.", { status: 404 });
      }
      return run(call, calls);
    },
    concurrency: (name) => (options.concurrency ?? { fn: 10, gone: 1 })[name],
    notice: (message) => notices.push(message),
    retryDelaysMs: options.retryDelaysMs ?? [20, 40],
    pollMs: 5,
    leaseMs: 1000,
  });
  const push = (id: string, functionName = "fn") =>
    store.invocations.push({ id, functionName, payload: `{"id":"${id}"}`, enqueuedAt: Date.now() });
  return { store, invoker, calls, notices, push };
}

test("a successful invocation runs once, with its queue id as request id, and leaves the queue", async () => {
  const { store, invoker, calls, push } = setUp(() => ok);
  await push("a");
  invoker.start();
  await waitFor(async () => (await store.invocations.size()) === 0);
  await invoker.close();
  assert.deepEqual(calls, [{ functionName: "fn", payload: '{"id":"a"}', requestId: "a" }]);
});

test("a failing function is retried after each delay, then dropped with a line after 3 attempts", async () => {
  const { store, invoker, calls, notices, push } = setUp(() => failed("Error"));
  await push("a");
  const started = Date.now();
  invoker.start();
  await waitFor(async () => (await store.invocations.size()) === 0);
  await invoker.close();
  assert.equal(calls.length, 3);
  assert.ok(Date.now() - started >= 60, "waited 20 ms, then 40 ms");
  assert.ok(
    calls.every((call) => call.requestId === "a"),
    "every attempt has the same request id",
  );
  assert.deepEqual(notices, [
    "Event invocation a of function fn failed (Error); retrying in 20 ms (attempt 2 of 3)",
    "Event invocation a of function fn failed (Error); retrying in 40 ms (attempt 3 of 3)",
    "Event invocation a of function fn dropped: attempt 3 of 3 failed too (Error)",
  ]);
});

test("a function that fails twice and then succeeds is not dropped", async () => {
  const { store, invoker, calls, notices, push } = setUp((_call, all) =>
    all.length < 3 ? failed("Error") : ok,
  );
  await push("a");
  invoker.start();
  await waitFor(async () => (await store.invocations.size()) === 0);
  await invoker.close();
  assert.equal(calls.length, 3);
  assert.equal(notices.filter((line) => line.includes("dropped")).length, 0);
});

test("an invocation of a function that is gone is dropped with a line", async () => {
  const { store, invoker, notices, push } = setUp(() => ok, { concurrency: { fn: 1 } });
  await push("a", "nothing");
  await push("b", "gone");
  invoker.start();
  await waitFor(async () => (await store.invocations.size()) === 0);
  await invoker.close();
  assert.deepEqual(notices.sort(), [
    "Event invocation a of function nothing dropped: function nothing does not exist any more",
    "Event invocation b of function gone dropped: function gone does not exist any more",
  ]);
});

test("a throttled invocation is tried again without counting an attempt", async () => {
  const { store, invoker, calls, notices, push } = setUp(
    (_call, all) => (all.length <= 3 ? failed("TooManyRequestsException") : ok),
    { retryDelaysMs: [] },
  );
  await push("a");
  invoker.start();
  await waitFor(async () => (await store.invocations.size()) === 0, 10_000);
  await invoker.close();
  assert.equal(calls.length, 4, "three throttles, then a run, though no retry is allowed");
  assert.deepEqual(notices, []);
});

test("no more run at once than the function's concurrency", async () => {
  let running = 0;
  let peak = 0;
  const { store, invoker, push } = setUp(
    async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      return ok;
    },
    { concurrency: { fn: 2 } },
  );
  for (const id of ["a", "b", "c", "d", "e"]) await push(id);
  invoker.start();
  await waitFor(async () => (await store.invocations.size()) === 0);
  await invoker.close();
  assert.equal(peak, 2);
});

test("stop lets go of what waits, and close waits for what runs", async () => {
  let finish: (() => void) | undefined;
  const { store, invoker, calls, push } = setUp(
    () =>
      new Promise<InvocationOutcome>((resolve) => {
        finish = () => resolve(ok);
      }),
    { concurrency: { fn: 1 } },
  );
  await push("a");
  await push("b");
  invoker.start();
  await waitFor(async () => calls.length === 1);
  await invoker.stop();
  assert.equal(
    (await store.invocations.claim(Date.now(), 1000, 10)).map((invocation) => invocation.id).join(),
    "b",
    "b was let go: another process may take it at once",
  );
  const closed = invoker.close();
  finish?.();
  await closed;
  assert.equal(await store.invocations.size(), 1, "a ran and was removed; b is still queued");
});

test("PORTICO_ASYNC_RETRY_DELAYS_MS reads as milliseconds separated by commas", () => {
  assert.deepEqual(parseRetryDelays("200, 400"), [200, 400]);
  assert.deepEqual(parseRetryDelays("0"), [0]);
  assert.equal(parseRetryDelays(undefined), undefined);
  assert.equal(parseRetryDelays(" "), undefined);
  assert.throws(() => parseRetryDelays("1m,2m"), { code: "ASYNC_RETRY_DELAYS_INVALID" });
  assert.throws(() => parseRetryDelays("-1"), { code: "ASYNC_RETRY_DELAYS_INVALID" });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
