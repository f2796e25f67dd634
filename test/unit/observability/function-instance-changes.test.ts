/** The pool publishes its instances' start (with the init duration) and exit, and counts those still in init. */
import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { test } from "node:test";
import type { InstanceStart } from "../../../src/functions/function-instance.js";
import { InstancePool } from "../../../src/functions/instance-pool.js";
import { LimitWatch } from "../../../src/functions/limit-watch.js";
import type { FunctionSpec } from "../../../src/model/index.js";
import type { FunctionInstanceChange } from "../../../src/observability/channels.js";
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

test("an instance's start and exit are published; one in init counts as starting", async (t) => {
  const changes: FunctionInstanceChange[] = [];
  const listener = (message: unknown) => changes.push(message as FunctionInstanceChange);
  subscribe("portico:function.instance", listener);
  t.after(() => unsubscribe("portico:function.instance", listener));

  let finishInit!: () => void;
  const initDone = new Promise<void>((resolve) => {
    finishInit = resolve;
  });
  const instance = new ScriptedInstance(true);
  const pool = new InstancePool(
    spec,
    async (): Promise<InstanceStart> => {
      await initDone;
      return { ok: true, instance, initDurationMs: 42 };
    },
    () => {},
    new InstanceBudget(10),
    new LimitWatch(),
  );
  const invoked = pool.invoke("x");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    { starting: pool.stats.starting, idle: pool.stats.idle, busy: pool.stats.busy },
    { starting: 1, idle: 0, busy: 0 },
  );
  assert.equal(changes.length, 0);
  finishInit();
  await invoked;
  assert.deepEqual({ starting: pool.stats.starting, idle: pool.stats.idle }, { starting: 0, idle: 1 });
  assert.deepEqual(
    changes.map(({ functionName, state, initDurationMs }) => ({ functionName, state, initDurationMs })),
    [{ functionName: "fn", state: "started", initDurationMs: 42 }],
  );
  pool.destroy();
  await instance.exited;
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    changes.map((change) => change.state),
    ["started", "stopped"],
  );
});
