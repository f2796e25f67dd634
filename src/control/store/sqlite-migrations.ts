/**
 * The SQLite store's schema, as an ordered list of migrations. `PRAGMA user_version` counts those applied, so
 * a file is brought up to date step by step, and a file from a newer Portico is refused rather than misread.
 */
import type { Database } from "better-sqlite3";
import { PorticoError } from "../../model/index.js";

/** Never edit or reorder a released migration: files in the field were built by it. Append a new one. */
const MIGRATIONS: readonly string[] = [
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
];

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
    db.exec(migration);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) {}
}
