/**
 * The instances of one function. Each serves one invocation at a time: a warm idle instance is
 * reused (most recently used first), else a new one is started up to the function's concurrency and
 * within the machine's instance budget, else the invocation waits briefly for room and is throttled
 * after that. Instances idle longer than the function's idle timeout are stopped (scale to zero).
 */

import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { AWS_ACCOUNT_ID, AWS_REGION, type FunctionSpec } from "../model/index.js";
import {
  type FunctionInstanceChange,
  type FunctionInvokeEnd,
  functionInstanceChange,
  functionInvokeEnd,
} from "../observability/channels.js";
import type { IdleInstances, InstanceBudget } from "../processes/index.js";
import { FunctionInitError } from "./function-init-error.js";
import type { FunctionInstance, InstanceStarter } from "./function-instance.js";
import type { FunctionLogSink, InitFailure, LogTags } from "./function-logs.js";
import { INIT_LIMIT_MS, type InitOutcome, runInitPhase } from "./init-phase.js";
import { InstanceAdmission } from "./instance-admission.js";
import type { Invocation, InvocationOutcome } from "./invocation.js";
import { invocationEnding } from "./invocation-ending.js";
import { invokeWithinLimits, isInstanceReply } from "./invocation-limits.js";
import {
  eventTooLarge,
  MAX_EVENT_BYTES,
  tenantIdMissing,
  tenantIdUnexpected,
  throttled,
} from "./lambda-errors.js";
import type { InstanceLimits, LimitWatch } from "./limit-watch.js";
import { type PlatformLines, platformLines } from "./platform-lines.js";
import { peakResidentKb } from "./process-memory.js";

export interface InvokeOptions {
  readonly traceId?: string;
  /** The tenant the invocation is for: required by a tenant-isolated function, refused by any other. */
  readonly tenantId?: string;
  readonly clientContext?: unknown;
  /** Lambda's request id for this invocation (`context.awsRequestId`); a new UUID when absent. */
  readonly requestId?: string;
  /**
   * Receives exactly this invocation's log text: its START, END and REPORT lines, and what its instance writes
   * while it serves it (for a cold start, while it initialises for it too). Lambda's `LogType: Tail` reads it.
   */
  readonly onLog?: (text: string) => void;
}

export interface PoolStats {
  readonly instances: number;
  readonly idle: number;
  readonly busy: number;
  /** Instances whose init phase is running. */
  readonly starting: number;
  readonly queued: number;
}

/** Where an instance's output goes besides the function's log: the invocation it serves, while it serves one. */
interface OutputTap {
  tap: ((text: string) => void) | undefined;
  /** The log tags of what the instance writes: the invocation's request id while it serves one. */
  tags: { readonly revision: string | undefined; readonly instance: string; requestId: string | undefined };
  /** The instance's last text left a line unfinished: the platform's next line of its invocation ends it. */
  lineOpen: boolean;
}

interface Slot {
  readonly instance: FunctionInstance;
  readonly output: OutputTap;
  /** busy: serving an invocation; idle: waiting for one; gone: stopped, killed or exited. */
  state: "busy" | "idle" | "gone";
  idleSince: number;
  /** Set until the instance's first invocation has been reported. */
  initDurationMs: number | undefined;
  maxRssKb: number;
  /** When the peak RSS of a runtime that does not report its own was last read from /proc. */
  rssSampledAt: number;
  /** Its timeout and memory size, enforced while it serves. */
  readonly limits: InstanceLimits;
}

/** An invocation whose clock started before its instance was ready (an init retried inside it). */
interface Begun {
  readonly startedAt: number;
  readonly deadlineMs: number;
}

/** How a pool departs from Lambda's behaviour (while debugging). */
export interface PoolOptions {
  /** How long an instance's init may take before it is retried (Lambda's 10 s by default). */
  readonly initLimitMs?: number;
  /** False: `warmUp` starts nothing (an instance waiting for a debugger would hold up the deploy). */
  readonly warmUp?: boolean;
  /** The function version key its log lines are tagged with. */
  readonly revision?: string;
}

/** A tenant's own pool, inside the pool of a tenant-isolated function. */
interface TenantPoolOptions extends PoolOptions {
  readonly tenantId: string;
}

