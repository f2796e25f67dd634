/**
 * The Invoke API's HTTP surface (aws.md §9): the `X-Amz-*` request headers, the payload limits of each invocation
 * type, and the status and headers of the answer (`X-Amz-Function-Error`, `X-Amz-Log-Result`...).
 */
import {
  constraintProblem,
  invalidParameterValue,
  lambdaValidationError,
  requestTooLarge,
} from "./aws-errors.js";
import { LATEST } from "./lambda-names.js";

export const INVOCATION_TYPES = ["RequestResponse", "Event", "DryRun"] as const;
export type InvocationType = (typeof INVOCATION_TYPES)[number];
export type LogType = "None" | "Tail";

/** Request headers as node:http gives them: lower-case names. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface InvokeOptions {
  readonly invocationType: InvocationType;
  readonly logType: LogType;
  /** The decoded `X-Amz-Client-Context`: the mobile client context the runtime passes to the handler. */
  readonly clientContext: Readonly<Record<string, unknown>> | undefined;
}

/** Bytes of the client context, base64-encoded, that Lambda accepts. */
export const CLIENT_CONTEXT_MAX_BYTES = 3583;
/** Payload limits: 6 MB synchronous, 1 MB asynchronous (raised from 256 KB in 2025, AWS Compute Blog). */
export const SYNC_PAYLOAD_MAX_BYTES = 6_291_456;
export const ASYNC_PAYLOAD_MAX_BYTES = 1_048_576;
/** `X-Amz-Log-Result` carries at most the last 4 KB of the invocation's log. */
export const LOG_RESULT_MAX_BYTES = 4096;

export function parseInvokeHeaders(headers: RequestHeaders): InvokeOptions {
  const invocationType = headerOf(headers, "x-amz-invocation-type") ?? "RequestResponse";
  const logType = headerOf(headers, "x-amz-log-type") ?? "None";
  const problems: string[] = [];
  if (!(INVOCATION_TYPES as readonly string[]).includes(invocationType)) {
    problems.push(
      constraintProblem(
        invocationType,
        "invocationType",
        "Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
      ),
    );
  }
  if (logType !== "None" && logType !== "Tail") {
    problems.push(constraintProblem(logType, "logType", "Member must satisfy enum value set: [None, Tail]"));
  }
  const context = headerOf(headers, "x-amz-client-context");
  if (context !== undefined && context.length > CLIENT_CONTEXT_MAX_BYTES) {
    problems.push(
      constraintProblem(
        context,
        "clientContext",
        `Member must have length less than or equal to ${CLIENT_CONTEXT_MAX_BYTES}`,
      ),
    );
  }
  if (problems.length > 0) throw lambdaValidationError(problems);
  return {
    invocationType: invocationType as InvocationType,
    logType: logType as LogType,
    clientContext: context === undefined ? undefined : decodeClientContext(context),
  };
}

function headerOf(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

function decodeClientContext(encoded: string): Readonly<Record<string, unknown>> {
  const refuse = () => invalidParameterValue("Client context must be a valid Base64-encoded JSON object.");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw refuse();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
  } catch {
    throw refuse();
  }
  if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) throw refuse();
  return decoded as Record<string, unknown>;
}

/** Refuses a payload over its invocation type's limit, in Lambda's words (aws.md §9). DryRun runs nothing. */
export function checkInvokePayload(invocationType: InvocationType, bytes: number): void {
  if (invocationType === "DryRun") return;
  const limit = invocationType === "Event" ? ASYNC_PAYLOAD_MAX_BYTES : SYNC_PAYLOAD_MAX_BYTES;
  if (bytes > limit) {
    throw requestTooLarge(
      `${bytes} byte payload is too large for the ${invocationType} invocation type (limit ${limit} bytes)`,
    );
  }
}

/** 200 for a synchronous invocation (function errors included), 202 when queued, 204 for a dry run. */
export function invokeStatus(invocationType: InvocationType): 200 | 202 | 204 {
  if (invocationType === "Event") return 202;
  if (invocationType === "DryRun") return 204;
  return 200;
}

export interface InvokeResult {
  readonly invocationType: InvocationType;
  readonly logType: LogType;
  /** True when the function failed (error object as payload, timeout, crash): `X-Amz-Function-Error: Unhandled`. */
  readonly functionError?: boolean;
  /** The invocation's log, of which the tail is returned when `logType` is `Tail`. */
  readonly log?: string | Uint8Array;
}

export function invokeResponseHeaders(result: InvokeResult): Record<string, string> {
  // Queued and dry-run invocations run no version yet, so they name none.
  if (result.invocationType !== "RequestResponse") return {};
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "X-Amz-Executed-Version": LATEST,
  };
  // Current runtimes report every function error as Unhandled; `Handled` is a legacy value.
  if (result.functionError === true) headers["X-Amz-Function-Error"] = "Unhandled";
  if (result.logType === "Tail") headers["X-Amz-Log-Result"] = logResultOf(result.log ?? "");
  return headers;
}

/** `X-Amz-Log-Result`: the base64 of the log's last 4 KB. */
export function logResultOf(log: string | Uint8Array): string {
  const bytes = typeof log === "string" ? Buffer.from(log, "utf8") : Buffer.from(log);
  return bytes.subarray(Math.max(0, bytes.length - LOG_RESULT_MAX_BYTES)).toString("base64");
}
