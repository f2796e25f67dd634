/**
 * Watches on the SQLite store. This process's commits reach its watchers as they happen; those of other
 * processes sharing the file are found by polling, only while someone watches.
 */
import type { Database, Statement } from "better-sqlite3";
import type { RecordKind, RecordWrite, StateChange } from "../../model/index.js";

type Listener = (version: number, change: StateChange) => void;

interface Watcher {
  readonly listener: Listener;
  /** The last version it was given. */
  last: number;
  active: boolean;
}

interface Committed {
  readonly version: number;
  readonly change: StateChange;
}

interface RecordRow {
  kind: RecordKind;
  name: string;
  body: string | null;
}

export class SqliteChangeFeed {
  readonly #pollIntervalMs: number;
  readonly #watchers = new Set<Watcher>();
  readonly #dataVersion: Statement<[], number>;
  readonly #readAfter: (after: number) => Committed[];
  #timer: NodeJS.Timeout | undefined;
  /** `PRAGMA data_version` at the last poll: it moves only when another connection commits. */
  #lastDataVersion = -1;

  constructor(db: Database, pollIntervalMs: number) {
    this.#pollIntervalMs = pollIntervalMs;
    this.#dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
    const current = db.prepare<[], number>("SELECT version FROM state_version").pluck();
    const oldest = db.prepare<[], number | null>("SELECT min(version) FROM changes").pluck();
    const logged = db.prepare<[number], { version: number; body: string }>(
      "SELECT version, body FROM changes WHERE version > ? ORDER BY version",
    );
    const touched = db.prepare<[number], RecordRow>(
      "SELECT kind, name, body FROM records WHERE version > ? ORDER BY version",
    );
    // One read transaction: the log, the records and the version are seen as of the same commit.
    this.#readAfter = db.transaction((after: number): Committed[] => {
      const version = current.get() as number;
      if (version <= after) return [];
      const first = oldest.get();
      if (first !== null && first !== undefined && first <= after + 1) {
        return logged.all(after).map((row) => ({ version: row.version, change: JSON.parse(row.body) }));
      }
      // The log no longer reaches back to `after`: one change that takes the state at `after` to the current
      // one, from the records (deleted ones included) written since.
      const change = touched.all(after).map(
        (row) =>
          ({
            kind: row.kind,
            name: row.name,
            record: row.body === null ? null : JSON.parse(row.body),
          }) as RecordWrite,
      );
      return [{ version, change }];
    });
  }

  /** Gives `listener` the changes committed after `sinceVersion` now, then each later one. */
  watch(sinceVersion: number, listener: Listener): () => void {
    const watcher: Watcher = { listener, last: sinceVersion, active: true };
    // Registered before the replay, so a commit a listener makes meanwhile reaches it too, in order.
    this.#watchers.add(watcher);
    this.#catchUp(watcher);
    if (this.#timer === undefined) {
      this.#lastDataVersion = -1;
      this.#timer = setInterval(() => this.#poll(), this.#pollIntervalMs).unref();
    }
    return () => {
      watcher.active = false;
      this.#watchers.delete(watcher);
      if (this.#watchers.size === 0) this.#stopPolling();
    };
  }

  /** This process committed `version`: each watcher gets it, after whatever it still missed from others. */
  committed(version: number, change: StateChange): void {
    for (const watcher of [...this.#watchers]) {
      if (!watcher.active || watcher.last >= version) continue;
      if (watcher.last === version - 1) deliver(watcher, version, change);
      else this.#catchUp(watcher);
    }
  }

  close(): void {
    this.#stopPolling();
    for (const watcher of this.#watchers) watcher.active = false;
    this.#watchers.clear();
  }

  #poll(): void {
    const dataVersion = this.#dataVersion.get() as number;
    if (dataVersion === this.#lastDataVersion) return;
    this.#lastDataVersion = dataVersion;
    for (const watcher of [...this.#watchers]) if (watcher.active) this.#catchUp(watcher);
  }

  #catchUp(watcher: Watcher): void {
    // Read whole before any listener runs: a listener may commit, which cannot happen inside a read.
    for (const { version, change } of this.#readAfter(watcher.last)) {
      if (!watcher.active) return;
      // A commit made by a listener may have reached this watcher already.
      if (version > watcher.last) deliver(watcher, version, change);
    }
  }

  #stopPolling(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * A listener's error is thrown again on its own, out of the commit or poll that called it: the commit stands
 * whatever a listener does, and the other watchers still get the change.
 */
function deliver(watcher: Watcher, version: number, change: StateChange): void {
  watcher.last = version;
  try {
    watcher.listener(version, change);
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}
