/**
 * Log texts to log records: a text may hold many lines or end in part of one, so each writer's unfinished line
 * waits for its end. A JSON line (Lambda's JSON log format, Cloud Run's structured logging) gives its own level,
 * message and request id, and is kept parsed rather than wrapped again.
 */
import type { LogRecord } from "../../control/store/index.js";
import type { LogText } from "../channels.js";

/** A line longer than this is cut, so a writer that never ends its line cannot grow memory. */
const MAX_LINE_CHARS = 64 * 1024;

export class LogLineSplitter {
  /** Each writer's unfinished line, by kind, name and instance. */
  readonly #partial = new Map<string, { text: LogText; rest: string }>();

  /** The complete lines of `text` as records (an unfinished end is kept for the next text of its writer). */
  split(text: LogText): LogRecord[] {
    const key = `${text.kind}\0${text.name}\0${text.instance ?? ""}`;
    const waiting = this.#partial.get(key);
    let body = waiting === undefined ? text.text : waiting.rest + text.text;
    const records: LogRecord[] = [];
    let start = 0;
    for (let end = body.indexOf("\n"); end !== -1; end = body.indexOf("\n", start)) {
      const line = body.slice(start, end > start && body[end - 1] === "\r" ? end - 1 : end);
      if (line.trim() !== "") records.push(logRecord(text, line));
      start = end + 1;
    }
    body = body.slice(start);
    while (body.length > MAX_LINE_CHARS) {
      records.push(logRecord(text, body.slice(0, MAX_LINE_CHARS)));
      body = body.slice(MAX_LINE_CHARS);
    }
    if (body === "") this.#partial.delete(key);
    else this.#partial.set(key, { text, rest: body });
    return records;
  }

  /** Every unfinished line, as it stands (at stop). */
  drain(): LogRecord[] {
    const records = [...this.#partial.values()].map(({ text, rest }) => logRecord(text, rest));
    this.#partial.clear();
    return records;
  }
}

/** Lines dropped before they could be written, and the first text they came in: a line of the log says so. */
export interface DroppedLines {
  readonly count: number;
  readonly first: LogText;
}

export function droppedLinesRecord({ count, first }: DroppedLines): LogRecord {
  const message = `${count} log lines dropped here: they came faster than the log store could keep them`;
  return { time: Date.now(), kind: first.kind, name: first.name, level: "WARN", message };
}

/** How many lines a text holds, an unfinished last one included (at least one). */
export function lineCount(text: string): number {
  let count = text.endsWith("\n") ? 0 : 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

/** One line as a record: tagged as its text was, with what a JSON line says of itself. */
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
