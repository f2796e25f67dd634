/**
 * `up`'s log lines: each batch of lines is one chunk, its texts in a segment file beside the store file
 * (log-segments.ts) and its row in the store's table `log_chunks` (see sqlite-migrations.ts and log-chunk.ts).
 * A query narrows the chunks in SQL by name and time, then by the texts it looks for, then reads their lines.
 * Chunks written before segments keep their texts in their row.
 */
import type Database from "better-sqlite3";
import { type KeptChunk, PLAIN_TEXT, queryChunks, relatedIdsInChunks } from "./chunk-query.js";
import { bufferOf, chunkOfRecords, type LogChunk, lineCount, nameKey } from "./log-chunk.js";
import { LogSegments, SEGMENT_CLOSED, type SegmentPlace } from "./log-segments.js";
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

/** A chunk's row, as a query reads it. */
interface ChunkRow {
  readonly seq: number;
  readonly bytes: number;
  readonly texts: string | Uint8Array;
  readonly segment: number | null;
  readonly segment_offset: number | null;
}

/** What the store's one row in `log_size` holds. */
interface LogSize {
  readonly bytes: number;
  readonly next_seq: number;
  readonly segment: number;
  readonly segment_end: number;
}

/** Segments `from` to `through`: nothing kept is in them. */
interface EmptiedSegments {
  readonly from: number;
  readonly through: number;
}

export class SqliteLogStore implements LogStore {
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #assertOpen: () => void;
  readonly #segments: LogSegments;
  /** Whether the connection keeps log lines alone, so it stays at `synchronous = NORMAL` (see appendChunk). */
  readonly #ownConnection: boolean;
  /** Adds a chunk's row, its bytes written, and says which segments nothing kept is in any more. */
  readonly #append: (chunk: LogChunk, bytes: Uint8Array, now: number) => EmptiedSegments | undefined;
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
    this.#segments = new LogSegments(file);
    this.#retention = retention;
    const insert = db.prepare(
      "INSERT INTO log_chunks (seq, first_time, last_time, bytes, names, texts, segment, segment_offset) VALUES (?, ?, ?, ?, ?, '', ?, ?)",
    );
    const size = db.prepare<[], LogSize>("SELECT bytes, next_seq, segment, segment_end FROM log_size");
    const setSize = db.prepare("UPDATE log_size SET bytes = ?, next_seq = ?, segment = ?, segment_end = ?");
    const oldestFirst = db.prepare<
      [],
      { seq: number; last_time: number; bytes: number; segment: number | null }
    >("SELECT seq, last_time, bytes, segment FROM log_chunks ORDER BY seq");
    const dropThrough = db.prepare("DELETE FROM log_chunks WHERE seq <= ?");
    const oldestSegmentKept = db
      .prepare<[], number>("SELECT segment FROM log_chunks WHERE segment IS NOT NULL ORDER BY seq LIMIT 1")
      .pluck();
    const lastSeq = db.prepare<[], number>("SELECT next_seq - 1 FROM log_size").pluck();
    const chunkHolding = db
      .prepare<[number], number>("SELECT seq FROM log_chunks WHERE seq <= ? ORDER BY seq DESC LIMIT 1")
      .pluck();
    this.#lastSeq = () => lastSeq.get() as number;
    this.#chunkHolding = (seq) => chunkHolding.get(seq);
    // Once per open: the segments no kept chunk is in (a kept chunk's segment is never below its elders').
    const { segment: newest } = size.get() as LogSize;
    this.#segments.deleteBefore(oldestSegmentKept.get() ?? newest + 1);
    this.#append = db.transaction((chunk: LogChunk, bytes: Uint8Array, now: number) => {
      const { bytes: kept, next_seq: seq, segment, segment_end } = size.get() as LogSize;
      const place = this.#segments.write(
        bytes,
        { segment, end: segment_end },
        LogSegments.segmentBytes(this.#retention.maxBytes),
      );
      insert.run(
        seq,
        chunk.firstTime,
        chunk.lastTime,
        bytes.length,
        chunk.names,
        place.segment,
        place.offset,
      );
      // The oldest chunks go: those past the age limit, then as many more as the size limit needs, though never
      // the one just written for size alone. Reading oldest first stops at the first chunk that may stay.
      const cutoff = now - this.#retention.maxAgeMs;
      const excess = kept + bytes.length - this.#retention.maxBytes;
      let through = 0;
      let dropped = 0;
      let firstSegmentDropped: number | null = null;
      for (const row of oldestFirst.iterate()) {
        if (row.last_time >= cutoff && (dropped >= excess || row.seq === seq)) break;
        through = row.seq;
        dropped += row.bytes;
        firstSegmentDropped ??= row.segment;
      }
      let end = place.offset + bytes.length;
      let emptied: EmptiedSegments | undefined;
      if (through > 0) {
        dropThrough.run(through);
        const oldestKept = oldestSegmentKept.get();
        if (oldestKept === undefined) end = SEGMENT_CLOSED;
        const lastEmptied = oldestKept === undefined ? place.segment : oldestKept - 1;
        if (firstSegmentDropped !== null && firstSegmentDropped <= lastEmptied) {
          emptied = { from: firstSegmentDropped, through: lastEmptied };
        }
      }
      setSize.run(kept + bytes.length - dropped, seq + lineCount(chunk), place.segment, end);
      return emptied;
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

