/**
 * One line as a record: a JSON line (Lambda's JSON log format, Cloud Run's structured logging) gives its own level,
 * message and request id, and is kept parsed rather than wrapped again.
 */
import type { LogText } from "../../observability/channels.js";
import type { LogRecord } from "./log-store.js";

/** `rawLine` of `text` as a record: tagged as its text was, with what a JSON line says of itself. */
export function logRecord(text: LogText, rawLine: string): LogRecord {
  let line = rawLine;
  // A service's lines name their revision and instance for the terminal; the record has them as tags.
  if (text.kind === "service" && text.revision !== undefined && text.instance !== undefined) {
    const prefix = `${text.revision} ${text.instance}: `;
    if (line.startsWith(prefix)) line = line.slice(prefix.length);
  }
  const record: { -readonly [K in keyof LogRecord]: LogRecord[K] } = {
    time: text.time,
    kind: text.kind,
    name: text.name,
    message: line,
  };
  if (text.revision !== undefined) record.revision = text.revision;
  if (text.instance !== undefined) record.instance = text.instance;
  if (text.requestId !== undefined) record.requestId = text.requestId;
  if (text.relatedRequestId !== undefined) record.relatedRequestId = text.relatedRequestId;
  const jsonText = line.trim();
  const json = jsonObject(jsonText);
  if (json === undefined) {
    const level = TEXT_LEVEL.exec(line)?.[1];
    if (level !== undefined) record.level = level;
    return record;
  }
  record.json = json;
  record.jsonText = jsonText;
  const level = json.level ?? json.severity;
  if (typeof level === "string") record.level = level.toUpperCase();
  const message = json.message ?? json.msg;
  if (typeof message === "string") record.message = message;
  else if (message !== undefined) record.message = JSON.stringify(message);
  const requestId = json.requestId ?? (json.record as Record<string, unknown> | undefined)?.requestId;
  if (record.requestId === undefined && typeof requestId === "string") record.requestId = requestId;
  return record;
}

/** Lambda's text format: `TIMESTAMP\tREQUEST-ID\tLEVEL\tmessage`. */
const TEXT_LEVEL = /^\d{4}-\d\d-\d\dT[^\t]*\t[^\t]*\t(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\t/;

function jsonObject(trimmed: string): Record<string, unknown> | undefined {
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
