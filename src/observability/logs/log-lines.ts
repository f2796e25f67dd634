/**
 * Log texts to log records: a text may hold many lines or end in part of one, so each writer's unfinished line
 * waits for its end.
 */
import type { LogRecord } from "../../control/store/index.js";
import { logRecord } from "../../control/store/log-record.js";
import type { LogText } from "../channels.js";

/** A line longer than this is cut, so a writer that never ends its line cannot grow memory. */
const MAX_LINE_CHARS = 64 * 1024;

export class LogLineSplitter {
  /** Each writer's unfinished line, by kind, name and instance. */
  readonly #partial = new Map<string, { text: LogText; rest: string }>();

  /** The complete lines of `text`, as records added to `records` (an unfinished end waits for the next text). */
  split(text: LogText, records: LogRecord[] = []): LogRecord[] {
    // Most texts end their last line and no writer has an unfinished one: then no key is needed.
    const key = this.#partial.size === 0 && text.text.endsWith("\n") ? undefined : writerKey(text);
    const waiting = key === undefined ? undefined : this.#partial.get(key);
    let body = waiting === undefined ? text.text : waiting.rest + text.text;
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
    if (key === undefined) return records;
    if (body === "") this.#partial.delete(key);
    else this.#partial.set(key, { text, rest: body });
    return records;
  }

  /** Whether a writer's line waits for its end. */
  get waiting(): boolean {
    return this.#partial.size > 0;
  }

  /** Every unfinished line, as it stands (at stop). */
  drain(): LogRecord[] {
    const records = [...this.#partial.values()].map(({ text, rest }) => logRecord(text, rest));
    this.#partial.clear();
    return records;
  }
}

function writerKey(text: LogText): string {
  return `${text.kind}\0${text.name}\0${text.instance ?? ""}`;
}

/** Lines dropped before they could be written, and the first text they came in: a line of the log says so. */
export interface DroppedLines {
  readonly count: number;
  readonly first: LogText;
}

/** A JSON line, so that it keeps its level wherever it is kept. */
export function droppedLinesRecord({ count, first }: DroppedLines): LogRecord {
  const message = `${count} log lines dropped here: they came faster than the log store could keep them`;
  const text = { time: Date.now(), kind: first.kind, name: first.name, text: "" };
  return logRecord(text, JSON.stringify({ level: "WARN", message }));
}

/** How many lines a text holds, an unfinished last one included (at least one). */
export function lineCount(text: string): number {
  let count = text.endsWith("\n") ? 0 : 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}