  /** In one row, its texts in a segment. */
  appendChunk(chunk: LogChunk): void {
    this.#assertOpen();
    if (chunk.text.length === 0) return;
    const bytes = typeof chunk.text === "string" ? Buffer.from(chunk.text) : chunk.text;
    // Log lines need not wait for the disk as the desired state does: in write-ahead mode, NORMAL loses nothing
    // when Portico crashes, only the last moments' lines if the machine loses power.
    if (!this.#ownConnection) this.#db.pragma("synchronous = NORMAL");
    let emptied: EmptiedSegments | undefined;
    try {
      emptied = this.#append(chunk, bytes, Date.now());
    } finally {
      if (!this.#ownConnection) this.#db.pragma("synchronous = FULL");
    }
    // Once the rows are gone for good: a rolled-back drop leaves its segments.
    if (emptied) this.#segments.delete(emptied.from, emptied.through);
  }

  async lastSeq(): Promise<number> {
    this.#assertOpen();
    return this.#lastSeq();
  }

  async query(query: LogQuery): Promise<StoredLogRecord[]> {
    this.#assertOpen();
    const requestId = query.requestId;
    const related = relatedIdsInChunks(requestId, () =>
      this.#chunks([], [], "ASC", (texts) => holds(texts, requestId as string)),
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
    if (query.after !== undefined) {
      where.push("seq >= ?");
      params.push(this.#chunkHolding(query.after) ?? 0);
    }
    const ids = requestId === undefined ? undefined : [requestId, ...related];
    const filter =
      query.filter !== undefined && PLAIN_TEXT.test(query.filter) ? query.filter.toLowerCase() : undefined;
    const mayHold = (texts: string | Uint8Array) =>
      (ids === undefined || ids.some((id) => holds(texts, id))) &&
      (filter === undefined || holdsCaseless(texts, filter));
    return queryChunks(query, related, (order) => this.#chunks(where, params, order, mayHold));
  }

  /** The chunks `where` selects whose texts `mayHold` what is looked for, read from their segments. */
  *#chunks(
    where: readonly string[],
    params: readonly (string | number)[],
    order: "ASC" | "DESC",
    mayHold: (texts: string | Uint8Array) => boolean,
  ): Iterable<KeptChunk> {
    const sql = `SELECT seq, bytes, texts, segment, segment_offset FROM log_chunks ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq ${order}`;
    try {
      for (const row of this.#db.prepare<unknown[], ChunkRow>(sql).iterate(...params)) {
        const texts =
          row.segment === null
            ? row.texts
            : this.#segments.read(
                { segment: row.segment, offset: row.segment_offset } as SegmentPlace,
                row.bytes,
              );
        if (texts !== undefined && mayHold(texts)) yield { seq: row.seq, texts };
      }
    } finally {
      this.#segments.doneReading();
    }
  }
}

/** Whether packed texts hold `text`. */
function holds(texts: string | Uint8Array, text: string): boolean {
  return typeof texts === "string" ? texts.includes(text) : bufferOf(texts).includes(text);
}

/** Whether packed texts hold `lowered` (printable ASCII, lower case) in any case. */
function holdsCaseless(texts: string | Uint8Array, lowered: string): boolean {
  // Read as Latin-1, each byte a character: cased ASCII folds as in UTF-8, and no other byte folds into ASCII.
  const text = typeof texts === "string" ? texts : bufferOf(texts).toString("latin1");
  return text.toLowerCase().includes(lowered);
}
