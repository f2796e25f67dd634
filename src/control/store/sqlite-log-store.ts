/**
 * `up`'s log lines, in the store's SQLite file: each batch of lines is one chunk (table `log_chunks`, see
 * sqlite-migrations.ts and log-chunk.ts). A query narrows the chunks in SQL by name, time and text, then reads
 * their lines.
 */
import type Database from "better-sqlite3";
import { type KeptChunk, PLAIN_TEXT, queryChunks, relatedIdsInChunks } from "./chunk-query.js";
import { chunkOfRecords, type LogChunk, lineCount, nameKey } from "./log-chunk.js";
import type {
  LogLocation,
  LogQuery,
  LogRecord,
  LogRetention,
  LogStore,
  StoredLogRecord,
} from "./log-store.js";

export const SQLITE_LOG_RETENTION: LogRetention = {
  maxBytes: 256 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 3600_000,
};

export class SqliteLogStore implements LogStore {
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #assertOpen: () => void;
  /** Whether the connection keeps log lines alone, so it stays at `synchronous = NORMAL` (see appendChunk). */
  readonly #ownConnection: boolean;
  readonly #append: (chunk: LogChunk, now: number) => void;
  readonly #lastSeq: () => number;
  readonly #chunkHolding: (seq: number) => number | undefined;
  #retention: LogRetention;

  constructor(
    db: Database.Database,
    file: string,
    assertOpen: () => void,
    retention: LogRetention = SQLITE_LOG_RETENTION,
    { ownConnection = false } = {},
  ) {
    this.#db = db;
    this.#ownConnection = ownConnection;
    if (ownConnection) db.pragma("synchronous = NORMAL");
    this.#file = file;
    this.#assertOpen = assertOpen;
    this.#retention = retention;
    const insert = db.prepare(
      "INSERT INTO log_chunks (seq, first_time, last_time, bytes, names, texts) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const sizeAndNext = db.prepare<[], { bytes: number; next_seq: number }>(
      "SELECT bytes, next_seq FROM log_size",
    );
    const setSizeAndNext = db.prepare("UPDATE log_size SET bytes = ?, next_seq = ?");
    const oldestFirst = db.prepare<[], { seq: number; last_time: number; bytes: number }>(
      "SELECT seq, last_time, bytes FROM log_chunks ORDER BY seq",
    );
    const dropThrough = db.prepare("DELETE FROM log_chunks WHERE seq <= ?");
    const lastSeq = db.prepare<[], number>("SELECT next_seq - 1 FROM log_size").pluck();
    const chunkHolding = db
      .prepare<[number], number>("SELECT seq FROM log_chunks WHERE seq <= ? ORDER BY seq DESC LIMIT 1")
      .pluck();
    this.#lastSeq = () => lastSeq.get() as number;
    this.#chunkHolding = (seq) => chunkHolding.get(seq);
    this.#append = db.transaction((chunk: LogChunk, now: number) => {
      const { bytes, next_seq: seq } = sizeAndNext.get() as { bytes: number; next_seq: number };
      const count = lineCount(chunk);
      const chunkBytes = chunk.text.length;
      insert.run(seq, chunk.firstTime, chunk.lastTime, chunkBytes, chunk.names, chunk.text);
      // The oldest chunks go: those past the age limit, then as many more as the size limit needs, though never
      // the one just written for size alone. Reading oldest first stops at the first chunk that may stay.
      const cutoff = now - this.#retention.maxAgeMs;
      const excess = bytes + chunkBytes - this.#retention.maxBytes;
      let through = 0;
      let dropped = 0;
      for (const row of oldestFirst.iterate()) {
        if (row.last_time >= cutoff && (dropped >= excess || row.seq === seq)) break;
        through = row.seq;
        dropped += row.bytes;
      }
      if (through > 0) dropThrough.run(through);
      setSizeAndNext.run(bytes + chunkBytes - dropped, seq + count);
    }).immediate;
  }

  setRetention(retention: LogRetention): void {
    this.#retention = retention;
  }

  get location(): LogLocation {
    return { sqliteFile: this.#file, retention: this.#retention };
  }

  async append(records: readonly LogRecord[]): Promise<void> {
    if (records.length > 0) this.appendChunk(chunkOfRecords(records));
  }

  /** In one row. */
  appendChunk(chunk: LogChunk): void {
    this.#assertOpen();
    if (chunk.text.length === 0) return;
    // Log lines need not wait for the disk as the desired state does: in write-ahead mode, NORMAL loses nothing
    // when Portico crashes, only the last moments' lines if the machine loses power.
    if (this.#ownConnection) {
      this.#append(chunk, Date.now());
      return;
    }
    this.#db.pragma("synchronous = NORMAL");
    try {
      this.#append(chunk, Date.now());
    } finally {
      this.#db.pragma("synchronous = FULL");
    }
  }

  async lastSeq(): Promise<number> {
    this.#assertOpen();
    return this.#lastSeq();
  }

  async query(query: LogQuery): Promise<StoredLogRecord[]> {
    this.#assertOpen();
    const related = relatedIdsInChunks(query.requestId, () =>
      this.#chunks(["instr(texts, ?) > 0"], [query.requestId as string], "ASC"),
    );
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.kind !== undefined || query.name !== undefined) {
      where.push("instr(names, ?) > 0");
      params.push(nameKey(query.kind, query.name));
    }
    if (query.since !== undefined) {
      where.push("last_time >= ?");
      params.push(query.since);
    }
    if (query.until !== undefined) {
      where.push("first_time < ?");
      params.push(query.until);
    }
    if (query.requestId !== undefined) {
      const ids = [query.requestId, ...related];
      where.push(`(${ids.map(() => "instr(texts, ?) > 0").join(" OR ")})`);
      params.push(...ids);
    }
    if (query.filter !== undefined && PLAIN_TEXT.test(query.filter)) {
      where.push("instr(lower(texts), lower(?)) > 0");
      params.push(query.filter);
    }
    if (query.after !== undefined) {
      where.push("seq >= ?");
      params.push(this.#chunkHolding(query.after) ?? 0);
    }
    return queryChunks(query, related, (order) => this.#chunks(where, params, order));
  }

  #chunks(
    where: readonly string[],
    params: readonly (string | number)[],
    order: "ASC" | "DESC",
  ): Iterable<KeptChunk> {
    const sql = `SELECT seq, texts FROM log_chunks ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq ${order}`;
    return this.#db.prepare<unknown[], KeptChunk>(sql).iterate(...params);
  }
}
