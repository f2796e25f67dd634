/**
 * Runs Lambda's asynchronous (`Event`) invocations from the store's durable queue, as Lambda's own queue does:
 * what is due is claimed with a short lease (renewed while it runs), run within its function's concurrency,
 * removed once it succeeded, and after a function error retried twice with back-off, then dropped with a line
 * in the log. A crash loses nothing: what the dead process held is claimed again once its lease lapses.
 */
import type { InvocationOutcome } from "../functions/index.js";
import { PorticoError } from "../model/index.js";
import type { InvocationQueue, QueuedInvocation } from "./store/index.js";

export interface EventInvokerOptions {
  readonly queue: InvocationQueue;
  /** Runs one invocation now; throws a PorticoError FUNCTION_NOT_FOUND when the function does not exist. */
  readonly invoke: (functionName: string, payload: string, requestId: string) => Promise<InvocationOutcome>;
  /** How many invocations of a function may run at once, or undefined when it does not exist. */
  readonly concurrency: (functionName: string) => number | undefined;
  /** One line for the person running Portico: retries and dropped events. */
  readonly notice: (message: string) => void;
  /** The pause before each retry after a function error; as many retries as delays (Lambda's by default). */
  readonly retryDelaysMs?: readonly number[];
  /** How long a claim holds an invocation before another may take it, unless renewed. */
  readonly leaseMs?: number;
  /** How often the queue is looked at when nothing woke the invoker (retries fall due, other processes push). */
  readonly pollMs?: number;
  /** Invocations held at once, running or waiting for their function's concurrency. */
  readonly maxHeld?: number;
  readonly now?: () => number;
}

/** Lambda retries an asynchronous invocation whose function failed twice: after about one minute, then two. */
export const LAMBDA_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];
/** Lambda keeps an event for 6 hours at most (its default maximum event age). */
const MAX_EVENT_AGE_MS = 6 * 60 * 60_000;
/** A throttled invocation waits this long before it is tried again; throttles cost no attempt. */
const THROTTLED_RETRY_MS = 1000;
const DEFAULT_LEASE_MS = 10_000;
const DEFAULT_POLL_MS = 500;
const DEFAULT_MAX_HELD = 64;
/** `PORTICO_ASYNC_RETRY_DELAYS_MS`: the retry delays, comma-separated, for tests that cannot wait minutes. */
export const RETRY_DELAYS_VARIABLE = "PORTICO_ASYNC_RETRY_DELAYS_MS";

export class EventInvoker {
  readonly #queue: InvocationQueue;
  readonly #options: EventInvokerOptions;
  readonly #retryDelaysMs: readonly number[];
  readonly #leaseMs: number;
  readonly #now: () => number;
  /** Claimed by this process: running, or waiting for room in their function's concurrency. */
  readonly #held = new Map<string, QueuedInvocation>();
  readonly #waiting = new Map<string, QueuedInvocation[]>();
  readonly #running = new Map<string, number>();
  /** Runs and queue writes under way: `close` waits for them. */
  readonly #runs = new Set<Promise<void>>();
  #claiming: Promise<void> | undefined;
  #claimAgain = false;
  #stopped = false;
  #renewing: Promise<void> | undefined;
  #poll: NodeJS.Timeout | undefined;
  #renewal: NodeJS.Timeout | undefined;

