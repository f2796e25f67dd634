/**
 * How many instances may live on this machine at once, across every function: one budget that all
 * instance pools share, so a project with a thousand functions cannot start a thousand processes.
 * An instance past the budget starts only in the place of another: the instance idle the longest,
 * in any pool, is stopped to make room; with none idle, the caller waits for a unit to free up.
 */
import { totalmem } from "node:os";
import { PorticoError } from "../model/index.js";

/** What an instance of the default size (128 MB, Lambda's default memory) may use at most. */
const DEFAULT_INSTANCE_BYTES = 128 * 1024 * 1024;

/** As many default-size instances as the machine's memory holds. */
export function defaultMaxInstances(totalBytes: number = totalmem()): number {
  return Math.max(1, Math.floor(totalBytes / DEFAULT_INSTANCE_BYTES));
}

/** A pool's idle instances, which the budget may stop to make room for an instance elsewhere. */
export interface IdleInstances {
  /** When the instance idle the longest became idle (Date.now()), or undefined when none is. */
  oldestIdleSince(): number | undefined;
  /** Stops that instance; its unit comes back through `release`. */
  stopOldestIdle(): void;
}

export class InstanceBudget {
  readonly limit: number;
  #used = 0;
  readonly #holders = new Set<IdleInstances>();
  /** Callers waiting for room, first come first served. */
  readonly #waiters: Array<() => void> = [];
  /** Set while this budget stops an idle instance for a caller, who gets the unit it frees. */
  #reclaiming = false;

  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new PorticoError(
        "INSTANCE_BUDGET_INVALID",
        `the instance budget must be a whole number ≥ 1, not ${limit}`,
      );
    }
    this.limit = limit;
  }

  get used(): number {
    return this.#used;
  }

  /** Lets the budget stop `holder`'s idle instances; returns the function that ends that. */
  register(holder: IdleInstances): () => void {
    this.#holders.add(holder);
    return () => this.#holders.delete(holder);
  }

  /** Takes a unit if there is room, stopping the longest-idle instance anywhere to make some. */
  tryAcquire(): boolean {
    if (this.#used >= this.limit) this.#reclaimIdle();
    if (this.#used >= this.limit) return false;
    this.#used++;
    return true;
  }

  /** Gives a unit back: an instance is gone (or stopping). */
  release(): void {
    this.#used--;
    if (!this.#reclaiming) this.#wakeWaiters();
  }

  /** An instance became idle: whoever waits for room may now take its place. */
  idleAvailable(): void {
    this.#wakeWaiters();
  }

  /**
   * Calls `retry` once, when a unit may have come free; the caller then tries `tryAcquire` again.
   * Returns the function that cancels the wait.
   */
  whenFree(retry: () => void): () => void {
    this.#waiters.push(retry);
    return () => {
      const index = this.#waiters.indexOf(retry);
      if (index >= 0) this.#waiters.splice(index, 1);
    };
  }

  #wakeWaiters(): void {
    // Only those waiting now: a woken caller that still needs room queues again, behind the others.
    for (let waiting = this.#waiters.length; waiting > 0 && this.#waiters.length > 0; waiting--) {
      if (this.#used >= this.limit && this.#oldestIdle() === undefined) return;
      (this.#waiters.shift() as () => void)();
    }
  }

  #reclaimIdle(): void {
    const holder = this.#oldestIdle();
    if (!holder) return;
    this.#reclaiming = true;
    try {
      holder.stopOldestIdle();
    } finally {
      this.#reclaiming = false;
    }
  }

  #oldestIdle(): IdleInstances | undefined {
    let oldest: IdleInstances | undefined;
    let oldestSince = Number.POSITIVE_INFINITY;
    for (const holder of this.#holders) {
      const since = holder.oldestIdleSince();
      if (since !== undefined && since < oldestSince) {
        oldest = holder;
        oldestSince = since;
      }
    }
    return oldest;
  }
}
