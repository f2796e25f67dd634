/** `up`'s log lines, in the store's SQLite file (table `logs`, see sqlite-migrations.ts). */
import type Database from "better-sqlite3";
import {
  DEFAULT_QUERY_LIMIT,
  jsonTextOf,
  type LogKind,
  type LogLocation,
  type LogQuery,
  type LogRecord,
  type LogRetention,
  type LogStore,
  recordBytes,
  type StoredLogRecord,
} from "./log-store.js";

export const SQLITE_LOG_RETENTION: LogRetention = {
  maxBytes: 256 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 3600_000,
};

const COLUMNS = 11;
const ROWS_PER_INSERT = 25;

interface LogRow {
  seq: number;
  time: number;
  kind: string;
  name: string;
  revision: string | null;
  instance: string | null;
  request_id: string | null;
  related_request_id: string | null;
  level: string | null;
  message: string;
  json: string | null;
}

export class SqliteLogStore implements LogStore {
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #assertOpen: () => void;
  readonly #append: (records: readonly LogRecord[], now: number) => void;
  readonly #lastSeq: () => number;
  #retention: LogRetention;

  constructor(
    db: Database.Database,
    file: string,
    assertOpen: () => void,
    retention: LogRetention = SQLITE_LOG_RETENTION,
  ) {
    this.#db = db;
    this.#file = file;
    this.#assertOpen = assertOpen;
    this.#retention = retention;
    const columns =
      "INSERT INTO logs (time, kind, name, revision, instance, request_id, related_request_id, level, message, json, bytes) VALUES ";
    const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    const insertOne = db.prepare(columns + row);
    // Many rows a statement: each run of a statement costs about as much as a row it inserts.
    const insertMany = db.prepare(columns + Array(ROWS_PER_INSERT).fill(row).join(", "));
    const total = db.prepare<[], number>("SELECT bytes FROM log_size").pluck();
    const addBytes = db.prepare("UPDATE log_size SET bytes = bytes + ?");
    const oldestFirst = db.prepare<[], { seq: number; time: number; bytes: number }>(
      "SELECT seq, time, bytes FROM logs ORDER BY seq",
    );
    const dropThrough = db.prepare("DELETE FROM logs WHERE seq <= ?");
    const lastSeq = db.prepare<[], number>("SELECT COALESCE(MAX(seq), 0) FROM logs").pluck();
    this.#lastSeq = () => lastSeq.get() as number;
    this.#append = db.transaction((records: readonly LogRecord[], now: number) => {
      let added = 0;
      const params: (string | number | null)[] = [];
      for (const r of records) {
        const bytes = recordBytes(r);
        added += bytes;
        params.push(
          r.time,
          r.kind,
          r.name,
          r.revision ?? null,
          r.instance ?? null,
          r.requestId ?? null,
          r.relatedRequestId ?? null,
          r.level ?? null,
          r.message,
          jsonColumn(r),
          bytes,
        );
        if (params.length === ROWS_PER_INSERT * COLUMNS) {
          insertMany.run(params);
          params.length = 0;
        }
      }
      for (let at = 0; at < params.length; at += COLUMNS) insertOne.run(params.slice(at, at + COLUMNS));
      // The oldest lines go: those past the age limit, then as many more as the size limit needs. Reading
      // oldest first stops at the first line that may stay, which is usually the first one read.
      const cutoff = now - this.#retention.maxAgeMs;
      const excess = (total.get() as number) + added - this.#retention.maxBytes;
      let through = 0;
      let dropped = 0;
      for (const row of oldestFirst.iterate()) {
        if (row.time >= cutoff && dropped >= excess) break;
        through = row.seq;
        dropped += row.bytes;
      }
      if (through > 0) dropThrough.run(through);
      addBytes.run(added - dropped);
    }).immediate;
  }

  setRetention(retention: LogRetention): void {
    this.#retention = retention;
  }

  get location(): LogLocation {
    return { sqliteFile: this.#file, retention: this.#retention };
  }

  async append(records: readonly LogRecord[]): Promise<void> {
    this.#assertOpen();
    if (records.length === 0) return;
    // Log lines need not wait for the disk as the desired state does: in write-ahead mode, NORMAL loses nothing
    // when Portico crashes, only the last moments' lines if the machine loses power.
    this.#db.pragma("synchronous = NORMAL");
    try {
      this.#append(records, Date.now());
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
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.kind !== undefined) add("kind = ?", query.kind);
    if (query.name !== undefined) add("name = ?", query.name);
    if (query.since !== undefined) add("time >= ?", query.since);
    if (query.until !== undefined) add("time < ?", query.until);
    if (query.requestId !== undefined)
      add(
        `(request_id = ? OR related_request_id = ? OR request_id IN
          (SELECT related_request_id FROM logs WHERE request_id = ? AND related_request_id IS NOT NULL))`,
        query.requestId,
        query.requestId,
        query.requestId,
      );
    if (query.filter !== undefined) add("instr(lower(message), lower(?)) > 0", query.filter);
    if (query.after !== undefined) add("seq > ?", query.after);
    const order = query.after !== undefined ? "ASC" : "DESC";
    const sql = `SELECT * FROM logs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq ${order} LIMIT ?`;
    const rows = this.#db.prepare<unknown[], LogRow>(sql).all(...params, query.limit ?? DEFAULT_QUERY_LIMIT);
    if (order === "DESC") rows.reverse();
    return rows.map(fromRow);
  }
}

/**
 * What the `json` column holds for a JSON line whose message is the line itself (it has no `message` field, as an
 * access-log line): the text is kept once, in `message`. Never a JSON object's text, so never ambiguous.
 */
const SAME_AS_MESSAGE = "";

function jsonColumn(record: LogRecord): string | null {
  if (record.json === undefined) return null;
  const text = jsonTextOf(record);
  return text === record.message ? SAME_AS_MESSAGE : text;
}

function fromRow(row: LogRow): StoredLogRecord {
  const record: Record<string, unknown> = {
    seq: row.seq,
    time: row.time,
    kind: row.kind as LogKind,
    name: row.name,
  };
  if (row.revision !== null) record.revision = row.revision;
  if (row.instance !== null) record.instance = row.instance;
  if (row.request_id !== null) record.requestId = row.request_id;
  if (row.related_request_id !== null) record.relatedRequestId = row.related_request_id;
  if (row.level !== null) record.level = row.level;
  record.message = row.message;
  if (row.json !== null) record.json = JSON.parse(row.json === SAME_AS_MESSAGE ? row.message : row.json);
  return record as unknown as StoredLogRecord;
}
