/**
 * The store `up` runs on: the desired state in one SQLite file (WAL, every commit synced), which several
 * processes on the machine may open at once. It keeps every promise of the Store interface.
 */
import Database from "better-sqlite3";
import {
  type DesiredState,
  PorticoError,
  RECORD_KINDS,
  type RecordKind,
  type StateChange,
} from "../../model/index.js";
import type { LogLocation, LogRetention } from "./log-store.js";
import { recordToJson } from "./record-json.js";
import { SqliteChangeFeed } from "./sqlite-change-feed.js";
import { SqliteInvocationQueue } from "./sqlite-invocation-queue.js";
import { SqliteLogStore } from "./sqlite-log-store.js";
import { assertKnownSchema, migrate } from "./sqlite-migrations.js";
import { type Snapshot, type Store, StoreClosedError, StoreConflictError } from "./store.js";

export interface SqliteStoreOptions {
  /** How often to look for other processes' commits while someone watches. Default 250 ms. */
  readonly pollIntervalMs?: number;
  /**
   * How many of the last changes to keep for watches (at least 1). A watch from further back gets one change
   * up to the current state instead (see Store.watch). Default 1000.
   */
  readonly retainedChanges?: number;
  /** Bounds of the log lines kept. Default SQLITE_LOG_RETENTION. */
  readonly logRetention?: LogRetention;
}

/** How long a write waits for another process's transaction to end before it fails with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/** The file could not be opened as a Portico store. */
export class StoreOpenError extends PorticoError {
  readonly file: string;

  constructor(file: string, cause: unknown) {
    super("STORE_OPEN_FAILED", `Cannot open the store ${file}: ${(cause as Error).message}`, { cause });
    this.name = "StoreOpenError";
    this.file = file;
  }
}

interface RowWrite {
  readonly kind: RecordKind;
  readonly name: string;
  /** The record as JSON, or null to delete it. */
  readonly body: string | null;
}

export class SqliteStore implements Store {
  readonly file: string;
  readonly invocations: SqliteInvocationQueue;
  readonly logs: SqliteLogStore;
  readonly #db: Database.Database;
  readonly #feed: SqliteChangeFeed;
  readonly #commit: (expectedVersion: number, writes: readonly RowWrite[], body: string) => number;
  readonly #load: () => { version: number; rows: { kind: string; name: string; body: string }[] };
  #closed = false;

  /**
   * Opens the store in `file`, creating the file (not its directory) and bringing its schema up to date. Throws
   * StoreSchemaTooNewError for a file from a newer Portico, StoreOpenError for any other file it cannot use.
   */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    const { pollIntervalMs = 250, retainedChanges = 1000 } = options;
    if (!(pollIntervalMs > 0)) throw new RangeError(`pollIntervalMs must be positive, got ${pollIntervalMs}`);
    if (!Number.isInteger(retainedChanges) || retainedChanges < 1) {
      throw new RangeError(`retainedChanges must be a positive integer, got ${retainedChanges}`);
    }
    let db: Database.Database;
    try {
      db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new StoreOpenError(file, error);
    }
    try {
      // Before anything writes to it: a newer Portico's file is left as it was.
      assertKnownSchema(db, file);
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal") throw new Error(`it cannot use write-ahead logging (journal mode ${String(mode)})`);
      // Per connection, not kept in the file: with FULL, a commit is synced to disk before it returns.
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      migrate(db, file);
      return new SqliteStore(file, db, pollIntervalMs, retainedChanges, options.logRetention);
    } catch (error) {
      db.close();
      throw error instanceof PorticoError ? error : new StoreOpenError(file, error);
    }
  }

  /**
   * A connection of its own to the log lines of a store that is open already (so its schema is current): a
   * thread that keeps log lines writes through it, beside the desired state's connection.
   */
  static openLogs(location: LogLocation): { readonly logs: SqliteLogStore; close(): void } {
    const file = location.sqliteFile;
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
    let open = true;
    const assertOpen = () => {
      if (!open) throw new StoreClosedError(file);
    };
    return {
      logs: new SqliteLogStore(db, file, assertOpen, location.retention, { ownConnection: true }),
      close() {
        open = false;
        db.close();
      },
    };
  }

  private constructor(
    file: string,
    db: Database.Database,
    pollIntervalMs: number,
    retainedChanges: number,
    logRetention: LogRetention | undefined,
  ) {
    this.file = file;
    this.#db = db;
    this.#feed = new SqliteChangeFeed(db, pollIntervalMs);
    this.invocations = new SqliteInvocationQueue(db, () => this.#assertOpen());
    this.logs = new SqliteLogStore(db, file, () => this.#assertOpen(), logRetention);

    const version = db.prepare<[], number>("SELECT version FROM state_version").pluck();
    const setVersion = db.prepare("UPDATE state_version SET version = ?");
    const upsert = db.prepare(`
      INSERT INTO records (kind, name, body, version) VALUES (?, ?, ?, ?)
      ON CONFLICT (kind, name) DO UPDATE SET body = excluded.body, version = excluded.version`);
    // A deleted record stays as a tombstone: see the records table.
    const tombstone = db.prepare(
      "UPDATE records SET body = NULL, version = ? WHERE kind = ? AND name = ? AND body IS NOT NULL",
    );
    const logChange = db.prepare("INSERT INTO changes (version, body, committed_at) VALUES (?, ?, ?)");
    const pruneChanges = db.prepare("DELETE FROM changes WHERE version <= ?");
    const live = db.prepare<[], { kind: string; name: string; body: string }>(
      "SELECT kind, name, body FROM records WHERE body IS NOT NULL",
    );

    // IMMEDIATE takes the write lock first, so commits of several processes queue up instead of deadlocking.
    this.#commit = db.transaction((expectedVersion: number, writes: readonly RowWrite[], body: string) => {
      const current = version.get() as number;
      if (current !== expectedVersion) throw new StoreConflictError(expectedVersion, current);
      const next = current + 1;
      for (const write of writes) {
        if (write.body === null) tombstone.run(next, write.kind, write.name);
        else upsert.run(write.kind, write.name, write.body, next);
      }
      setVersion.run(next);
      logChange.run(next, body, Date.now());
      pruneChanges.run(next - retainedChanges);
      return next;
    }).immediate;
    this.#load = db.transaction(() => ({ version: version.get() as number, rows: live.all() }));
  }

  async load(): Promise<Snapshot> {
    this.#assertOpen();
    const { version, rows } = this.#load();
    const state = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, new Map<string, unknown>()]));
    for (const row of rows) {
      const records = state[row.kind];
      if (records === undefined) {
        const message = `The store ${this.file} holds a record of unknown kind ${row.kind}.`;
        throw new PorticoError("STORE_UNKNOWN_KIND", message, { isUserError: false });
      }
      records.set(row.name, JSON.parse(row.body));
    }
    return { version, state: state as unknown as DesiredState };
  }

  async commit(expectedVersion: number, change: StateChange): Promise<number> {
    this.#assertOpen();
    const writes = change.map((write) => ({ kind: write.kind, name: write.name, body: recordToJson(write) }));
    const body = JSON.stringify(change);
    const version = this.#commit(expectedVersion, writes, body);
    // Watchers get the change as read back: nothing the caller still holds is shared with them.
    this.#feed.committed(version, JSON.parse(body));
    return version;
  }

  watch(sinceVersion: number, listener: (version: number, change: StateChange) => void): () => void {
    this.#assertOpen();
    return this.#feed.watch(sinceVersion, listener);
  }

  /** Stops the watches and closes the file; any later call but `close` throws StoreClosedError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#feed.close();
    this.#db.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError(this.file);
  }
}
