/**
 * Log lines as a chunk: the texts of a batch, as instances wrote them, in one string. The SQLite store keeps a
 * chunk as one row, and the gateway's thread posts one to the log writer's thread: splitting texts into lines
 * and parsing JSON lines cost more than the insert itself, so they are done when lines are read, which is rare.
 *
 * Each text is a header of tags, each ended by a unit separator, then its length, then the text, which holds
 * whole lines only and may hold any character. A line's seq is its chunk's plus the count of lines before it,
 * blank ones included.
 */
import type { LogText } from "../../observability/channels.js";
import { logRecord } from "./log-record.js";
import type { LogKind, LogRecord, StoredLogRecord } from "./log-store.js";
import { jsonTextOf } from "./log-store.js";

const FIELD_END = "\u001f";
const NAME_END = "\u001e";

export interface LogChunk {
  /** The packed texts: a string, or its UTF-8 bytes as the log writer's thread reads them (kept as they are). */
  readonly text: string | Buffer;
  /** Each kind and name the texts have, as `nameKey` writes them: a query by name reads only chunks with it. */
  readonly names: string;
  readonly firstTime: number;
  readonly lastTime: number;
  /** Whether every text ends its last line: only then is the chunk kept as it is. */
  readonly complete: boolean;
}

/** How `names` holds a kind and a name; a kind or a name alone is found as its part of this. */
export function nameKey(kind: LogKind | undefined, name: string | undefined): string {
  return `${kind === undefined ? "" : FIELD_END + kind}${NAME_END}${name === undefined ? "" : name + FIELD_END}`;
}

export function packLogTexts(texts: readonly LogText[]): LogChunk & { readonly text: string } {
  const summary = new ChunkSummary();
  let text = "";
  for (const logText of texts) {
    summary.add(logText);
    text += packedHeader(logText) + logText.text;
  }
  return { text, ...summary.fields() };
}

/**
 * What a chunk's texts are packed behind: its tags, then its length (see the top of this file). Tags are Portico's
 * own ids and names it has validated (letters, digits, `-`, `_`), which never hold the separator or a line end:
 * checking each one, for every text, was a tenth of what keeping a text cost the gateway's thread.
 */
export function packedHeader(logText: LogText): string {
  return (
    logText.kind +
    FIELD_END +
    logText.name +
    FIELD_END +
    logText.time +
    FIELD_END +
    (logText.revision ?? "") +
    FIELD_END +
    (logText.instance ?? "") +
    FIELD_END +
    (logText.requestId ?? "") +
    FIELD_END +
    (logText.relatedRequestId ?? "") +
    FIELD_END +
    logText.text.length +
    FIELD_END
  );
}

/** A chunk's fields besides its text, gathered text by text. */
export class ChunkSummary {
  #names = "";
  /** The names in `#names`, by kind. */
  readonly #seen = new Map<string, Set<string>>();
  #kind = "";
  #name = "";
  #firstTime = Number.POSITIVE_INFINITY;
  #lastTime = Number.NEGATIVE_INFINITY;
  #complete = true;

  add(logText: LogText): void {
    if (logText.kind !== this.#kind || logText.name !== this.#name) {
      this.#kind = logText.kind;
      this.#name = logText.name;
      // Texts of two names often alternate (a function's, then its API's access line): looked up, not rebuilt.
      let names = this.#seen.get(logText.kind);
      if (names === undefined) {
        names = new Set();
        this.#seen.set(logText.kind, names);
      }
      if (!names.has(logText.name)) {
        names.add(logText.name);
        this.#names += nameKey(logText.kind, logText.name);
      }
    }
    if (logText.time < this.#firstTime) this.#firstTime = logText.time;
    if (logText.time > this.#lastTime) this.#lastTime = logText.time;
    if (this.#complete && !logText.text.endsWith("\n")) this.#complete = false;
  }

  fields(): Omit<LogChunk, "text"> {
    return {
      names: this.#names,
      firstTime: this.#firstTime,
      lastTime: this.#lastTime,
      complete: this.#complete,
    };
  }
}

/**
 * The texts packed in `packed`, up to the first that is not whole: bytes a crash or a damaged file left are
 * not lines to read, and must not stop the texts before them being read.
 */
export function unpackLogTexts(packed: string): LogText[] {
  const texts: LogText[] = [];
  let at = 0;
  let whole = true;
  const field = (): string => {
    const end = packed.indexOf(FIELD_END, at);
    if (end === -1) {
      whole = false;
      return "";
    }
    const value = packed.slice(at, end);
    at = end + 1;
    return value;
  };
  while (at < packed.length) {
    const text: { -readonly [K in keyof LogText]: LogText[K] } = {
      kind: field() as LogKind,
      name: field(),
      time: Number(field()),
      text: "",
    };
    const revision = field();
    const instance = field();
    const requestId = field();
    const relatedRequestId = field();
    if (revision !== "") text.revision = revision;
    if (instance !== "") text.instance = instance;
    if (requestId !== "") text.requestId = requestId;
    if (relatedRequestId !== "") text.relatedRequestId = relatedRequestId;
    const length = Number(field());
    if (!whole || !Number.isSafeInteger(length) || length < 0 || at + length > packed.length) break;
    text.text = packed.slice(at, at + length);
    at += length;
    texts.push(text);
  }
  return texts;
}

/** Records as a chunk, each one line, written so that reading it gives the record back. */
export function chunkOfRecords(records: readonly LogRecord[]): LogChunk & { readonly text: string } {
  return packLogTexts(
    records.map((record) => ({
      kind: record.kind,
      name: record.name,
      time: record.time,
      revision: record.revision,
      instance: record.instance,
      requestId: record.requestId,
      relatedRequestId: record.relatedRequestId,
      text: `${record.json === undefined ? record.message : jsonTextOf(record)}\n`,
    })),
  );
}

/** How many lines a complete chunk holds, as its seqs count them. */
export function lineCount(chunk: LogChunk): number {
  const text = chunk.text;
  let count = 0;
  // Both search code units/bytes for the line feed, which UTF-8 never uses inside a character.
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

/** A chunk's packed texts as a string, however they were kept. */
export function chunkText(text: string | Uint8Array): string {
  return typeof text === "string" ? text : bufferOf(text).toString("utf8");
}

/** Bytes a chunk was kept in, as a Buffer over the same memory. */
export function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The lines of a chunk whose first line is `seq`, as records, each numbered as `lineCount` counts. */
export function decodeLogChunk(kept: string | Uint8Array, seq: number): StoredLogRecord[] {
  const packed = chunkText(kept);
  const records: StoredLogRecord[] = [];
  let next = seq;
  for (const text of unpackLogTexts(packed)) {
    let start = 0;
    for (let end = text.text.indexOf("\n"); end !== -1; end = text.text.indexOf("\n", start)) {
      const line = text.text.slice(start, end > start && text.text[end - 1] === "\r" ? end - 1 : end);
      if (line.trim() !== "") {
        const { jsonText: _, ...record } = logRecord(text, line);
        records.push({ ...record, seq: next });
      }
      next++;
      start = end + 1;
    }
  }
  return records;
}
