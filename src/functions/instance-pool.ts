/**
 * The instances of one function. Each serves one invocation at a time: a warm idle instance is
 * reused (most recently used first), else a new one is started up to the function's concurrency,
 * else the invocation waits briefly for one to free up and is throttled after that. Instances idle
 * longer than the function's idle timeout are stopped (scale to zero).
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { AWS_ACCOUNT_ID, AWS_REGION, type FunctionSpec } from "../model/index.js";
import {
  type FunctionInstance,
  type InstanceStarter,
  type InstanceStartFailure,
  ProcessExitedError,
  RuntimeProtocolError,
} from "./function-instance.js";
import {
  endLine,
  type FunctionLogSink,
  initReportLine,
  reportLine,
  startLine,
  timeoutLine,
} from "./function-logs.js";
import type { InstanceReply, Invocation, InvocationOutcome } from "./invocation.js";
import {
  eventTooLarge,
  invalidResponse,
  MAX_EVENT_BYTES,
  MAX_RESPONSE_BYTES,
  outOfMemory,
  responseTooLarge,
  runtimeExited,
  throttled,
  timedOut,
} from "./lambda-errors.js";
import { peakResidentKb, watchMemory } from "./memory-watch.js";

/** How long an invocation may wait for a busy function to free an instance before it is throttled. */
export const QUEUE_WAIT_MS = 5_000;

export interface InvokeOptions {
  readonly traceId?: string;
  readonly clientContext?: unknown;
}

export interface PoolStats {
  readonly instances: number;
  readonly idle: number;
  readonly busy: number;
  readonly queued: number;
}

interface Slot {
  readonly instance: FunctionInstance;
  idleSince: number;
  /** Set until the instance's first invocation has been reported. */
  initDurationMs: number | undefined;
  maxRssKb: number;
  /** When the peak RSS of a runtime that does not report its own was last read from /proc. */
  rssSampledAt: number;
  gone: boolean;
}

type Lease = Slot | "start" | "throttled";

interface Waiter {
  readonly grant: (lease: Lease) => void;
  readonly timer: NodeJS.Timeout;
}

export class InstancePool {
  readonly fn: FunctionSpec;
  readonly #start: InstanceStarter;
  readonly #logs: FunctionLogSink;
  readonly #arn: string;
  /** Idle instances, most recently used last. */
  readonly #idle: Slot[] = [];
  readonly #live = new Set<Slot>();
  /** Instances running or starting: what counts against concurrency. */
  #count = 0;
  readonly #waiters: Waiter[] = [];
  readonly #reaper: NodeJS.Timeout;
  #closed = false;

  constructor(fn: FunctionSpec, start: InstanceStarter, logs: FunctionLogSink) {
    this.fn = fn;
    this.#start = start;
    this.#logs = logs;
    this.#arn = `arn:aws:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:${fn.name}`;
    const idleMs = fn.idleTimeoutSeconds * 1000;
    this.#reaper = setInterval(() => this.#reapIdle(), Math.min(Math.max(idleMs / 4, 100), 30_000));
    this.#reaper.unref();
  }

  get stats(): PoolStats {
    return {
      instances: this.#count,
      idle: this.#idle.length,
      busy: this.#live.size - this.#idle.length,
      queued: this.#waiters.length,
    };
  }

