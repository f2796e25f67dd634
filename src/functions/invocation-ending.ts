/**
 * How an invocation ended, as the platform reports it: the outcome its invoker gets, the REPORT
 * line's status, and the line the platform itself writes to the function's log, if any.
 */
import type { FunctionSpec } from "../model/index.js";
import { ProcessExitedError, RuntimeProtocolError } from "./function-instance.js";
import { type ReportFields, timeoutLine } from "./function-logs.js";
import type { InvocationOutcome } from "./invocation.js";
import type { LimitedReply } from "./invocation-limits.js";
import {
  invalidResponse,
  MAX_RESPONSE_BYTES,
  outOfMemory,
  responseTooLarge,
  runtimeExited,
  runtimeExitMessage,
  timedOut,
} from "./lambda-errors.js";

export interface InvocationEnding {
  readonly outcome: InvocationOutcome;
  readonly status?: ReportFields["status"];
  readonly platformLog?: string;
}

export function invocationEnding(reply: LimitedReply, requestId: string, fn: FunctionSpec): InvocationEnding {
  if (reply === "timeout") {
    return {
      outcome: timedOut(requestId, fn.timeoutSeconds),
      status: { status: "timeout" },
      platformLog: timeoutLine(requestId, fn.timeoutSeconds, new Date()),
    };
  }
  if (reply === "oom") {
    return { outcome: outOfMemory(requestId), status: { status: "error", errorType: "Runtime.OutOfMemory" } };
  }
  if (reply instanceof ProcessExitedError) {
    return {
      outcome: runtimeExited(requestId, reply.exit),
      status: { status: "error", errorType: "Runtime.ExitError" },
      // Lambda names the exit in the function's log as well as in the invocation's error.
      platformLog: `${runtimeExitMessage(requestId, reply.exit)}\n`,
    };
  }
  if (reply instanceof RuntimeProtocolError) {
    return {
      outcome: invalidResponse(requestId, reply.message),
      status: { status: "error", errorType: "Runtime.InvalidResponse" },
      platformLog: `RequestId: ${requestId} Error: ${reply.message}\nRuntime.InvalidResponse\n`,
    };
  }
  if (reply.type === "error") {
    return { outcome: { type: "error", errorType: reply.errorType, payload: reply.payload } };
  }
  if (reply.payload.length > MAX_RESPONSE_BYTES) return { outcome: responseTooLarge() };
  return { outcome: { type: "success", payload: reply.payload } };
}