  constructor(options: EventInvokerOptions) {
    this.#queue = options.queue;
    this.#options = options;
    this.#retryDelaysMs = options.retryDelaysMs ?? LAMBDA_RETRY_DELAYS_MS;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Starts claiming what is due. */
  start(): void {
    this.#renewal = setInterval(() => {
      this.#renewing ??= this.#renewLeases().finally(() => {
        this.#renewing = undefined;
      });
    }, this.#leaseMs / 4);
    this.#renewal.unref();
    this.wake();
  }

  /** Looks at the queue now: something was pushed, or room was made. */
  wake(): void {
    if (this.#stopped) return;
    this.#claimAgain = true;
    this.#claiming ??= this.#claimWhileDue().finally(() => {
      this.#claiming = undefined;
    });
  }

  /** Stops claiming and lets go of what waits; what runs goes on (its leases renewed) until `close`. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#poll);
    await this.#claiming;
    const waiting = [...this.#waiting.values()].flat();
    this.#waiting.clear();
    for (const invocation of waiting) this.#held.delete(invocation.id);
    await Promise.all(
      waiting.map((invocation) =>
        this.#record(invocation, () => this.#queue.release(invocation.id, invocation.notBefore)),
      ),
    );
  }

  /** Stops, then waits until what was running has ended and its outcome is recorded. */
  async close(): Promise<void> {
    await this.stop();
    while (this.#runs.size > 0) await Promise.all(this.#runs);
    clearInterval(this.#renewal);
    await this.#renewing;
  }

  async #claimWhileDue(): Promise<void> {
    while (this.#claimAgain && !this.#stopped) {
      this.#claimAgain = false;
      const room = (this.#options.maxHeld ?? DEFAULT_MAX_HELD) - this.#held.size;
      if (room <= 0) break;
      let claimed: QueuedInvocation[];
      try {
        claimed = await this.#queue.claim(this.#now(), this.#leaseMs, room);
      } catch (error) {
        this.#options.notice(`could not read the queue of asynchronous invocations: ${describe(error)}`);
        break;
      }
      for (const invocation of claimed) this.#accept(invocation);
      // A full claim may have left more due behind it.
      if (claimed.length === room) this.#claimAgain = true;
    }
    if (this.#stopped) return;
    clearTimeout(this.#poll);
    this.#poll = setTimeout(() => this.wake(), this.#options.pollMs ?? DEFAULT_POLL_MS);
    this.#poll.unref();
  }

  #accept(invocation: QueuedInvocation): void {
    // Held here already: its lease lapsed while it waited or ran, and this claim renewed it.
    if (this.#held.has(invocation.id)) return;
    const { functionName } = invocation;
    if (this.#options.concurrency(functionName) === undefined) {
      this.#track(this.#drop(invocation, `function ${functionName} does not exist any more`));
      return;
    }
    if (this.#now() - invocation.enqueuedAt > MAX_EVENT_AGE_MS) {
      this.#track(this.#drop(invocation, "it is older than 6 hours (Lambda's maximum event age)"));
      return;
    }
    this.#held.set(invocation.id, invocation);
    const waiting = this.#waiting.get(functionName);
    if (waiting) waiting.push(invocation);
    else this.#waiting.set(functionName, [invocation]);
    this.#startWaiting(functionName);
  }

  /** Starts what waits for `functionName`, up to its concurrency. */
  #startWaiting(functionName: string): void {
    if (this.#stopped) return;
    const waiting = this.#waiting.get(functionName);
    const limit = this.#options.concurrency(functionName) ?? 1;
    while (waiting && waiting.length > 0 && (this.#running.get(functionName) ?? 0) < limit) {
      const invocation = waiting.shift() as QueuedInvocation;
      this.#running.set(functionName, (this.#running.get(functionName) ?? 0) + 1);
      this.#track(
        this.#run(invocation).finally(() => {
          this.#running.set(functionName, (this.#running.get(functionName) ?? 1) - 1);
          this.#held.delete(invocation.id);
          this.#startWaiting(functionName);
          this.wake();
        }),
      );
    }
    if (waiting?.length === 0) this.#waiting.delete(functionName);
  }

  async #run(invocation: QueuedInvocation): Promise<void> {
    const { id, functionName, payload, attempts } = invocation;
    let failure: string;
    try {
      const outcome = await this.#options.invoke(functionName, payload, id);
      if (outcome.type === "success") return this.#record(invocation, () => this.#queue.remove(id));
      // The pool found no room in time: not the function's failure, so no attempt is counted.
      if (outcome.errorType === "TooManyRequestsException") {
        return this.#record(invocation, () => this.#queue.release(id, this.#now() + THROTTLED_RETRY_MS));
      }
      failure = outcome.errorType;
    } catch (error) {
      if (error instanceof PorticoError && error.code === "FUNCTION_NOT_FOUND") {
        return this.#drop(invocation, `function ${functionName} does not exist any more`);
      }
      failure = describe(error);
    }
    // Stopping cuts what still runs when the drain time is over: that failure is not the function's.
    if (this.#stopped) return this.#record(invocation, () => this.#queue.release(id, this.#now()));
    const attempt = attempts + 1;
    const delay = this.#retryDelaysMs[attempts];
    const total = this.#retryDelaysMs.length + 1;
    if (delay === undefined) {
      return this.#drop(invocation, `attempt ${attempt} of ${total} failed too (${failure})`);
    }
    this.#options.notice(
      `Event invocation ${id} of function ${functionName} failed (${failure}); retrying in ${formatDelay(delay)} (attempt ${attempt + 1} of ${total})`,
    );
    return this.#record(invocation, () => this.#queue.retryAt(id, this.#now() + delay));
  }

  #track(work: Promise<void>): void {
    this.#runs.add(work);
    void work.finally(() => this.#runs.delete(work));
  }

  #drop(invocation: QueuedInvocation, why: string): Promise<void> {
    this.#options.notice(
      `Event invocation ${invocation.id} of function ${invocation.functionName} dropped: ${why}`,
    );
    return this.#record(invocation, () => this.#queue.remove(invocation.id));
  }

  /** Writes an outcome to the queue; if that fails, the lease lapses and the invocation runs again. */
  async #record(invocation: QueuedInvocation, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.#options.notice(
        `could not record the outcome of event invocation ${invocation.id} of function ${invocation.functionName}: ${describe(error)}`,
      );
    }
  }

  async #renewLeases(): Promise<void> {
    if (this.#held.size === 0) return;
    try {
      await this.#queue.extend([...this.#held.keys()], this.#now() + this.#leaseMs);
    } catch (error) {
      this.#options.notice(`could not renew the leases of asynchronous invocations: ${describe(error)}`);
    }
  }
}

/** The retry delays from PORTICO_ASYNC_RETRY_DELAYS_MS (`"200,400"`), or undefined when it is unset or empty. */
export function parseRetryDelays(text: string | undefined): readonly number[] | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const delays = text.split(",").map((part) => Number(part.trim()));
  if (delays.some((delay) => !Number.isSafeInteger(delay) || delay < 0)) {
    throw new PorticoError(
      "ASYNC_RETRY_DELAYS_INVALID",
      `${RETRY_DELAYS_VARIABLE} must be milliseconds separated by commas, e.g. 200,400 (got ${JSON.stringify(text)})`,
    );
  }
  return delays;
}

function formatDelay(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
