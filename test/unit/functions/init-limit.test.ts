/**
 * Lambda's 10 s limit on the init phase, applied by the pool to every runtime alike: scripted
 * starters whose init never ends until the pool aborts it. Each test waits the real 10 s, so they
 * run side by side.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { InstanceStart, InstanceStarter } from "../../../src/functions/function-instance.js";
import { runInitPhase } from "../../../src/functions/init-phase.js";
import { InstancePool } from "../../../src/functions/instance-pool.js";
import { LimitWatch } from "../../../src/functions/limit-watch.js";
import type { FunctionSpec } from "../../../src/model/index.js";
import { InstanceBudget } from "../../../src/processes/index.js";
import { ScriptedInstance } from "../../helpers/scripted-instance.js";

const spec: FunctionSpec = {
  name: "slow-init",
  runtime: "nodejs",
  runtimeId: "nodejs20.x",
  handler: "index.handler",
  codeDir: "/nowhere",
  timeoutSeconds: 1,
  memoryMb: 128,
  environment: {},
  concurrency: 1,
  idleTimeoutSeconds: 300,
};

/** An init that ends only when the pool aborts it: what the starters do then, kill and settle. */
function hangingInit(signal: AbortSignal, aborts: string[]): Promise<InstanceStart> {
  return new Promise((resolve) => {
    signal.addEventListener("abort", () => {
      aborts.push("killed");
      const payload = Buffer.from('{"errorType":"Runtime.ExitError","errorMessage":"signal: SIGKILL"}');
      resolve({ ok: false, errorType: "Runtime.ExitError", payload, initDurationMs: 0 });
    });
  });
}

describe("the init phase limit", { concurrency: true }, () => {
  test("an init past 10 s is killed and retried inside the invocation; when that also runs out, Sandbox.Timedout", async () => {
    const logs: string[] = [];
    const aborts: string[] = [];
    const budget = new InstanceBudget(4);
    const start: InstanceStarter = (_onLog, signal) => hangingInit(signal, aborts);
    const pool = new InstancePool(spec, start, (_name, text) => logs.push(text), budget, new LimitWatch());
    const startedAt = Date.now();
    const outcome = await pool.invoke("{}");
    const elapsedMs = Date.now() - startedAt;

    assert.equal(outcome.type === "error" && outcome.errorType, "Sandbox.Timedout");
    assert.match(outcome.payload.toString(), /Task timed out after 1\.00 seconds/);
    assert.ok(elapsedMs >= 11_000 && elapsedMs < 14_000, `answered after ${elapsedMs} ms`);
    assert.deepEqual(aborts, ["killed", "killed"], "both inits were killed");
    const text = logs.join("");
    const lines = text.split("\n").map((line) => line.replace(/[0-9a-f-]{36}/g, "ID"));
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const order = [
      at(/^INIT_REPORT Init Duration: 10\d{3}\.\d\d ms\tPhase: init\tStatus: timeout$/),
      at(/^START RequestId: ID Version: \$LATEST$/),
      at(/^INIT_REPORT Init Duration: 1\d{3}\.\d\d ms\tPhase: invoke\tStatus: timeout$/),
      at(/^\S+Z ID Task timed out after 1\.00 seconds$/),
      at(/^END RequestId: ID$/),
      at(/^REPORT RequestId: ID\tDuration: 1\d{3}\.\d\d ms\t.*\tStatus: timeout\t$/),
    ];
    assert.ok(
      order.every((index, i) => index >= 0 && (i === 0 || index > (order[i - 1] as number))),
      `log lines in order (${order}):\n${text}`,
    );
    assert.equal(pool.stats.instances, 0, "the concurrency slot is free again");
    assert.equal(budget.used, 0, "the budget unit is back");
    pool.destroy();
  });

  test("when the retried init succeeds, the invocation runs on it within what is left of its timeout", async () => {
    const logs: string[] = [];
    const aborts: string[] = [];
    const instance = new ScriptedInstance(true);
    let calls = 0;
    const start: InstanceStarter = async (_onLog, signal) => {
      calls++;
      if (calls === 1) return hangingInit(signal, aborts);
      return { ok: true, instance, initDurationMs: 5 };
    };
    const pool = new InstancePool(
      { ...spec, timeoutSeconds: 3 },
      start,
      (_name, text) => logs.push(text),
      new InstanceBudget(4),
      new LimitWatch(),
    );
    const outcome = await pool.invoke("{}");
    assert.equal(outcome.type, "success", outcome.payload.toString());
    assert.equal(outcome.payload.toString(), `${instance.id}:{}`);
    const text = logs.join("");
    assert.match(text, /INIT_REPORT Init Duration: 10\d{3}\.\d\d ms\tPhase: init\tStatus: timeout\n/);
    assert.doesNotMatch(text, /Phase: invoke/);
    const report = text.split("\n").find((line) => line.startsWith("REPORT")) ?? "";
    assert.doesNotMatch(report, /Init Duration|Status:/, "the retried init is part of the invocation");
    assert.equal(pool.stats.idle, 1, "the instance stays warm");
    pool.destroy();
  });
});

test("an init is never reported timed out before its limit, though its timer may fire early", async () => {
  // Timers count whole milliseconds of the event loop's clock: one may fire a little before its time by the
  // precise clock. Here every timer fires 5 ms early.
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((callback: () => void, ms: number) =>
    realSetTimeout(callback, Math.max(0, ms - 5))) as typeof setTimeout;
  const aborts: string[] = [];
  try {
    const outcome = await runInitPhase(
      (_onLog, signal) => hangingInit(signal, aborts),
      () => {},
      30,
      new AbortController().signal,
    );
    assert.ok(!outcome.ok && outcome.timedOut, "timed out");
    assert.ok(outcome.initDurationMs >= 30, `reported after ${outcome.initDurationMs} ms`);
    assert.deepEqual(aborts, ["killed"]);
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
});