export class InstancePool implements IdleInstances {
  readonly fn: FunctionSpec;
  readonly #start: InstanceStarter;
  readonly #logs: FunctionLogSink;
  readonly #budget: InstanceBudget;
  readonly #limits: LimitWatch;
  readonly #admission: InstanceAdmission<Slot>;
  readonly #arn: string;
  /** Idle instances, most recently used last. */
  readonly #idle: Slot[] = [];
  readonly #live = new Set<Slot>();
  readonly #reaper: NodeJS.Timeout;
  /** Aborted by destroy(): instances still initialising are killed. */
  readonly #cancelStarts = new AbortController();
  readonly #leaveBudget: () => void;
  readonly #initLimitMs: number;
  readonly #warms: boolean;
  /** START, END and REPORT in the function's log format. */
  readonly #platform: PlatformLines;
  readonly #options: PoolOptions;
  /**
   * A tenant-isolated function's pool starts no instance itself: each tenant gets a pool of its own, so an
   * instance never serves two tenants (as Lambda keeps each execution environment to one tenant).
   */
  readonly #tenants: Map<string, InstancePool> | undefined;
  /** The tenant a tenant's own pool serves. */
  readonly #tenantId: string | undefined;
  #closed = false;
  #starting = 0;

  constructor(
    fn: FunctionSpec,
    start: InstanceStarter,
    logs: FunctionLogSink,
    budget: InstanceBudget,
    limits: LimitWatch,
    options: PoolOptions | TenantPoolOptions = {},
  ) {
    this.#options = options;
    this.#tenantId = "tenantId" in options ? options.tenantId : undefined;
    this.#tenants = fn.tenantIsolation && this.#tenantId === undefined ? new Map() : undefined;
    this.#initLimitMs = options.initLimitMs ?? INIT_LIMIT_MS;
    this.#warms = options.warmUp ?? true;
    this.#limits = limits;
    this.fn = fn;
    this.#platform = platformLines(fn.logging);
    this.#start = start;
    this.#logs = logs;
    this.#budget = budget;
    this.#admission = new InstanceAdmission(fn.concurrency, budget, () =>
      this.#log(
        `Throttled: instance budget of ${budget.limit} reached (every instance on this machine is busy)\n`,
      ),
    );
    this.#leaveBudget = budget.register(this);
    this.#arn = `arn:aws:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:${fn.name}`;
    const idleMs = fn.idleTimeoutSeconds * 1000;
    this.#reaper = setInterval(() => this.#reapIdle(), Math.min(Math.max(idleMs / 4, 100), 30_000));
    this.#reaper.unref();
  }

  get stats(): PoolStats {
    const own: PoolStats = {
      instances: this.#admission.count,
      idle: this.#idle.length,
      busy: this.#live.size - this.#idle.length,
      starting: this.#starting,
      queued: this.#admission.queued,
    };
    return [...(this.#tenants?.values() ?? [])].reduce((sum, pool) => {
      const stats = pool.stats;
      return {
        instances: sum.instances + stats.instances,
        idle: sum.idle + stats.idle,
        busy: sum.busy + stats.busy,
        starting: sum.starting + stats.starting,
        queued: sum.queued + stats.queued,
      };
    }, own);
  }

  async invoke(payload: Buffer | string, options: InvokeOptions = {}): Promise<InvocationOutcome> {
    if (this.#tenants !== undefined) return this.#invokeForTenant(this.#tenants, payload, options);
    if (options.tenantId !== undefined && this.#tenantId === undefined) return tenantIdUnexpected();
    const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
    if (size > MAX_EVENT_BYTES) return eventTooLarge(size);
    const lease = await this.#admission.acquire(this.#takeIdle());
    if (lease === "throttled") {
      if (functionInvokeEnd.hasSubscribers) {
        functionInvokeEnd.publish({
          functionName: this.fn.name,
          requestId: options.requestId ?? "",
          durationMs: 0,
          outcome: "throttled",
          coldStart: false,
        } satisfies FunctionInvokeEnd);
      }
      return throttled();
    }
    const requestId = options.requestId ?? randomUUID();
    if (lease !== "start") return this.#run(lease, requestId, payload, options);
    return this.#coldStart(requestId, payload, options);
  }

  /** Hands the invocation to its tenant's pool, started on the tenant's first invocation. */
  #invokeForTenant(
    tenants: Map<string, InstancePool>,
    payload: Buffer | string,
    options: InvokeOptions,
  ): Promise<InvocationOutcome> {
    const { tenantId } = options;
    if (tenantId === undefined) return Promise.resolve(tenantIdMissing());
    let pool = tenants.get(tenantId);
    if (pool === undefined) {
      pool = new InstancePool(this.fn, this.#start, this.#logs, this.#budget, this.#limits, {
        ...this.#options,
        tenantId,
      });
      tenants.set(tenantId, pool);
    }
    return pool.invoke(payload, options);
  }

  /**
   * Starts one instance and keeps it idle for the first invocation, so a deploy learns before it commits whether
   * the code initialises. Rejects with a FunctionInitError when it does not. A tenant-isolated function starts
   * none: an instance belongs to a tenant, known only from an invocation.
   */
  async warmUp(): Promise<void> {
    if (!this.#warms || this.#tenants !== undefined) return;
    const lease = await this.#admission.acquire(this.#takeIdle());
    if (lease === "throttled") {
      throw new FunctionInitError(this.fn.name, "no instance could start: the instance budget is used up");
    }
    if (lease !== "start") return this.#release(lease);
    const init = await this.#initialize(this.#initLimitMs);
    if (init.ok) return this.#release(init.slot);
    this.#admission.discarded();
    this.#log(this.#platform.initReport(init.initDurationMs, "init", initFailure(init)));
    const reason = init.timedOut
      ? `its init did not finish within ${this.#initLimitMs / 1000} s`
      : initMessage(init.payload);
    throw new FunctionInitError(this.fn.name, reason);
  }

  /** Stops idle instances now and the others as they finish; resolves when all have exited. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#reaper);
    this.#leaveBudget();
    for (const slot of this.#idle.splice(0)) this.#stop(slot);
    await Promise.all([
      ...[...this.#live].map((slot) => slot.instance.exited),
      ...[...(this.#tenants?.values() ?? [])].map((pool) => pool.close()),
    ]);
  }

  /** Kills every instance at once, those still initialising included. */
  destroy(): void {
    this.#closed = true;
    clearInterval(this.#reaper);
    this.#leaveBudget();
    this.#admission.clear();
    this.#cancelStarts.abort();
    for (const slot of this.#live) this.#retire(slot);
    for (const pool of this.#tenants?.values() ?? []) pool.destroy();
  }

  oldestIdleSince(): number | undefined {
    return this.#idle[0]?.idleSince;
  }

  stopOldestIdle(): void {
    const oldest = this.#idle[0];
    if (oldest) this.#stop(oldest);
  }

  /**
   * A new instance for this invocation. An init that fails fails the invocation; one that runs past
   * Lambda's 10 s is retried inside the invocation, under the function's timeout, as Lambda does.
   */
  async #coldStart(
    requestId: string,
    payload: Buffer | string,
    options: InvokeOptions,
  ): Promise<InvocationOutcome> {
    const tap = options.onLog;
    const init = await this.#initialize(this.#initLimitMs, tap);
    if (init.ok) return this.#run(init.slot, requestId, payload, options);
    const tags = { revision: this.#options.revision, requestId, platform: true };
    this.#emit(this.#platform.initReport(init.initDurationMs, "init", initFailure(init)), tap, tags);
    this.#emit(this.#platform.start(requestId), tap, tags);
    if (!init.timedOut) return this.#failedStart(requestId, init, tap, 0, init.initDurationMs);

    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const begun: Begun = { startedAt: performance.now(), deadlineMs: Date.now() + timeoutMs };
    const retry = await this.#initialize(timeoutMs, tap);
    if (retry.ok) {
      // The retried init is part of the invocation's duration, not an init of its own.
      retry.slot.initDurationMs = undefined;
      return this.#run(retry.slot, requestId, payload, options, begun);
    }
    this.#emit(this.#platform.initReport(retry.initDurationMs, "invoke", initFailure(retry)), tap, tags);
    return this.#failedStart(requestId, retry, tap, performance.now() - begun.startedAt);
  }

  /** Ends an invocation whose instance never became ready: with its init's error, or timed out. */
  #failedStart(
    requestId: string,
    init: Exclude<InitOutcome, { ok: true }>,
    tap: ((text: string) => void) | undefined,
    durationMs: number,
    initDurationMs?: number,
  ): InvocationOutcome {
    this.#admission.discarded();
    const ending = invocationEnding(
      init.timedOut ? "timeout" : { type: "error", errorType: init.errorType, payload: init.payload },
      requestId,
      this.fn,
    );
    const status = init.timedOut
      ? ({ status: "timeout" } as const)
      : ({ status: "error", errorType: init.errorType } as const);
    this.#emit(
      (ending.platformLog ?? "") +
        this.#platform.end(requestId, status) +
        this.#platform.report({
          requestId,
          durationMs,
          memoryMb: this.fn.memoryMb,
          maxMemoryUsedMb: 0,
          initDurationMs,
          status,
        }),
      tap,
      { revision: this.#options.revision, requestId },
    );
    return ending.outcome;
  }

  /** Starts an instance; its output goes to the function's log and, while `tap` is set, to the invocation's. */
  async #initialize(
    limitMs: number,
    tap?: (text: string) => void,
  ): Promise<Exclude<InitOutcome, { ok: true }> | { ok: true; slot: Slot }> {
    this.#starting++;
    const output: OutputTap = {
      tap,
      // With every field from the start: one shape for the life of the instance.
      tags: {
        revision: this.#options.revision,
        instance: randomBytes(4).toString("hex"),
        requestId: undefined,
      },
      lineOpen: false,
    };
    const init = await runInitPhase(
      this.#start,
      (text) => {
        this.#log(text, output.tags);
        output.tap?.(text);
        if (text !== "") output.lineOpen = !text.endsWith("\n");
      },
      limitMs,
      this.#cancelStarts.signal,
    ).finally(() => this.#starting--);
    if (!init.ok) return init;
    const slot: Slot = {
      instance: init.instance,
      output,
      state: "busy",
      idleSince: 0,
      initDurationMs: init.initDurationMs,
      maxRssKb: 0,
      rssSampledAt: 0,
      limits: this.#limits.add(init.instance, this.fn.memoryMb),
    };
    this.#live.add(slot);
    void slot.instance.exited.then(() => this.#onExit(slot));
    this.#instanceChange(slot, "started", init.initDurationMs);
    return { ok: true, slot };
  }

  async #run(
    slot: Slot,
    requestId: string,
    payload: Buffer | string,
    options: InvokeOptions,
    begun?: Begun,
  ): Promise<InvocationOutcome> {
    const { fn } = this;
    // Before the deadline, so the duration measured from it is never shorter than the timeout that ends it.
    const startedAt = begun?.startedAt ?? performance.now();
    const deadlineMs = begun?.deadlineMs ?? Date.now() + fn.timeoutSeconds * 1000;
    const invocation: Invocation = {
      requestId,
      payload,
      deadlineMs,
      invokedFunctionArn: this.#arn,
      traceId: options.traceId,
      clientContext: options.clientContext,
      ...(this.#tenantId === undefined ? {} : { tenantId: this.#tenantId }),
    };
    const tap = options.onLog;
    slot.output.tap = tap;
    const outputTags = slot.output.tags;
    outputTags.requestId = requestId;
    // Spelled out: a spread here took over half of the pool's own time per invocation (measured).
    const tags: LogTags = {
      revision: outputTags.revision,
      instance: outputTags.instance,
      requestId,
      platform: true,
      ends: false,
    };
    if (!begun) this.#emit(this.#platform.start(requestId), tap, tags, slot.output);

    const endsAt = startedAt + fn.timeoutSeconds * 1000;
    const reply = await invokeWithinLimits(slot.instance, invocation, endsAt, slot.limits);
    const durationMs = performance.now() - startedAt;
    // Before the release: the instance may be handed to the next invocation at once.
    slot.output.tap = undefined;
    slot.output.tags.requestId = undefined;

    const ending = invocationEnding(reply, requestId, fn);
    if (isInstanceReply(reply)) {
      slot.maxRssKb = Math.max(slot.maxRssKb, reply.maxRssKb ?? this.#sampledPeakRss(slot));
      this.#release(slot);
    } else {
      // Read before the kill: a timed-out instance's peak is what the REPORT line shows.
      if (reply === "timeout")
        slot.maxRssKb = Math.max(slot.maxRssKb, peakResidentKb(slot.instance.pid) ?? 0);
      if (reply === "oom") slot.maxRssKb = Math.max(slot.maxRssKb, fn.memoryMb * 1024);
      this.#retire(slot);
    }

    const report = this.#platform.report({
      requestId,
      durationMs,
      memoryMb: fn.memoryMb,
      maxMemoryUsedMb: Math.ceil(slot.maxRssKb / 1024),
      initDurationMs: slot.initDurationMs,
      status: ending.status,
    });
    this.#emit(
      (ending.platformLog ?? "") + this.#platform.end(requestId, ending.status) + report,
      tap,
      { revision: tags.revision, instance: tags.instance, requestId, platform: true, ends: true },
      slot.output,
    );
    if (functionInvokeEnd.hasSubscribers) {
      const { status, outcome } = ending;
      // Optional fields spelled out rather than spread: this runs on every invocation.
      functionInvokeEnd.publish({
        functionName: fn.name,
        requestId,
        durationMs,
        outcome: status === undefined ? (outcome.type === "success" ? "success" : "error") : status.status,
        errorType: outcome.type === "error" ? outcome.errorType : undefined,
        coldStart: slot.initDurationMs !== undefined,
        initDurationMs: slot.initDurationMs,
        traceId: options.traceId,
        startedAt: performance.timeOrigin + startedAt,
      } satisfies FunctionInvokeEnd);
    }
    slot.initDurationMs = undefined;
    return ending.outcome;
  }

  /** Reads /proc at most once a second per instance: the read costs more than a warm invocation. */
  #sampledPeakRss(slot: Slot): number {
    const now = Date.now();
    if (now - slot.rssSampledAt < 1000) return slot.maxRssKb;
    slot.rssSampledAt = now;
    return peakResidentKb(slot.instance.pid) ?? slot.maxRssKb;
  }

  #release(slot: Slot): void {
    if (slot.state === "gone") return;
    if (this.#admission.handOver(slot)) return;
    if (this.#closed) {
      this.#stop(slot);
      return;
    }
    slot.state = "idle";
    slot.idleSince = Date.now();
    this.#idle.push(slot);
    this.#budget.idleAvailable();
  }

  /**
   * The most recently used idle instance that can still serve. One that broke its protocol or died
   * while idle is retired here, as its exit may not have been reported yet.
   */
  #takeIdle(): Slot | undefined {
    for (let slot = this.#idle.pop(); slot !== undefined; slot = this.#idle.pop()) {
      slot.state = "busy";
      if (slot.instance.isUsable) return slot;
      this.#retire(slot);
    }
    return undefined;
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
    if (slot.state === "gone") return;
    if (slot.state === "idle") this.#idle.splice(this.#idle.indexOf(slot), 1);
    slot.state = "gone";
    this.#admission.discarded();
  }

  #onExit(slot: Slot): void {
    this.#live.delete(slot);
    slot.limits.remove();
    // An instance that exits while busy is reported by its invocation (Runtime.ExitError), which
    // may learn of the exit only after this runs; an idle one has nobody to tell but the log.
    if (slot.state === "idle") {
      this.#log(`Runtime exited unexpectedly while idle; the instance will be replaced on demand\n`);
    }
    this.#forget(slot);
    this.#instanceChange(slot, "stopped");
  }

  #instanceChange(slot: Slot, state: "started" | "stopped", initDurationMs?: number): void {
    if (!functionInstanceChange.hasSubscribers) return;
    functionInstanceChange.publish({
      functionName: this.fn.name,
      instance: slot.output.tags.instance,
      state,
      ...(initDurationMs === undefined ? {} : { initDurationMs }),
    } satisfies FunctionInstanceChange);
  }

  #reapIdle(): void {
    // A tenant's pool left without instances goes: tenants come and go, and each pool holds a timer.
    for (const [tenantId, pool] of this.#tenants ?? []) {
      const stats = pool.stats;
      if (stats.instances > 0 || stats.queued > 0) continue;
      this.#tenants?.delete(tenantId);
      void pool.close();
    }
    const cutoff = Date.now() - this.fn.idleTimeoutSeconds * 1000;
    while (this.#idle.length > 0 && (this.#idle[0] as Slot).idleSince <= cutoff) {
      this.#stop(this.#idle[0] as Slot);
    }
  }

  #log(text: string, tags: LogTags = { revision: this.#options.revision }): void {
    // A platform line a SystemLogLevel leaves out is "".
    if (text !== "") this.#logs(this.fn.name, text, tags);
  }

  /**
   * A line of one invocation's log: to the function's log, and to the invocation's tap if it has one. A line its
   * instance (`output`) left unfinished is ended first, as Lambda ends it: everything that reads the log, the store
   * and the tail an invoke returns among them, then sees it as a line of its own.
   */
  #emit(text: string, tap: ((text: string) => void) | undefined, tags: LogTags, output?: OutputTap): void {
    if (text === "") return;
    if (output?.lineOpen) {
      output.lineOpen = false;
      // The instance's own text, not a platform line: it completes the line waiting for its end.
      const lineEnd: LogTags = {
        revision: tags.revision,
        instance: tags.instance,
        requestId: tags.requestId,
      };
      this.#logs(this.fn.name, "\n", lineEnd);
      tap?.("\n");
    }
    this.#logs(this.fn.name, text, tags);
    tap?.(text);
  }
}

/** `errorType: errorMessage` from an init error's payload. */
function initMessage(payload: Buffer): string {
  try {
    const { errorType, errorMessage } = JSON.parse(payload.toString()) as Record<string, unknown>;
    return `${String(errorType)}: ${String(errorMessage)}`;
  } catch {
    return payload.toString();
  }
}

function initFailure(init: Exclude<InitOutcome, { ok: true }>): InitFailure {
  return init.timedOut ? { status: "timeout" } : { status: "error", errorType: init.errorType };
}
