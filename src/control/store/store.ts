/**
 * Where the desired state lives. Every implementation keeps the same promises, so `dev` (memory), `up` (SQLite)
 * and a cluster (PostgreSQL) run the same core:
 * - a change commits whole, in one transaction, and only if the state is still at the version it was computed
 *   from (optimistic concurrency); the version then grows by one;
 * - watchers see every committed change, in order, whichever process committed it;
 * - Lambda's asynchronous invocations wait in a durable queue, leased so that one node runs each.
 */

import { type DesiredState, PorticoError, type StateChange } from "../../model/index.js";
import type { LogStore } from "./log-store.js";

export interface Snapshot {
  /** 0 for an empty store; each commit adds one. */
  readonly version: number;
  readonly state: DesiredState;
}

export interface Store {
  load(): Promise<Snapshot>;
  /**
   * Commits `change` if the store is still at `expectedVersion`, returning the new version; else throws a
   * StoreConflictError and changes nothing. An empty change still commits (and adds one to the version).
   */
  commit(expectedVersion: number, change: StateChange): Promise<number>;
  /**
   * Calls `listener` with each change committed after `sinceVersion`, in order, by this process or another
   * sharing the store; a commit of this process before its `commit` resolves. A store may keep only its recent
   * changes: a watch from further back first gets one change, at the current version, that takes the state at
   * `sinceVersion` to the current one (the versions between are skipped). Returns a function that stops the
   * watch.
   */
  watch(sinceVersion: number, listener: (version: number, change: StateChange) => void): () => void;
  readonly invocations: InvocationQueue;
  /** What instances wrote, bounded by size and age. */
  readonly logs: LogStore;
  close(): Promise<void>;
}

/** An asynchronous (`Event`) invocation waiting to run. */
export interface QueuedInvocation {
  readonly id: string;
  readonly functionName: string;
  /** The event, as sent. */
  readonly payload: string;
  /** Runs so far that failed. */
  readonly attempts: number;
  /** Epoch ms: not run before this. */
  readonly notBefore: number;
  readonly enqueuedAt: number;
}

export interface InvocationQueue {
  push(invocation: Omit<QueuedInvocation, "attempts" | "notBefore">): Promise<void>;
  /**
   * Up to `limit` invocations due at `now` (oldest `notBefore` first) that no one holds, each held by the caller
   * until `now + leaseMs`: if the caller dies, another may take it after that.
   */
  claim(now: number, leaseMs: number, limit: number): Promise<QueuedInvocation[]>;
  /** Ran, or given up on: gone from the queue. */
  remove(id: string): Promise<void>;
  /** Failed: one more attempt counted, run again from `notBefore`, held by no one. */
  retryAt(id: string, notBefore: number): Promise<void>;
  /** Still running: each held by the caller until `heldUntil` (one write for all), so a long run outlives a short lease. */
  extend(ids: readonly string[], heldUntil: number): Promise<void>;
  /** Not run after all (throttled, or its claimer is stopping): due again from `notBefore`, no attempt counted. */
  release(id: string, notBefore: number): Promise<void>;
  /** How many wait, held or not. */
  size(): Promise<number>;
}

/** The state moved on since the change was computed: load again and recompute. */
export class StoreConflictError extends Error {
  readonly code = "STORE_CONFLICT";
  readonly expectedVersion: number;
  readonly actualVersion: number;

  constructor(expectedVersion: number, actualVersion: number) {
    super(
      `The desired state changed meanwhile (expected version ${expectedVersion}, found ${actualVersion}).`,
    );
    this.name = "StoreConflictError";
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** The store was closed: nothing can be read or written through it any more. */
export class StoreClosedError extends PorticoError {
  constructor(store: string) {
    super("STORE_CLOSED", `The store ${store} is closed.`, { isUserError: false });
    this.name = "StoreClosedError";
  }
}
