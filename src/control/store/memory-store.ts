/**
 * The store `dev` runs on: the desired state in this process's memory, gone when it exits. It keeps every
 * promise of the Store interface, so `dev` exercises the same core as `up`.
 */
import { applyChange, type DesiredState, EMPTY_STATE, type StateChange } from "../../model/index.js";
import type { LogRetention } from "./log-store.js";
import { MemoryLogStore } from "./memory-log-store.js";
import { recordToJson } from "./record-json.js";
import {
  type InvocationQueue,
  type QueuedInvocation,
  type Snapshot,
  type Store,
  StoreConflictError,
} from "./store.js";

type Listener = (version: number, change: StateChange) => void;

export class MemoryStore implements Store {
  readonly invocations = new MemoryInvocationQueue();
  readonly logs: MemoryLogStore;
  #version = 0;

  constructor(options: { readonly logRetention?: LogRetention } = {}) {
    this.logs = new MemoryLogStore(options.logRetention);
  }

  #state: DesiredState = EMPTY_STATE;
  /** Every change so far, so a watch can start from any version. */
  readonly #log: StateChange[] = [];
  readonly #listeners = new Set<Listener>();

  async load(): Promise<Snapshot> {
    return { version: this.#version, state: this.#state };
  }

  async commit(expectedVersion: number, change: StateChange): Promise<number> {
    if (expectedVersion !== this.#version) throw new StoreConflictError(expectedVersion, this.#version);
    // Through JSON, as a durable store keeps it: `dev` refuses what `up` would, and nothing a caller still holds
    // can change the state afterwards.
    const copy = change.map((write) => {
      const json = recordToJson(write);
      return { ...write, record: json === null ? null : JSON.parse(json) };
    }) as StateChange;
    this.#state = applyChange(this.#state, copy);
    this.#log.push(copy);
    const version = ++this.#version;
    for (const listener of [...this.#listeners]) listener(version, copy);
    return version;
  }

  watch(sinceVersion: number, listener: Listener): () => void {
    for (let version = sinceVersion + 1; version <= this.#version; version++) {
      listener(version, this.#log[version - 1] as StateChange);
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}

interface Entry {
  invocation: QueuedInvocation;
  heldUntil: number;
}

class MemoryInvocationQueue implements InvocationQueue {
  readonly #entries = new Map<string, Entry>();

  async push(invocation: Omit<QueuedInvocation, "attempts" | "notBefore">): Promise<void> {
    const queued = { ...invocation, attempts: 0, notBefore: invocation.enqueuedAt };
    this.#entries.set(invocation.id, { invocation: queued, heldUntil: 0 });
  }

  async claim(now: number, leaseMs: number, limit: number): Promise<QueuedInvocation[]> {
    const due = [...this.#entries.values()]
      .filter((entry) => entry.invocation.notBefore <= now && entry.heldUntil <= now)
      .sort((a, b) => a.invocation.notBefore - b.invocation.notBefore)
      .slice(0, limit);
    for (const entry of due) entry.heldUntil = now + leaseMs;
    return due.map((entry) => entry.invocation);
  }

  async remove(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  async retryAt(id: string, notBefore: number): Promise<void> {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.invocation = { ...entry.invocation, attempts: entry.invocation.attempts + 1, notBefore };
    entry.heldUntil = 0;
  }

  async extend(ids: readonly string[], heldUntil: number): Promise<void> {
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry) entry.heldUntil = heldUntil;
    }
  }

  async release(id: string, notBefore: number): Promise<void> {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.invocation = { ...entry.invocation, notBefore };
    entry.heldUntil = 0;
  }

  async size(): Promise<number> {
    return this.#entries.size;
  }
}
