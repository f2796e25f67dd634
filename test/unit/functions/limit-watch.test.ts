/**
 * The limit watch: a busy instance is interrupted at its deadline (never before), or when its process is over its
 * memory size; a resting or removed one never is.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import type { FunctionInstance, InvocationInterrupted } from "../../../src/functions/function-instance.js";
import { type InstanceLimits, LimitWatch } from "../../../src/functions/limit-watch.js";

/** An instance that records when, and why, it was interrupted; its invocation then ends, as a real one's does. */
function recordingInstance(pid?: number) {
  const interruptions: { limit: string; at: number }[] = [];
  const ended = { limits: undefined as InstanceLimits | undefined };
  let interrupted: () => void = () => {};
  const first = new Promise<void>((resolve) => {
    interrupted = resolve;
  });
  const instance = {
    pid,
    interrupt(interruption: InvocationInterrupted) {
      interruptions.push({ limit: interruption.limit, at: performance.now() });
      ended.limits?.resting();
      interrupted();
    },
  } as unknown as FunctionInstance;
  /** Watched by `watch`, as a pool adds an instance. */
  const watchedBy = (watch: LimitWatch, memoryMb = 128): InstanceLimits => {
    ended.limits = watch.add(instance, memoryMb);
    return ended.limits;
  };
  return { instance, interruptions, first, watchedBy };
}

test("busy instances are interrupted at their deadlines, earliest first, never early", async () => {
  const watch = new LimitWatch();
  const late = recordingInstance();
  const early = recordingInstance();
  const start = performance.now();
  late.watchedBy(watch).serving(start + 60);
  early.watchedBy(watch).serving(start + 20);
  await Promise.all([late.first, early.first]);
  assert.deepEqual(
    [early.interruptions.map((i) => i.limit), late.interruptions.map((i) => i.limit)],
    [["timeout"], ["timeout"]],
  );
  assert.ok((early.interruptions[0]?.at ?? 0) >= start + 20, "early one interrupted before its deadline");
  assert.ok((late.interruptions[0]?.at ?? 0) >= start + 60, "late one interrupted before its deadline");
  assert.ok((early.interruptions[0]?.at ?? 0) < (late.interruptions[0]?.at ?? 0));
});

test("an instance that rests before its deadline, or is removed, is not interrupted; one still busy is", async () => {
  const watch = new LimitWatch();
  const rested = recordingInstance();
  const removed = recordingInstance();
  const busy = recordingInstance();
  const start = performance.now();
  const restedLimits = rested.watchedBy(watch);
  restedLimits.serving(start + 10);
  const removedLimits = removed.watchedBy(watch);
  removedLimits.serving(start + 10);
  busy.watchedBy(watch).serving(start + 30);
  restedLimits.resting();
  removedLimits.remove();
  await busy.first;
  assert.equal(busy.interruptions.length, 1);
  assert.deepEqual([rested.interruptions, removed.interruptions], [[], []]);
});

test("a busy process over its memory size is interrupted as out of memory; a resting one is not", async () => {
  const watch = new LimitWatch();
  // This test's own process is far over 1 MB.
  const busy = recordingInstance(process.pid);
  const resting = recordingInstance(process.pid);
  resting.watchedBy(watch, 1);
  const limits = busy.watchedBy(watch, 1);
  limits.serving(performance.now() + 60_000);
  await busy.first;
  limits.remove();
  assert.equal(busy.interruptions[0]?.limit, "oom");
  assert.deepEqual(resting.interruptions, []);
});

test("a deadline left from an invocation that ended does not keep the process running", () => {
  const module = new URL("../../../src/functions/limit-watch.js", import.meta.url).href;
  const script = `
import { LimitWatch } from ${JSON.stringify(module)};
const limits = new LimitWatch().add({ pid: undefined, interrupt() {} }, 128);
limits.serving(performance.now() + 60_000);
limits.resting();
`;
  const startedAt = performance.now();
  // Without the fix this waits out the 60 s deadline, and the 20 s timeout fails the test.
  execFileSync(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 });
  assert.ok(performance.now() - startedAt < 20_000);
});