  async invoke(payload: Buffer | string, options: InvokeOptions = {}): Promise<InvocationOutcome> {
    const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
    if (size > MAX_EVENT_BYTES) return eventTooLarge(size);
    const lease = await this.#acquire();
    if (lease === "throttled") return throttled();
    const requestId = randomUUID();
    if (lease !== "start") return this.#run(lease, requestId, payload, options);

    const started = await this.#startInstance();
    if (!started.ok) {
      this.#discarded();
      this.#log(initReportLine(started.initDurationMs, started.errorType));
      this.#log(startLine(requestId));
      this.#log(endLine(requestId));
      this.#log(
        reportLine({
          requestId,
          durationMs: 0,
          memoryMb: this.fn.memoryMb,
          maxMemoryUsedMb: 0,
          initDurationMs: started.initDurationMs,
          status: { status: "error", errorType: started.errorType },
        }),
      );
      return { type: "error", errorType: started.errorType, payload: started.payload };
    }
    return this.#run(started.slot, requestId, payload, options);
  }

  /** Stops idle instances now and the others as they finish; resolves when all have exited. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#reaper);
    for (const slot of this.#idle.splice(0)) this.#stop(slot);
    await Promise.all([...this.#live].map((slot) => slot.instance.exited));
  }

  /** Kills every instance at once. */
  destroy(): void {
    this.#closed = true;
    clearInterval(this.#reaper);
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.grant("throttled");
    }
    for (const slot of this.#live) this.#retire(slot);
  }

  #acquire(): Promise<Lease> | Lease {
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#count < this.fn.concurrency) {
      this.#count++;
      return "start";
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          resolve("throttled");
        }, QUEUE_WAIT_MS),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Hands a lease to the longest-waiting invocation, if any. */
  #grant(lease: Lease): boolean {
    const waiter = this.#waiters.shift();
    if (!waiter) return false;
    clearTimeout(waiter.timer);
    waiter.grant(lease);
    return true;
  }

  async #startInstance(): Promise<{ ok: true; slot: Slot } | InstanceStartFailure> {
    const started = await this.#start((text) => this.#log(text));
    if (!started.ok) return started;
    const slot: Slot = {
      instance: started.instance,
      idleSince: 0,
      initDurationMs: started.initDurationMs,
      maxRssKb: 0,
      rssSampledAt: 0,
      gone: false,
    };
    this.#live.add(slot);
    void slot.instance.exited.then(() => this.#onExit(slot));
    return { ok: true, slot };
  }

  async #run(
    slot: Slot,
    requestId: string,
    payload: Buffer | string,
    options: InvokeOptions,
  ): Promise<InvocationOutcome> {
    const { fn } = this;
    const timeoutMs = fn.timeoutSeconds * 1000;
    const invocation: Invocation = {
      requestId,
      payload,
      deadlineMs: Date.now() + timeoutMs,
      invokedFunctionArn: this.#arn,
      traceId: options.traceId,
      clientContext: options.clientContext,
    };
    this.#log(startLine(requestId));
    const startedAt = performance.now();

    let timer: NodeJS.Timeout | undefined;
    let unwatch: () => void = () => {};
    const limits = new Promise<"timeout" | "oom">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
      const pid = slot.instance.pid;
      if (pid !== undefined) unwatch = watchMemory(pid, fn.memoryMb, () => resolve("oom"));
    });
    let reply: InstanceReply | "timeout" | "oom" | ProcessExitedError | RuntimeProtocolError;
    try {
      reply = await Promise.race([slot.instance.invoke(invocation), limits]);
    } catch (error) {
      if (!(error instanceof ProcessExitedError || error instanceof RuntimeProtocolError)) throw error;
      reply = error;
    } finally {
      clearTimeout(timer);
      unwatch();
    }
    const durationMs = performance.now() - startedAt;

    let outcome: InvocationOutcome;
    let status: { status: "timeout" | "error"; errorType?: string } | undefined;
    if (reply === "timeout") {
      slot.maxRssKb = Math.max(slot.maxRssKb, (await peakResidentKb(slot.instance.pid)) ?? 0);
      this.#log(timeoutLine(requestId, fn.timeoutSeconds, new Date()));
      this.#retire(slot);
      outcome = timedOut(requestId, fn.timeoutSeconds);
      status = { status: "timeout" };
    } else if (reply === "oom") {
      this.#retire(slot);
      outcome = outOfMemory(requestId);
      status = { status: "error", errorType: "Runtime.OutOfMemory" };
      slot.maxRssKb = Math.max(slot.maxRssKb, fn.memoryMb * 1024);
    } else if (reply instanceof ProcessExitedError) {
      this.#retire(slot);
      outcome = runtimeExited(requestId, reply.exit);
      status = { status: "error", errorType: "Runtime.ExitError" };
    } else if (reply instanceof RuntimeProtocolError) {
      this.#retire(slot);
      outcome = invalidResponse(requestId, reply.message);
      this.#log(`RequestId: ${requestId} Error: ${reply.message}\nRuntime.InvalidResponse\n`);
      status = { status: "error", errorType: "Runtime.InvalidResponse" };
    } else {
      slot.maxRssKb = Math.max(slot.maxRssKb, reply.maxRssKb ?? (await this.#sampledPeakRss(slot)));
      if (reply.type === "success" && reply.payload.length > MAX_RESPONSE_BYTES) outcome = responseTooLarge();
      else if (reply.type === "success") outcome = { type: "success", payload: reply.payload };
      else outcome = { type: "error", errorType: reply.errorType, payload: reply.payload };
      this.#release(slot);
    }

    const report = reportLine({
      requestId,
      durationMs,
      memoryMb: fn.memoryMb,
      maxMemoryUsedMb: Math.ceil(slot.maxRssKb / 1024),
      initDurationMs: slot.initDurationMs,
      status,
    });
    this.#log(endLine(requestId) + report);
    slot.initDurationMs = undefined;
    return outcome;
  }

  /** Reads /proc at most once a second per instance: the read costs more than a warm invocation. */
  async #sampledPeakRss(slot: Slot): Promise<number> {
    const now = Date.now();
    if (now - slot.rssSampledAt < 1000) return slot.maxRssKb;
    slot.rssSampledAt = now;
    return (await peakResidentKb(slot.instance.pid)) ?? slot.maxRssKb;
  }

  #release(slot: Slot): void {
    if (slot.gone) return;
    if (this.#grant(slot)) return;
    if (this.#closed) {
      this.#stop(slot);
      return;
    }
    slot.idleSince = Date.now();
    this.#idle.push(slot);
  }

  /** Takes a misbehaving instance out of service and kills it. */
  #retire(slot: Slot): void {
    this.#forget(slot);
    slot.instance.kill();
  }

  #stop(slot: Slot): void {
    this.#forget(slot);
    slot.instance.stop();
  }

  #forget(slot: Slot): void {
    if (slot.gone) return;
    slot.gone = true;
    const index = this.#idle.indexOf(slot);
    if (index >= 0) this.#idle.splice(index, 1);
    this.#discarded();
  }

  /** One instance fewer: a waiting invocation may start a new one in its place. */
  #discarded(): void {
    this.#count--;
    if (this.#waiters.length > 0) {
      this.#count++;
      this.#grant("start");
    }
  }

  #onExit(slot: Slot): void {
    this.#live.delete(slot);
    if (!slot.gone) {
      // Exited while idle: nobody was waiting on it, so say so in the function's log.
      this.#log(`Runtime exited unexpectedly while idle; the instance will be replaced on demand\n`);
      this.#forget(slot);
    }
  }

  #reapIdle(): void {
    const cutoff = Date.now() - this.fn.idleTimeoutSeconds * 1000;
    while (this.#idle.length > 0 && (this.#idle[0] as Slot).idleSince <= cutoff) {
      this.#stop(this.#idle[0] as Slot);
    }
  }

  #log(text: string): void {
    this.#logs(this.fn.name, text);
  }
}
