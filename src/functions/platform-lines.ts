/**
 * The platform's records of each invocation in the function's log format. Text is Lambda's START, END and
 * REPORT lines; JSON (`LoggingConfig.LogFormat: JSON`) is one record a line, as Lambda writes system logs then:
 * `{"time","type":"platform.start","record":{"requestId","version"}}`, `platform.runtimeDone` for END,
 * `platform.report` with the metrics, `platform.initReport` for a failed init. Every one is at INFO: a
 * `SystemLogLevel` of WARN or above leaves them out.
 */
import { type FunctionLogging, LOG_LEVELS } from "../model/index.js";
import {
  endLine,
  type InitFailure,
  initReportLine,
  type ReportFields,
  reportLine,
  startLine,
} from "./function-logs.js";

export interface PlatformLines {
  start(requestId: string): string;
  end(requestId: string, status: ReportFields["status"]): string;
  report(fields: ReportFields): string;
  initReport(initDurationMs: number, phase: "init" | "invoke", failure: InitFailure): string;
}

const TEXT_LINES: PlatformLines = {
  start: startLine,
  end: (requestId) => endLine(requestId),
  report: reportLine,
  initReport: initReportLine,
};

const SILENT_LINES: PlatformLines = {
  start: () => "",
  end: () => "",
  report: () => "",
  initReport: () => "",
};

export function platformLines(logging: FunctionLogging | undefined): PlatformLines {
  if (logging?.format !== "JSON") return TEXT_LINES;
  return LOG_LEVELS.indexOf(logging.systemLevel) > LOG_LEVELS.indexOf("INFO") ? SILENT_LINES : JSON_LINES;
}

const JSON_LINES: PlatformLines = {
  start: (requestId) => record("platform.start", { requestId, version: "$LATEST" }),
  end: (requestId, status) => record("platform.runtimeDone", { requestId, ...statusFields(status) }),
  report: (fields) => {
    const metrics: Record<string, number> = {
      durationMs: round(fields.durationMs),
      // Init time is billed since August 2025, as the text REPORT line says.
      billedDurationMs: Math.ceil(fields.durationMs + (fields.initDurationMs ?? 0)),
      memorySizeMB: fields.memoryMb,
      maxMemoryUsedMB: fields.maxMemoryUsedMb,
    };
    if (fields.initDurationMs !== undefined) metrics.initDurationMs = round(fields.initDurationMs);
    return record("platform.report", {
      requestId: fields.requestId,
      metrics,
      ...statusFields(fields.status),
    });
  },
  initReport: (initDurationMs, phase, failure) =>
    record("platform.initReport", {
      initializationType: "on-demand",
      phase,
      status: failure.status,
      ...(failure.status === "error" ? { errorType: failure.errorType } : {}),
      metrics: { durationMs: round(initDurationMs) },
    }),
};

function statusFields(status: ReportFields["status"]): Record<string, string> {
  if (status === undefined) return { status: "success" };
  return status.errorType === undefined
    ? { status: status.status }
    : { status: status.status, errorType: status.errorType };
}

function record(type: string, fields: Record<string, unknown>): string {
  return `${JSON.stringify({ time: new Date().toISOString(), type, record: fields })}\n`;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
