/**
 * The SQLite store's schema, as an ordered list of migrations. `PRAGMA user_version` counts those applied, so
 * a file is brought up to date step by step, and a file from a newer Portico is refused rather than misread.
 */
import type { Database } from "better-sqlite3";
import { PorticoError } from "../../model/index.js";
import { chunkOfRecords, lineCount } from "./log-chunk.js";
import type { LogKind, LogRecord } from "./log-store.js";

/** SQL, or what SQL alone cannot do. */
type Migration = string | ((db: Database) => void);

/** Never edit or reorder a released migration: files in the field were built by it. Append a new one. */
const MIGRATIONS: readonly Migration[] = [
  // 1: desired state, its change log, and the asynchronous invocation queue.
  `
  CREATE TABLE state_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
  );
  INSERT INTO state_version (id, version) VALUES (1, 0);

  -- body is the record as JSON, or NULL once deleted: the row stays (a tombstone) so a watcher that fell behind
  -- the change log still learns of the deletion. version is the state version that last wrote the row.
  CREATE TABLE records (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT,
    version INTEGER NOT NULL,
    PRIMARY KEY (kind, name)
  ) WITHOUT ROWID;
  CREATE INDEX records_by_version ON records (version);

  -- The last changes, each as committed (a JSON array of writes), for watchers in other processes.
  CREATE TABLE changes (
    version INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    committed_at INTEGER NOT NULL
  );

  CREATE TABLE invocations (
    id TEXT PRIMARY KEY,
    function_name TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL,
    held_until INTEGER NOT NULL DEFAULT 0,
    enqueued_at INTEGER NOT NULL
  );
  -- Claims scan due rows oldest first; the index's implicit rowid breaks ties in the order they were pushed.
  CREATE INDEX invocations_due ON invocations (not_before);
  `,
  // 2: what functions and services wrote, line by line; bytes counts each line for the size limit, and
  // log_size their sum, so a write need not add up the whole table to know whether to drop the oldest.
  `
  CREATE TABLE logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    revision TEXT,
    instance TEXT,
    request_id TEXT,
    related_request_id TEXT,
    level TEXT,
    message TEXT NOT NULL,
    json TEXT,
    bytes INTEGER NOT NULL
  );
  -- Few indexes, as each costs every line written: lines go oldest (lowest seq) first, and most lines have no
  -- related request id, so that index holds only those that do.
  CREATE INDEX logs_by_name ON logs (name, seq);
  CREATE INDEX logs_by_request ON logs (request_id) WHERE request_id IS NOT NULL;
  CREATE INDEX logs_by_related_request ON logs (related_request_id) WHERE related_request_id IS NOT NULL;
  CREATE TABLE log_size (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    bytes INTEGER NOT NULL
  );
  INSERT INTO log_size (id, bytes) VALUES (1, 0);
  `,
  // 3: request ids are random, so their indexes put each line on a page of its own: they tripled the cost of
  // every line written. A lookup by request id scans the lines instead, newest first, as a text filter does.
  `
  DROP INDEX logs_by_request;
  DROP INDEX logs_by_related_request;
  `,
  // 4: a row a line still cost more than everything else in keeping it: the lines of a batch now share one row,
  // as a chunk (log-chunk.ts). seq is the chunk's first line's, and log_size.next_seq the next line's, so that a
  // line's seq is never given again, even once every chunk has gone. texts comes last: a read of the columns
  // before it need not walk its overflow pages. The lines kept so far move into chunks.
  (db) => {
    db.exec(`
      CREATE TABLE log_chunks (
        seq INTEGER PRIMARY KEY,
        first_time INTEGER NOT NULL,
        last_time INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        names TEXT NOT NULL,
        texts TEXT NOT NULL
      );
      ALTER TABLE log_size ADD COLUMN next_seq INTEGER NOT NULL DEFAULT 1;
    `);
    const insert = db.prepare(
      "INSERT INTO log_chunks (seq, first_time, last_time, bytes, names, texts) VALUES (?, ?, ?, ?, ?, ?)",
    );
    // Each line keeps its seq: a chunk holds consecutive ones only.
    let seq = 1;
    let bytes = 0;
    const batch: LogRecord[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const chunk = chunkOfRecords(batch);
      const count = lineCount(chunk);
      insert.run(seq, chunk.firstTime, chunk.lastTime, chunk.text.length, chunk.names, chunk.text);
      seq += count;
      bytes += chunk.text.length;
      batch.length = 0;
    };
    for (const row of db.prepare<[], OldLogRow>("SELECT * FROM logs ORDER BY seq").iterate()) {
      if (row.seq !== seq + batch.length || batch.length === 500) {
        flush();
        seq = Math.max(seq, row.seq);
      }
      batch.push(oldLogRecord(row));
    }
    flush();
    const given = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'logs'").pluck().get() as
      | number
      | undefined;
    db.prepare("UPDATE log_size SET bytes = ?, next_seq = ?").run(bytes, Math.max(seq, (given ?? 0) + 1));
    db.exec("DROP TABLE logs");
  },
  // 5: a chunk's texts go to a segment file beside the store (log-segments.ts), written once, and its row says
  // where: texts is '' in such rows. log_size says where the last chunk's bytes end, so the next goes after them.
  `
  ALTER TABLE log_chunks ADD COLUMN segment INTEGER;
  ALTER TABLE log_chunks ADD COLUMN segment_offset INTEGER;
  ALTER TABLE log_size ADD COLUMN segment INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE log_size ADD COLUMN segment_end INTEGER NOT NULL DEFAULT 0;
  `,
];

