/** `dev`'s log lines, in this process's memory. */
import {
  DEFAULT_QUERY_LIMIT,
  type LogQuery,
  type LogRecord,
  type LogRetention,
  type LogStore,
  matchesLogQuery,
  recordBytes,
  type StoredLogRecord,
} from "./log-store.js";

export const MEMORY_LOG_RETENTION: LogRetention = { maxBytes: 32 * 1024 * 1024, maxAgeMs: 24 * 3600_000 };

export class MemoryLogStore implements LogStore {
  /** Oldest first; `#first` skips the dropped ones until they are worth compacting away. */
  #lines: { record: StoredLogRecord; bytes: number }[] = [];
  #first = 0;
  #bytes = 0;
  #seq = 0;
  #retention: LogRetention;

  constructor(retention: LogRetention = MEMORY_LOG_RETENTION) {
    this.#retention = retention;
  }

  setRetention(retention: LogRetention): void {
    this.#retention = retention;
  }

  async append(records: readonly LogRecord[]): Promise<void> {
    for (const record of records) {
      // A copy of the record, not of its parsed JSON: records are made for the store and never changed after, and
      // copying every line's JSON cost `dev` a tenth of its gateway's time.
      const { jsonText: _, ...kept } = record;
      const stored: StoredLogRecord = { ...kept, seq: ++this.#seq };
      const bytes = recordBytes(record);
      this.#lines.push({ record: stored, bytes });
      this.#bytes += bytes;
    }
    this.#prune(Date.now());
  }

  async query(query: LogQuery): Promise<StoredLogRecord[]> {
    const limit = query.limit ?? DEFAULT_QUERY_LIMIT;
    const found: StoredLogRecord[] = [];
    const related = this.#relatedIds(query.requestId);
    if (query.after !== undefined) {
      for (let i = this.#first; i < this.#lines.length && found.length < limit; i++) {
        const record = (this.#lines[i] as { record: StoredLogRecord }).record;
        if (record.seq > query.after && matchesLogQuery(record, query, related)) found.push(record);
      }
      return found;
    }
    for (let i = this.#lines.length - 1; i >= this.#first && found.length < limit; i--) {
      const record = (this.#lines[i] as { record: StoredLogRecord }).record;
      if (matchesLogQuery(record, query, related)) found.push(record);
    }
    return found.reverse();
  }

  /** The `relatedRequestId`s of the lines of `requestId`. */
  #relatedIds(requestId: string | undefined): Set<string> {
    const related = new Set<string>();
    if (requestId === undefined) return related;
    for (let i = this.#first; i < this.#lines.length; i++) {
      const { record } = this.#lines[i] as { record: StoredLogRecord };
      if (record.requestId === requestId && record.relatedRequestId !== undefined)
        related.add(record.relatedRequestId);
    }
    return related;
  }

  async lastSeq(): Promise<number> {
    return this.#seq;
  }

  #prune(now: number): void {
    const oldest = now - this.#retention.maxAgeMs;
    while (this.#first < this.#lines.length) {
      const line = this.#lines[this.#first] as { record: StoredLogRecord; bytes: number };
      if (this.#bytes <= this.#retention.maxBytes && line.record.time >= oldest) break;
      this.#bytes -= line.bytes;
      this.#first++;
    }
    if (this.#first > 1024 && this.#first * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#first);
      this.#first = 0;
    }
  }
}
