/**
 * Which invocations of a function may have an instance: a new one may start while the function is
 * under its concurrency and the machine's instance budget has room; otherwise the invocation waits,
 * first come first served, for an instance to be handed over or for room to start one, and is
 * throttled after QUEUE_WAIT_MS.
 */
import type { InstanceBudget } from "../processes/index.js";
import { WaitQueue } from "./wait-queue.js";

/** How long an invocation may wait for a busy function to free an instance before it is throttled. */
export const QUEUE_WAIT_MS = 5_000;

/** An instance handed over, leave to start one, or no instance in time. */
export type Lease<Instance> = Instance | "start" | "throttled";

export class InstanceAdmission<Instance extends object> {
  readonly #concurrency: number;
  readonly #budget: InstanceBudget;
  /** Told when an invocation is throttled for want of room on the machine, not in the function. */
  readonly #onBudgetThrottle: () => void;
  /** Instances running or starting: what counts against concurrency, and units of the budget held. */
  #count = 0;
  readonly #waiters = new WaitQueue<Lease<Instance>>();
  #cancelBudgetWait: (() => void) | undefined;

  constructor(concurrency: number, budget: InstanceBudget, onBudgetThrottle: () => void) {
    this.#concurrency = concurrency;
    this.#budget = budget;
    this.#onBudgetThrottle = onBudgetThrottle;
  }

  get count(): number {
    return this.#count;
  }

  get queued(): number {
    return this.#waiters.length;
  }

  /** `idle` if there is one, else leave to start an instance, else a wait. */
  acquire(idle: Instance | undefined): Lease<Instance> | Promise<Lease<Instance>> {
    if (idle) return idle;
    if (this.#count < this.#concurrency && this.#budget.tryAcquire()) {
      this.#count++;
      return "start";
    }
    const leased = this.#waiters.wait(QUEUE_WAIT_MS, () => this.#throttled());
    // The function has room but the machine has none: start once an instance elsewhere frees some.
    if (this.#count < this.#concurrency) this.#awaitBudget();
    return leased;
  }

  /** Hands a free instance to the longest-waiting invocation; false when nobody waits. */
  handOver(instance: Instance): boolean {
    return this.#waiters.grant(instance);
  }

  /** One instance fewer: a waiting invocation starts one in its place, else the budget gets its unit back. */
  discarded(): void {
    if (this.#waiters.grant("start")) return;
    this.#count--;
    this.#budget.release();
  }

  /** Throttles every waiting invocation at once. */
  clear(): void {
    this.#cancelBudgetWait?.();
    this.#cancelBudgetWait = undefined;
    this.#waiters.clear("throttled");
  }

  #throttled(): "throttled" {
    if (this.#waiters.length === 0) {
      this.#cancelBudgetWait?.();
      this.#cancelBudgetWait = undefined;
    }
    if (this.#count < this.#concurrency) this.#onBudgetThrottle();
    return "throttled";
  }

  #awaitBudget(): void {
    if (this.#cancelBudgetWait) return;
    this.#cancelBudgetWait = this.#budget.whenFree(() => {
      this.#cancelBudgetWait = undefined;
      this.#startForWaiters();
    });
  }

  /** Starts instances for waiting invocations while the concurrency and the budget allow. */
  #startForWaiters(): void {
    while (this.#waiters.length > 0 && this.#count < this.#concurrency) {
      if (!this.#budget.tryAcquire()) {
        this.#awaitBudget();
        return;
      }
      this.#count++;
      this.#waiters.grant("start");
    }
  }
}
