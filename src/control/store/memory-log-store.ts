/**
 * `dev`'s log lines, in this process's memory, kept as the SQLite store keeps them: each batch is one chunk of
 * packed texts (log-chunk.ts), read into lines only when queried. Splitting every line into a record, parsing every
 * JSON line and keeping the records cost `dev` about a tenth of its throughput (side by side): records held several
 * times their text's size on the heap, and the collector went through them.
 */
import { type KeptChunk, PLAIN_TEXT, queryChunks, relatedIdsInChunks } from "./chunk-query.js";
import { chunkOfRecords, chunkText, type LogChunk, lineCount, nameKey } from "./log-chunk.js";
import type { LogQuery, LogRecord, LogRetention, LogStore, StoredLogRecord } from "./log-store.js";

export const MEMORY_LOG_RETENTION: LogRetention = { maxBytes: 32 * 1024 * 1024, maxAgeMs: 24 * 3600_000 };

interface MemoryChunk extends KeptChunk, Pick<LogChunk, "names" | "firstTime" | "lastTime"> {
  readonly texts: string;
}

export class MemoryLogStore implements LogStore {
  /** Oldest first; `#first` skips the dropped ones until they are worth compacting away. */
  #chunks: MemoryChunk[] = [];
  #first = 0;
  #chars = 0;
  /** The seq of the newest line written. */
  #seq = 0;
  #retention: LogRetention;

  constructor(retention: LogRetention = MEMORY_LOG_RETENTION) {
    this.#retention = retention;
  }

  setRetention(retention: LogRetention): void {
    this.#retention = retention;
  }

  async append(records: readonly LogRecord[]): Promise<void> {
    if (records.length > 0) this.appendChunk(chunkOfRecords(records));
  }

  appendChunk(chunk: LogChunk): void {
    if (chunk.text.length === 0) return;
    const texts = chunkText(chunk.text);
    this.#chunks.push({
      seq: this.#seq + 1,
      texts,
      names: chunk.names,
      firstTime: chunk.firstTime,
      lastTime: chunk.lastTime,
    });
    this.#seq += lineCount(chunk);
    this.#chars += texts.length;
    this.#prune(Date.now());
  }

  async query(query: LogQuery): Promise<StoredLogRecord[]> {
    const related = relatedIdsInChunks(query.requestId, () =>
      this.#kept("ASC").filter((chunk) => chunk.texts.includes(query.requestId as string)),
    );
    const ids = query.requestId === undefined ? undefined : [query.requestId, ...related];
    const name =
      query.kind === undefined && query.name === undefined ? undefined : nameKey(query.kind, query.name);
    const filter =
      query.filter !== undefined && PLAIN_TEXT.test(query.filter) ? query.filter.toLowerCase() : undefined;
    const after = query.after === undefined ? undefined : this.#chunkHolding(query.after);
    // What the SQLite store asks of its rows, asked of each chunk here.
    const mayHold = (chunk: MemoryChunk) =>
      (name === undefined || chunk.names.includes(name)) &&
      (query.since === undefined || chunk.lastTime >= query.since) &&
      (query.until === undefined || chunk.firstTime < query.until) &&
      (ids === undefined || ids.some((id) => chunk.texts.includes(id))) &&
      (filter === undefined || chunk.texts.toLowerCase().includes(filter)) &&
      (after === undefined || chunk.seq >= after);
    return queryChunks(query, related, (order) => this.#kept(order).filter(mayHold));
  }

  async lastSeq(): Promise<number> {
    return this.#seq;
  }

  /** The chunks kept, in `order`. */
  #kept(order: "ASC" | "DESC"): MemoryChunk[] {
    const kept = this.#chunks.slice(this.#first);
    return order === "ASC" ? kept : kept.reverse();
  }

  /** The seq of the chunk holding line `seq` (or the first kept after it). */
  #chunkHolding(seq: number): number {
    let holding = 0;
    for (let i = this.#first; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i] as MemoryChunk;
      if (chunk.seq > seq) break;
      holding = chunk.seq;
    }
    return holding;
  }

  /** The oldest chunks go: those past the age limit, then as many as the size limit needs, never the newest. */
  #prune(now: number): void {
    const oldest = now - this.#retention.maxAgeMs;
    while (this.#first < this.#chunks.length) {
      const chunk = this.#chunks[this.#first] as MemoryChunk;
      const newest = this.#first === this.#chunks.length - 1;
      if (chunk.lastTime >= oldest && (this.#chars <= this.#retention.maxBytes || newest)) break;
      this.#chars -= chunk.texts.length;
      this.#first++;
    }
    if (this.#first > 1024 && this.#first * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#first);
      this.#first = 0;
    }
  }
}
