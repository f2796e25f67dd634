/** Lambda's platform log lines (START, END, REPORT, timeouts) and the sink function logs go to. */

/** What wrote a log text: the version (or revision), the instance, and the request it was serving. */
export interface LogTags {
  readonly revision?: string;
  readonly instance?: string;
  readonly requestId?: string;
  /** A line of the platform's own (START, END, REPORT, INIT_REPORT): it ends any line the instance left unfinished. */
  readonly platform?: boolean;
  /** The invocation's last text (its END and REPORT lines). */
  readonly ends?: boolean;
}

/** Receives every log text of a function: platform lines and the function's own output. */
export type FunctionLogSink = (functionName: string, text: string, tags?: LogTags) => void;

export interface ReportFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memoryMb: number;
  readonly maxMemoryUsedMb: number;
  /** Set on the first invocation of an instance only. */
  readonly initDurationMs?: number;
  /** `timeout`, or `error` with an error type, when the platform ended the invocation. */
  readonly status?: { readonly status: "timeout" | "error"; readonly errorType?: string };
}

export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

export function reportLine(fields: ReportFields): string {
  // Init time is billed since August 2025, so a cold start's billed duration includes it.
  const billed = Math.ceil(fields.durationMs + (fields.initDurationMs ?? 0));
  let line =
    `REPORT RequestId: ${fields.requestId}\tDuration: ${fields.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${billed} ms\tMemory Size: ${fields.memoryMb} MB\t` +
    `Max Memory Used: ${fields.maxMemoryUsedMb} MB\t`;
  if (fields.initDurationMs !== undefined) line += `Init Duration: ${fields.initDurationMs.toFixed(2)} ms\t`;
  if (fields.status) {
    line += `Status: ${fields.status.status}\t`;
    if (fields.status.errorType) line += `Error Type: ${fields.status.errorType}\t`;
  }
  return `${line}\n`;
}

export function timeoutLine(requestId: string, timeoutSeconds: number, now: Date): string {
  return `${now.toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds\n`;
}

/** How an init phase ended: it ran out of time, or failed with an error type. */
export type InitFailure =
  | { readonly status: "timeout" }
  | { readonly status: "error"; readonly errorType: string };

/**
 * Reports a failed init phase: `init` for an instance's own init, `invoke` for the init Lambda retries
 * inside an invocation (under the function's timeout) after the first one timed out.
 */
export function initReportLine(
  initDurationMs: number,
  phase: "init" | "invoke",
  failure: InitFailure,
): string {
  let line = `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: ${phase}\tStatus: ${failure.status}`;
  if (failure.status === "error") line += `\tError Type: ${failure.errorType}`;
  return `${line}\n`;
}
