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

export async function invokeWithinLimits(
  instance: FunctionInstance,
  invocation: Invocation,
  memoryMb: number,
  memory: MemoryWatch,
): Promise<LimitedReply> {
  let timer: NodeJS.Timeout | undefined;
  let unwatch: () => void = () => {};
  const limits = new Promise<"timeout" | "oom">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), invocation.deadlineMs - Date.now());
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