/** A line as schemas 2 and 3 kept it (json: "" when it was the message itself). */
interface OldLogRow {
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

function oldLogRecord(row: OldLogRow): LogRecord {
  const record: { -readonly [K in keyof LogRecord]: LogRecord[K] } = {
    time: row.time,
    kind: row.kind as LogKind,
    name: row.name,
    message: row.message,
  };
  if (row.revision !== null) record.revision = row.revision;
  if (row.instance !== null) record.instance = row.instance;
  if (row.request_id !== null) record.requestId = row.request_id;
  if (row.related_request_id !== null) record.relatedRequestId = row.related_request_id;
  if (row.level !== null) record.level = row.level;
  if (row.json !== null) {
    record.jsonText = row.json === "" ? row.message : row.json;
    record.json = JSON.parse(record.jsonText);
  }
  return record;
}

/** The schema version this Portico writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The file was written by a newer Portico, whose schema this one does not know. */
export class StoreSchemaTooNewError extends PorticoError {
  readonly file: string;
  readonly fileVersion: number;
  readonly knownVersion: number;

  constructor(file: string, fileVersion: number, knownVersion: number) {
    super(
      "STORE_SCHEMA_TOO_NEW",
      `The store ${file} has schema version ${fileVersion}, but this Portico knows versions up to ` +
        `${knownVersion}: it was written by a newer Portico. Upgrade Portico, or use another data directory.`,
    );
    this.name = "StoreSchemaTooNewError";
    this.file = file;
    this.fileVersion = fileVersion;
    this.knownVersion = knownVersion;
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Throws StoreSchemaTooNewError unless this Portico can read the schema of `db` (at `file`). */
export function assertKnownSchema(db: Database, file: string): void {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) throw new StoreSchemaTooNewError(file, version, SCHEMA_VERSION);
}

/**
 * Applies the migrations `db` lacks up to `target` (an older schema: for tests), each in its own transaction.
 * IMMEDIATE, and the version read again inside it, so that processes opening the same file at once apply each
 * migration exactly once between them.
 */
export function migrate(db: Database, file: string, target = SCHEMA_VERSION): void {
  const step = db.transaction((): boolean => {
    assertKnownSchema(db, file);
    const version = schemaVersion(db);
    const migration = MIGRATIONS[version];
    if (migration === undefined || version >= target) return false;
    if (typeof migration === "string") db.exec(migration);
    else migration(db);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) {}
}
