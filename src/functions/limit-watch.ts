/**
 * Enforces each invocation's limits from outside its instance: its timeout, and its memory size (the resident set,
 * sampled from /proc while the instance serves). An instance is watched for its whole life; an invocation only
 * sets its deadline and marks it busy, and a limit reached interrupts the instance's `invoke`. A timer, a promise
 * and a `Promise.race` per invocation, as before, cost 7 % of warm throughput.
 *
 * One timer, for the earliest deadline of any busy instance: under load, deadlines come in the order they end, so
 * it is set about once per timeout. Times are on the `performance.now()` clock; a timer may fire a little early
 * against it (the event loop's time is whole milliseconds, cached per turn), so what is not yet due then waits for
 * a timer set again: nothing ends before its deadline. A second timer samples memory while any instance is busy.
 */
import { type FunctionInstance, InvocationInterrupted } from "./function-instance.js";
import { residentBytes } from "./process-memory.js";

const MEMORY_SAMPLE_INTERVAL_MS = 100;
const NOT_BUSY = Number.POSITIVE_INFINITY;
const TIMED_OUT = new InvocationInterrupted("timeout");
const OUT_OF_MEMORY = new InvocationInterrupted("oom");

/** One instance's limits, as its owner's LimitWatch holds them. */
export class InstanceLimits {
  readonly instance: FunctionInstance;
  readonly limitBytes: number;
  readonly #watch: LimitWatch;
  /** The busy invocation's deadline; NOT_BUSY between invocations. */
  endsAt = NOT_BUSY;

  constructor(watch: LimitWatch, instance: FunctionInstance, memoryMb: number) {
    this.#watch = watch;
    this.instance = instance;
    this.limitBytes = memoryMb * 1024 * 1024;
  }

  get busy(): boolean {
    return this.endsAt !== NOT_BUSY;
  }

  /** An invocation starts, to end by `endsAt` at the latest. */
  serving(endsAt: number): void {
    this.endsAt = endsAt;
    this.#watch.serving(endsAt);
  }

  resting(): void {
    if (this.busy) this.#watch.resting();
    this.endsAt = NOT_BUSY;
  }

  /** The instance is gone. */
  remove(): void {
    this.resting();
    this.#watch.remove(this);
  }
}

/** The instances of one owner (the function host), with one deadline timer and one memory timer for all. */
export class LimitWatch {
  readonly #watched = new Set<InstanceLimits>();
  #busy = 0;
  #deadlineTimer: NodeJS.Timeout | undefined;
  /** When the deadline timer fires; Infinity when it is not set. */
  #armedAt = Number.POSITIVE_INFINITY;
  #memoryTimer: NodeJS.Timeout | undefined;

  add(instance: FunctionInstance, memoryMb: number): InstanceLimits {
    const limits = new InstanceLimits(this, instance, memoryMb);
    this.#watched.add(limits);
    return limits;
  }

  remove(limits: InstanceLimits): void {
    this.#watched.delete(limits);
  }

  serving(endsAt: number): void {
    if (this.#busy++ === 0) this.#deadlineTimer?.ref();
    if (endsAt < this.#armedAt) this.#armDeadline(endsAt);
    if (!this.#memoryTimer) {
      this.#memoryTimer = setInterval(() => this.#sampleMemory(), MEMORY_SAMPLE_INTERVAL_MS);
      this.#memoryTimer.unref();
    }
  }

  resting(): void {
    // A deadline left from an invocation that ended must not keep the process running.
    if (--this.#busy === 0) this.#deadlineTimer?.unref();
  }

  #armDeadline(at: number): void {
    clearTimeout(this.#deadlineTimer);
    this.#armedAt = at;
    this.#deadlineTimer = setTimeout(() => this.#expire(), Math.max(0, Math.ceil(at - performance.now())));
    if (this.#busy === 0) this.#deadlineTimer.unref();
  }

  #expire(): void {
    this.#deadlineTimer = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const limits of this.#watched) {
      if (limits.endsAt <= now) limits.instance.interrupt(TIMED_OUT);
      else if (limits.endsAt < next) next = limits.endsAt;
    }
    if (next !== Number.POSITIVE_INFINITY) this.#armDeadline(next);
  }

  #sampleMemory(): void {
    // The timer stops on its own once nothing is busy, not when the last invocation ends: at low load that would
    // create and clear an interval per invocation.
    if (this.#busy === 0 && this.#memoryTimer) {
      clearInterval(this.#memoryTimer);
      this.#memoryTimer = undefined;
      return;
    }
    for (const limits of this.#watched) {
      if (!limits.busy || limits.instance.pid === undefined) continue;
      const rss = residentBytes(limits.instance.pid);
      if (rss !== undefined && rss > limits.limitBytes) limits.instance.interrupt(OUT_OF_MEMORY);
    }
  }
}
