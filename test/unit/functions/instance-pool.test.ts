/** The pool's admission rules, with scripted in-memory instances: reuse, the concurrency cap, queueing, throttling, faults. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { InstanceStart } from "../../../src/functions/function-instance.js";
import { InstancePool } from "../../../src/functions/instance-pool.js";
import { LimitWatch } from "../../../src/functions/limit-watch.js";
import type { FunctionSpec } from "../../../src/model/index.js";
import { InstanceBudget } from "../../../src/processes/index.js";
import { ScriptedInstance } from "../../helpers/scripted-instance.js";

const spec: FunctionSpec = {
  name: "fn",
  runtime: "nodejs",
  runtimeId: "nodejs20.x",
  handler: "index.handler",
  codeDir: "/nowhere",
  timeoutSeconds: 1,
  memoryMb: 128,
  environment: {},
  concurrency: 2,
  idleTimeoutSeconds: 300,
};

function makePool(
  options: {
    autoReply?: boolean;
    fn?: Partial<FunctionSpec>;
    start?: (onLog: (text: string) => void) => InstanceStart;
    budget?: InstanceBudget;
  } = {},
) {
  const logs: string[] = [];
  const instances: ScriptedInstance[] = [];
  const pool = new InstancePool(
    { ...spec, ...options.fn },
    async (onLog) => {
      if (options.start) return options.start(onLog);
      const instance = new ScriptedInstance(options.autoReply ?? true);
      instances.push(instance);
      return { ok: true, instance, initDurationMs: 1.5 };
    },
    (_name, text) => logs.push(text),
    options.budget ?? new InstanceBudget(100),
    new LimitWatch(),
  );
  return { pool, logs, instances };
}

test("a warm instance is reused, and the first invocation reports its init duration", async () => {
  const { pool, logs, instances } = makePool();
  const first = await pool.invoke("a");
  const second = await pool.invoke("b");
  assert.equal(instances.length, 1);
  assert.equal(first.payload.toString(), "1:a");
  assert.equal(second.payload.toString(), "1:b");
  const reports = logs
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("REPORT"));
  assert.equal(reports.length, 2);
  assert.match(reports[0] as string, /Init Duration: 1\.50 ms/);
  assert.doesNotMatch(reports[1] as string, /Init Duration/);
  pool.destroy();
});

test("instances never exceed the concurrency; extra invocations queue for a free one", async () => {
  const { pool, instances } = makePool({ autoReply: false });
  const results = [pool.invoke("1"), pool.invoke("2"), pool.invoke("3")];
  await waitFor(() => instances.length === 2 && instances.every((i) => i.pending.length === 1));
  assert.equal(pool.stats.queued, 1);
  instances[0]?.pending.shift()?.({ type: "success", payload: Buffer.from("done") });
  await waitFor(() => (instances[0]?.pending.length ?? 0) === 1);
  assert.equal(instances.length, 2, "the queued invocation reused the freed instance");
  for (const instance of instances)
    instance.pending.shift()?.({ type: "success", payload: Buffer.from("done") });
  const outcomes = await Promise.all(results);
  assert.ok(outcomes.every((outcome) => outcome.type === "success"));
  pool.destroy();
});

test("a timed-out invocation kills its instance and reports Sandbox.Timedout", async () => {
  const { pool, logs, instances } = makePool({ autoReply: false, fn: { timeoutSeconds: 0.05 } });
  const outcome = await pool.invoke("x");
  assert.equal(outcome.type, "error");
  assert.equal(outcome.type === "error" && outcome.errorType, "Sandbox.Timedout");
  assert.match(outcome.payload.toString(), /Task timed out after 0\.05 seconds/);
  assert.deepEqual(await instances[0]?.exited, { code: null, signal: "SIGKILL" });
  assert.ok(logs.some((line) => /Task timed out after 0\.05 seconds/.test(line)));
  assert.equal(pool.stats.instances, 0);
  pool.destroy();
});

test("an init failure is the invocation's error and frees the slot", async () => {
  const payload = Buffer.from('{"errorType":"Runtime.ImportModuleError","errorMessage":"nope"}');
  const { pool, logs } = makePool({
    start: () => ({ ok: false, errorType: "Runtime.ImportModuleError", payload, initDurationMs: 2 }),
  });
  const outcome = await pool.invoke("x");
  assert.deepEqual(outcome, { type: "error", errorType: "Runtime.ImportModuleError", payload });
  assert.ok(
    logs.some((line) => line.startsWith("INIT_REPORT Init Duration: 2.00 ms\tPhase: init\tStatus: error")),
  );
  assert.equal(pool.stats.instances, 0);
});

/**
 * A pool of one instance at a time, scripted, whose output the test writes: `outputs[i]` is instance i's. `serve`
 * invokes it once: its instance writes `output` while serving, then succeeds.
 */
