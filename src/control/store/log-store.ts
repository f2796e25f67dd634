/**
 * What function and service instances wrote, and APIs' access-log lines, kept line by line for `portico logs`.
 * Bounded: the oldest lines go first once the lines kept pass a total size or an age.
 */
import type { LogChunk } from "./log-chunk.js";

export type LogKind = "function" | "service" | "api";

export interface LogRecord {
  /** Epoch ms. */
  readonly time: number;
  readonly kind: LogKind;
  /** The function, service or API. */
  readonly name: string;
  /** The function version key or service revision that wrote it. */
  readonly revision?: string;
  readonly instance?: string;
  /** The request being served when it was written. */
  readonly requestId?: string;
  /** Another request it belongs to (an access-log line's Lambda request id). */
  readonly relatedRequestId?: string;
  /** From a JSON line's `level` or `severity`, upper case. */
  readonly level?: string;
  /** The line, or a JSON line's `message`. */
  readonly message: string;
  /** The line parsed, when it was a JSON object. */
  readonly json?: Readonly<Record<string, unknown>>;
  /** `json` as the line wrote it, when known: what a store keeps, so it need not write the object out again. */
  readonly jsonText?: string;
}

/** A kept line, with its place in the log: a follower asks for the lines `after` the last it saw. */
export interface StoredLogRecord extends LogRecord {
  readonly seq: number;
}

export interface LogQuery {
  readonly kind?: LogKind;
  readonly name?: string;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
  /** Lines whose message holds this text (case-insensitive). */
  readonly filter?: string;
  /**
   * Lines with this request id, as `requestId` or `relatedRequestId`, and the lines of the requests those name as
   * related: an API request id finds its access line and the function invocation's lines too.
   */
  readonly requestId?: string;
  /** Only lines after this `seq`, the first `limit` of them; without it, the last `limit` lines. */
  readonly after?: number;
  readonly limit?: number;
}

export interface LogRetention {
  /** Total size of the lines kept (as `recordBytes` counts it). */
  readonly maxBytes: number;
  readonly maxAgeMs: number;
}

export interface LogStore {
  /** Keeps `records` (in one transaction), then drops what the retention no longer allows. */
  append(records: readonly LogRecord[]): Promise<void>;
  /** Keeps a chunk of complete lines as it is (see log-chunk.ts), then drops what the retention no longer allows. */
  appendChunk(chunk: LogChunk): void;
  /** Matching lines, oldest first. */
  query(query: LogQuery): Promise<StoredLogRecord[]>;
  /** The `seq` of the newest line written (kept or dropped since), 0 when none: a follower starts after it. */
  lastSeq(): Promise<number>;
  setRetention(retention: LogRetention): void;
  /** Where another thread can open the lines to keep them itself; undefined for a store only this thread reaches. */
  readonly location?: LogLocation;
}

/** A log store in a SQLite file (and its segment files, log-segments.ts), with its bounds. */
export interface LogLocation {
  readonly sqliteFile: string;
  readonly retention: LogRetention;
}

export const DEFAULT_QUERY_LIMIT = 1000;

/** A line's size for retention: its text and tags, plus a little for the row. */
export function recordBytes(record: LogRecord): number {
  let bytes = 32 + Buffer.byteLength(record.message) + record.name.length;
  for (const tag of [
    record.revision,
    record.instance,
    record.requestId,
    record.relatedRequestId,
    record.level,
  ]) {
    if (tag !== undefined) bytes += tag.length;
  }
  if (record.json !== undefined) bytes += Buffer.byteLength(jsonTextOf(record));
  return bytes;
}

/**
 * Whether `record` is one `query` asks for (`after` and `limit` aside). `relatedIds`: the `relatedRequestId`s of
 * the lines whose `requestId` is the query's.
 */
export function matchesLogQuery(
  record: StoredLogRecord,
  query: LogQuery,
  relatedIds: ReadonlySet<string> = new Set(),
): boolean {
  return (
    (query.kind === undefined || record.kind === query.kind) &&
    (query.name === undefined || record.name === query.name) &&
    (query.since === undefined || record.time >= query.since) &&
    (query.until === undefined || record.time < query.until) &&
    (query.requestId === undefined ||
      record.requestId === query.requestId ||
      record.relatedRequestId === query.requestId ||
      (record.requestId !== undefined && relatedIds.has(record.requestId))) &&
    (query.filter === undefined || record.message.toLowerCase().includes(query.filter.toLowerCase()))
  );
}

/** `defaults`, with what `given` sets. */
export function logRetention(
  defaults: LogRetention,
  given: { readonly maxBytes?: number; readonly maxAgeMs?: number } = {},
): LogRetention {
  return { maxBytes: given.maxBytes ?? defaults.maxBytes, maxAgeMs: given.maxAgeMs ?? defaults.maxAgeMs };
}

/** The record's JSON object as text (undefined when it has none). */
export function jsonTextOf(record: LogRecord): string {
  return record.jsonText ?? JSON.stringify(record.json);
}
