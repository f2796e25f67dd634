/**
 * A log query over kept chunks (log-chunk.ts), whichever store keeps them: the store narrows the chunks it reads by
 * what their fields say; their lines are read only here, and each is matched whole.
 */
import { decodeLogChunk } from "./log-chunk.js";
import { DEFAULT_QUERY_LIMIT, type LogQuery, matchesLogQuery, type StoredLogRecord } from "./log-store.js";

/** A chunk as kept: the seq of its first line and its packed texts. */
export interface KeptChunk {
  readonly seq: number;
  /** Text, or UTF-8 bytes (a BLOB) as the log writer's thread keeps chunks. */
  readonly texts: string | Uint8Array;
}

/** Chunks that may hold lines `query` asks for, oldest first (`ASC`) or newest first (`DESC`). */
export type ChunksFor = (order: "ASC" | "DESC") => Iterable<KeptChunk>;

/**
 * A text filter a store can look for in a chunk's texts before their lines are read: printable ASCII that JSON
 * writers do not escape (not `"`, `\` or `/`), so a JSON line's message holds it only where the line does.
 */
export const PLAIN_TEXT = /^[\x20-\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+$/;

/**
 * The lines `query` asks for, oldest first: with `after`, the first `limit` after it (`chunks` then start at the
 * chunk holding `after`); otherwise the last `limit`. `related`: the `relatedRequestId`s of the query's request.
 */
export function queryChunks(
  query: LogQuery,
  related: ReadonlySet<string>,
  chunks: ChunksFor,
): StoredLogRecord[] {
  const limit = query.limit ?? DEFAULT_QUERY_LIMIT;
  const found: StoredLogRecord[] = [];
  if (query.after !== undefined) {
    for (const chunk of chunks("ASC")) {
      for (const record of decodeLogChunk(chunk.texts, chunk.seq)) {
        if (record.seq > query.after && matchesLogQuery(record, query, related)) found.push(record);
        if (found.length === limit) return found;
      }
    }
    return found;
  }
  for (const chunk of chunks("DESC")) {
    const records = decodeLogChunk(chunk.texts, chunk.seq);
    for (let i = records.length - 1; i >= 0; i--) {
      const record = records[i] as StoredLogRecord;
      if (matchesLogQuery(record, query, related)) found.push(record);
      if (found.length === limit) return found.reverse();
    }
  }
  return found.reverse();
}

/** The `relatedRequestId`s of the lines of `requestId`, in chunks that hold it. */
export function relatedIdsInChunks(
  requestId: string | undefined,
  chunks: () => Iterable<KeptChunk>,
): Set<string> {
  const related = new Set<string>();
  if (requestId === undefined) return related;
  for (const chunk of chunks()) {
    for (const record of decodeLogChunk(chunk.texts, chunk.seq)) {
      if (record.requestId === requestId && record.relatedRequestId !== undefined)
        related.add(record.relatedRequestId);
    }
  }
  return related;
}
