/**
 * The asynchronous invocation queue in the SQLite store's file. A claim is one IMMEDIATE transaction, so two
 * processes sharing the file never hold the same invocation at once.
 */
import type { Database, Statement } from "better-sqlite3";
import type { InvocationQueue, QueuedInvocation } from "./store.js";

interface InvocationRow {
  id: string;
  function_name: string;
  payload: string;
  attempts: number;
  not_before: number;
  enqueued_at: number;
}

export class SqliteInvocationQueue implements InvocationQueue {
  readonly #assertOpen: () => void;
  readonly #push: Statement<[Omit<QueuedInvocation, "attempts" | "notBefore">]>;
  readonly #hold: Statement<[number, string]>;
  readonly #remove: Statement<[string]>;
  readonly #retryAt: Statement<[number, string]>;
  readonly #release: Statement<[number, string]>;
  readonly #extend: (ids: readonly string[], heldUntil: number) => void;
  readonly #size: Statement<[], number>;
  readonly #claim: (now: number, leaseMs: number, limit: number) => QueuedInvocation[];

  /** `assertOpen` throws once the store is closed. */
  constructor(db: Database, assertOpen: () => void) {
    this.#assertOpen = assertOpen;
    // Pushing an id again starts it afresh, as the memory store does.
    this.#push = db.prepare(`
      INSERT INTO invocations (id, function_name, payload, attempts, not_before, held_until, enqueued_at)
      VALUES (@id, @functionName, @payload, 0, @enqueuedAt, 0, @enqueuedAt)
      ON CONFLICT (id) DO UPDATE SET function_name = excluded.function_name, payload = excluded.payload,
        attempts = 0, not_before = excluded.not_before, held_until = 0, enqueued_at = excluded.enqueued_at`);
    this.#hold = db.prepare("UPDATE invocations SET held_until = ? WHERE id = ?");
    this.#remove = db.prepare("DELETE FROM invocations WHERE id = ?");
    this.#retryAt = db.prepare(
      "UPDATE invocations SET attempts = attempts + 1, not_before = ?, held_until = 0 WHERE id = ?",
    );
    this.#release = db.prepare("UPDATE invocations SET not_before = ?, held_until = 0 WHERE id = ?");
    // One transaction, so one sync to disk however many are extended.
    this.#extend = db.transaction((ids: readonly string[], heldUntil: number) => {
      for (const id of ids) this.#hold.run(heldUntil, id);
    });
    this.#size = db.prepare<[], number>("SELECT count(*) FROM invocations").pluck();
    const due = db.prepare<[{ now: number; limit: number }], InvocationRow>(`
      SELECT id, function_name, payload, attempts, not_before, enqueued_at FROM invocations
      WHERE not_before <= @now AND held_until <= @now
      ORDER BY not_before, rowid LIMIT @limit`);
    this.#claim = db.transaction((now: number, leaseMs: number, limit: number): QueuedInvocation[] => {
      const rows = due.all({ now, limit });
      for (const row of rows) this.#hold.run(now + leaseMs, row.id);
      return rows.map(toInvocation);
    }).immediate;
  }

  async push(invocation: Omit<QueuedInvocation, "attempts" | "notBefore">): Promise<void> {
    this.#assertOpen();
    const { id, functionName, payload, enqueuedAt } = invocation;
    this.#push.run({ id, functionName, payload, enqueuedAt });
  }

  async claim(now: number, leaseMs: number, limit: number): Promise<QueuedInvocation[]> {
    this.#assertOpen();
    // SQLite reads a negative LIMIT as no limit at all.
    if (limit <= 0) return [];
    return this.#claim(now, leaseMs, limit);
  }

  async remove(id: string): Promise<void> {
    this.#assertOpen();
    this.#remove.run(id);
  }

  async retryAt(id: string, notBefore: number): Promise<void> {
    this.#assertOpen();
    this.#retryAt.run(notBefore, id);
  }

  async extend(ids: readonly string[], heldUntil: number): Promise<void> {
    this.#assertOpen();
    if (ids.length > 0) this.#extend(ids, heldUntil);
  }

  async release(id: string, notBefore: number): Promise<void> {
    this.#assertOpen();
    this.#release.run(notBefore, id);
  }

  async size(): Promise<number> {
    this.#assertOpen();
    return this.#size.get() as number;
  }
}

function toInvocation(row: InvocationRow): QueuedInvocation {
  return {
    id: row.id,
    functionName: row.function_name,
    payload: row.payload,
    attempts: row.attempts,
    notBefore: row.not_before,
    enqueuedAt: row.enqueued_at,
  };
}