function writingPool(initOutput?: string) {
  const outputs: Array<(text: string) => void> = [];
  const instances: ScriptedInstance[] = [];
  const { pool, logs } = makePool({
    fn: { concurrency: 1 },
    start: (onLog) => {
      if (initOutput !== undefined) onLog(initOutput);
      const instance = new ScriptedInstance(false);
      instances.push(instance);
      outputs.push(onLog);
      return { ok: true, instance, initDurationMs: 1 };
    },
  });
  const serve = async (requestId: string, output: string, onLog?: (text: string) => void) => {
    const done = pool.invoke(requestId, { requestId, onLog });
    await waitFor(() => instances[0]?.pending.length === 1);
    outputs[0]?.(output);
    instances[0]?.pending.shift()?.({ type: "success", payload: Buffer.from("ok") });
    return done;
  };
  return { pool, logs, serve };
}

test("an invocation's tap gets its own log: its lines and its instance's output while it serves it", async () => {
  const { pool, logs, serve } = writingPool("init output\n");
  const tapped: string[] = [];
  await serve("req-a", "hello from a\n", (text) => tapped.push(text));
  await serve("req-b", "hello from b\n");

  const tail = tapped.join("");
  assert.match(
    tail,
    /^init output\nSTART RequestId: req-a Version: \$LATEST\nhello from a\nEND RequestId: req-a\nREPORT RequestId: req-a\t/,
  );
  assert.doesNotMatch(tail, /req-b|hello from b/, "the next invocation's log is its own");
  assert.match(
    logs.join(""),
    /START RequestId: req-b[\s\S]*hello from b/,
    "the function's log has everything",
  );
  pool.destroy();
});

test("a last line an instance leaves unfinished is ended before END, in the log and in the tap", async () => {
  const { pool, logs, serve } = writingPool();
  const tapped: string[] = [];
  await serve("req-a", "no end", (text) => tapped.push(text));
  for (const text of [tapped.join(""), logs.join("")]) {
    assert.match(text, /\nno end\nEND RequestId: req-a\n/);
  }
  pool.destroy();
});

test("a failed cold start's tap gets the init report and the invocation's lines", async () => {
  const payload = Buffer.from('{"errorType":"Runtime.ImportModuleError","errorMessage":"nope"}');
  const { pool } = makePool({
    start: (onLog) => {
      onLog("Cannot find module 'nope'\n");
      return { ok: false, errorType: "Runtime.ImportModuleError", payload, initDurationMs: 2 };
    },
  });
  const tapped: string[] = [];
  await pool.invoke("x", { requestId: "req-x", onLog: (text) => tapped.push(text) });
  const tail = tapped.join("");
  assert.match(tail, /Cannot find module 'nope'\nINIT_REPORT .*Status: error/);
  assert.match(tail, /START RequestId: req-x[\s\S]*END RequestId: req-x\nREPORT RequestId: req-x\t/);
});

test("events over 6 MB are refused before any instance runs", async () => {
  const { pool, instances } = makePool();
  const outcome = await pool.invoke(Buffer.alloc(6_291_457));
  assert.equal(outcome.type === "error" && outcome.errorType, "RequestTooLargeException");
  assert.equal(instances.length, 0);
});

test("idle instances are stopped after the idle timeout (scale to zero)", async () => {
  const { pool, instances } = makePool({ fn: { idleTimeoutSeconds: 0.2 } });
  await pool.invoke("x");
  assert.equal(pool.stats.idle, 1);
  // The pool's reaper timer does not hold the process open (a server does): hold it for the test.
  const hold = setTimeout(() => {}, 5000);
  assert.deepEqual(await instances[0]?.exited, { code: 0, signal: null });
  clearTimeout(hold);
  assert.equal(pool.stats.instances, 0);
  pool.destroy();
});

