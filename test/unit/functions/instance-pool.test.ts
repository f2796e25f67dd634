/** The pool's admission rules, with scripted in-memory instances: reuse, the concurrency cap, queueing, throttling, faults. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type {
  FunctionInstance,
  InstanceStart,
  ProcessExitInfo,
} from "../../../src/functions/function-instance.js";
import { InstancePool } from "../../../src/functions/instance-pool.js";
import type { InstanceReply, Invocation } from "../../../src/functions/invocation.js";
import type { FunctionSpec } from "../../../src/model/index.js";

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

/** An instance whose replies the test scripts: each invocation waits for `reply` or ends on `kill`. */
class ScriptedInstance implements FunctionInstance {
  static count = 0;
  readonly id = ++ScriptedInstance.count;
  readonly pid = undefined;
  pending: Array<(reply: InstanceReply) => void> = [];
  #exit!: (info: ProcessExitInfo) => void;
  readonly exited = new Promise<ProcessExitInfo>((resolve) => {
    this.#exit = resolve;
  });
  constructor(readonly autoReply: boolean) {}
  invoke(invocation: Invocation): Promise<InstanceReply> {
    if (this.autoReply)
      return Promise.resolve({ type: "success", payload: Buffer.from(`${this.id}:${invocation.payload}`) });
    return new Promise((resolve) => this.pending.push(resolve));
  }
  stop(): void {
    this.#exit({ code: 0, signal: null });
  }
  kill(): void {
    this.#exit({ code: null, signal: "SIGKILL" });
  }
}

function makePool(
  options: { autoReply?: boolean; fn?: Partial<FunctionSpec>; start?: () => InstanceStart } = {},
) {
  const logs: string[] = [];
  const instances: ScriptedInstance[] = [];
  const pool = new InstancePool(
    { ...spec, ...options.fn },
    async () => {
      if (options.start) return options.start();
      const instance = new ScriptedInstance(options.autoReply ?? true);
      instances.push(instance);
      return { ok: true, instance, initDurationMs: 1.5 };
    },
    (_name, text) => logs.push(text),
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

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setImmediate(resolve));
  }
}
