/**
 * Runs one invocation on an instance within the function's limits, enforced from outside the
 * process (limit-watch.ts): its deadline (timeout) and its memory size (resident set sampled from /proc).
 */
import {
  type FunctionInstance,
  InvocationInterrupted,
  ProcessExitedError,
  RuntimeProtocolError,
} from "./function-instance.js";
import type { InstanceReply, Invocation } from "./invocation.js";
import type { InstanceLimits } from "./limit-watch.js";

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
 * `limits` (the instance's, from its LimitWatch) interrupts the invocation when its timeout or memory size is
 * reached, whichever comes before the instance's reply.
 */
export async function invokeWithinLimits(
  instance: FunctionInstance,
  invocation: Invocation,
  endsAt: number,
  limits: InstanceLimits,
): Promise<LimitedReply> {
  limits.serving(endsAt);
  try {
    return await instance.invoke(invocation);
  } catch (error) {
    if (error instanceof InvocationInterrupted) return error.limit;
    if (error instanceof ProcessExitedError || error instanceof RuntimeProtocolError) return error;
    throw error;
  } finally {
    limits.resting();
  }
}
