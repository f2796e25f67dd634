/**
 * Runs one invocation on an instance within the function's limits, enforced from outside the
 * process: its deadline (timeout) and its memory size (resident set sampled from /proc).
 */
import { type FunctionInstance, ProcessExitedError, RuntimeProtocolError } from "./function-instance.js";
import type { InstanceReply, Invocation } from "./invocation.js";
import type { MemoryWatch } from "./memory-watch.js";

/**
 * The instance's reply, or which limit ended the invocation first, or the process's exit, or how it
 * broke the runtime protocol.
 */
export type LimitedReply = InstanceReply | "timeout" | "oom" | ProcessExitedError | RuntimeProtocolError;

/** The instance answered (a response or the function's error): it may serve again. */
export function isInstanceReply(reply: LimitedReply): reply is InstanceReply {
  return (
    typeof reply === "object" &&
    !(reply instanceof ProcessExitedError || reply instanceof RuntimeProtocolError)
  );
}

/**
 * `endsAt`: when the timeout ends the invocation, on the `performance.now()` clock its duration is measured with.
 * A timer may fire a little early against that clock (the event loop's time is whole milliseconds, cached per
 * turn), so one that does is set again for the rest: an invocation never ends before its full timeout.
 */
export async function invokeWithinLimits(
  instance: FunctionInstance,
  invocation: Invocation,
  endsAt: number,
  memoryMb: number,
  memory: MemoryWatch,
): Promise<LimitedReply> {
  let timer: NodeJS.Timeout | undefined;
  let unwatch: () => void = () => {};
  const limits = new Promise<"timeout" | "oom">((resolve) => {
    const arm = () => {
      const left = endsAt - performance.now();
      if (left <= 0) resolve("timeout");
      else timer = setTimeout(arm, Math.ceil(left));
    };
    arm();
    const pid = instance.pid;
    if (pid !== undefined) unwatch = memory.watch(pid, memoryMb, () => resolve("oom"));
  });
  try {
    return await Promise.race([instance.invoke(invocation), limits]);
  } catch (error) {
    if (error instanceof ProcessExitedError || error instanceof RuntimeProtocolError) return error;
    throw error;
  } finally {
    clearTimeout(timer);
    unwatch();
  }
}