test("an instance that exits during its invocation fails it with Runtime.ExitError, and is not said to have been idle", async () => {
  const { pool, logs, instances } = makePool({ autoReply: false });
  const result = pool.invoke("x");
  await waitFor(() => instances[0]?.pending.length === 1);
  instances[0]?.crash(1);
  const outcome = await result;
  assert.equal(outcome.type === "error" && outcome.errorType, "Runtime.ExitError");
  const text = logs.join("");
  assert.doesNotMatch(text, /while idle/);
  assert.match(text, /RequestId: \S+ Error: Runtime exited with error: exit status 1\n/);
  assert.match(text, /REPORT RequestId: .*Status: error\tError Type: Runtime\.ExitError/);
  assert.equal(pool.stats.instances, 0);
  pool.destroy();
});

test("an idle instance that can no longer serve is retired, not given the next invocation, even before its exit is reported", async () => {
  const { pool, instances } = makePool();
  await pool.invoke("x");
  // Broke its protocol while idle: being killed, its exit not yet seen.
  (instances[0] as ScriptedInstance).isUsable = false;
  const next = await pool.invoke("y");
  assert.equal(instances.length, 2);
  assert.equal(next.payload.toString(), `${instances[1]?.id}:y`);
  assert.equal(pool.stats.instances, 1, "the broken instance no longer counts against the concurrency");
  pool.destroy();
});

test("an instance that exits while idle is logged as such, and replaced on the next invocation", async () => {
  const { pool, logs, instances } = makePool();
  await pool.invoke("x");
  instances[0]?.crash(3);
  await instances[0]?.exited;
  await waitFor(() => pool.stats.instances === 0);
  assert.match(logs.join(""), /Runtime exited unexpectedly while idle/);
  assert.equal((await pool.invoke("y")).payload.toString(), `${instances[1]?.id}:y`);
  pool.destroy();
});

describe("a machine-wide instance budget shared by functions", () => {
  test("past the budget, the instance idle longest elsewhere is stopped to make room", async () => {
    const budget = new InstanceBudget(2);
    const a = makePool({ budget, fn: { name: "a" } });
    const b = makePool({ budget, fn: { name: "b" } });
    const c = makePool({ budget, fn: { name: "c" } });
    await a.pool.invoke("1");
    await b.pool.invoke("1");
    assert.equal(budget.used, 2);
    assert.equal((await c.pool.invoke("1")).type, "success");
    assert.deepEqual(await a.instances[0]?.exited, { code: 0, signal: null }, "a's instance idled longest");
    assert.equal(b.pool.stats.instances, 1);
    assert.equal(budget.used, 2);
    for (const { pool } of [a, b, c]) pool.destroy();
    assert.equal(budget.used, 0);
  });

  test("with every instance busy, an invocation waits for one to free up, then starts in its place", async () => {
    const budget = new InstanceBudget(1);
    const a = makePool({ budget, autoReply: false, fn: { name: "a" } });
    const b = makePool({ budget, fn: { name: "b" } });
    const first = a.pool.invoke("1");
    await waitFor(() => a.instances[0]?.pending.length === 1);
    const second = b.pool.invoke("2");
    await waitFor(() => b.pool.stats.queued === 1);
    assert.equal(b.instances.length, 0, "no instance started past the budget");
    a.instances[0]?.pending.shift()?.({ type: "success", payload: Buffer.from("done") });
    await first;
    assert.equal((await second).type, "success");
    assert.equal(budget.used, 1);
    a.pool.destroy();
    b.pool.destroy();
  });

  test("an invocation that found no room within 5 s is throttled, and the log names the budget", async () => {
    const budget = new InstanceBudget(1);
    const a = makePool({ budget, autoReply: false, fn: { name: "a", timeoutSeconds: 30 } });
    const b = makePool({ budget, fn: { name: "b" } });
    void a.pool.invoke("1");
    await waitFor(() => a.instances[0]?.pending.length === 1);
    const outcome = await b.pool.invoke("2");
    assert.equal(outcome.type === "error" && outcome.errorType, "TooManyRequestsException");
    assert.match(b.logs.join(""), /Throttled: instance budget of 1 reached/);
    assert.equal(b.pool.stats.queued, 0);
    a.pool.destroy();
    b.pool.destroy();
    assert.equal(budget.used, 0);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setImmediate(resolve));
  }
}
