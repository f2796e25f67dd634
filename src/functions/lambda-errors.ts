/** Error objects that the Lambda platform itself (not the function) produces for an invocation. */
import type { InvocationOutcome } from "./invocation.js";

function platformError(errorType: string, errorMessage: string): InvocationOutcome {
  return { type: "error", errorType, payload: Buffer.from(JSON.stringify({ errorType, errorMessage })) };
}

export function timedOut(requestId: string, timeoutSeconds: number): InvocationOutcome {
  return platformError(
    "Sandbox.Timedout",
    `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  );
}

export function outOfMemory(requestId: string): InvocationOutcome {
  return platformError(
    "Runtime.OutOfMemory",
    `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  );
}

export function runtimeExited(
  requestId: string,
  exit: { code: number | null; signal: string | null },
): InvocationOutcome {
  return platformError("Runtime.ExitError", runtimeExitMessage(requestId, exit));
}

/** `RequestId: <id> Error: Runtime exited with error: exit status 1` (or `signal: killed`). */
export function runtimeExitMessage(
  requestId: string,
  exit: { code: number | null; signal: string | null },
): string {
  const how = exit.signal
    ? `signal: ${exit.signal.replace(/^SIG/, "").toLowerCase()}`
    : `exit status ${exit.code}`;
  return `RequestId: ${requestId} Error: Runtime exited with error: ${how}`;
}

/** The runtime broke its protocol with the platform (an invalid frame, a response cut off). */
export function invalidResponse(requestId: string, reason: string): InvocationOutcome {
  return platformError("Runtime.InvalidResponse", `RequestId: ${requestId} Error: ${reason}`);
}

/**
 * Lambda refuses the call before anything runs: a tenant-isolated function needs a tenant id, and any other
 * function must not be given one. The Invoke API answers 400 with this error type.
 */
export const TENANT_ID_ERROR = "InvalidParameterValueException";

export function tenantIdMissing(): InvocationOutcome {
  return platformError(
    TENANT_ID_ERROR,
    "The function has tenant isolation enabled: invoke it with a tenant id (the X-Amz-Tenant-Id header).",
  );
}

export function tenantIdUnexpected(): InvocationOutcome {
  return platformError(
    TENANT_ID_ERROR,
    "The function does not have tenant isolation enabled: invoke it without a tenant id.",
  );
}

export function throttled(): InvocationOutcome {
  return platformError("TooManyRequestsException", "Rate Exceeded.");
}

export function eventTooLarge(size: number): InvocationOutcome {
  return platformError(
    "RequestTooLargeException",
    `${size} byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)`,
  );
}

export function responseTooLarge(): InvocationOutcome {
  return platformError(
    "Function.ResponseSizeTooLarge",
    "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
  );
}

/** Lambda's synchronous payload limits: 6 MB in, 6 MB (+100 bytes of slack) out. */
export const MAX_EVENT_BYTES = 6_291_456;
export const MAX_RESPONSE_BYTES = 6_291_556;
