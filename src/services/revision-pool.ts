/**
 * The instances of one service revision, Cloud Run style: up to `concurrency` requests in flight per
 * instance; a new instance starts when every instance is full, up to `maxInstances`; requests wait
 * while instances start (cold-start buffering) and get 429 when none can take them within Cloud Run's
 * pending limit; instances above `minInstances` stop after `idleTimeout`. A revision that loses its
 * traffic is retired: its instances stop once their requests finish, and it starts instances again on
 * demand (a tag still reaches it) or when traffic comes back.
 */
import { PorticoError } from "../model/index.js";
import { connectionPool, type InstanceUpstream } from "./service-proxy.js";

/** What the pool needs of an instance process (ServiceInstance provides it). */
export interface PoolableInstance {
  readonly port: number;
  /** Resolves when the instance listens on its port; rejects if it fails to start. */
  readonly ready: Promise<void>;
  readonly exited: Promise<unknown>;
  stop(): Promise<void>;
}

export interface RevisionPoolSettings {
  readonly concurrency: number;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly idleTimeoutMs: number;
  /** Start retired: no instance kept warm until `activate()`. */
  readonly retired?: boolean;
}

/** Cloud Run's words for a request no instance could take in time (cloudrun.md §1.9). */
export const NO_AVAILABLE_INSTANCE =
  "The request was aborted because there was no available instance. The Cloud Run service might have reached its maximum container instance limit or the service was otherwise not able to scale to incoming requests. This might be caused by a sudden increase in traffic, a long container startup time or a long request processing time.";

/** Requests pend up to 3.5 × the average startup time, or 10 s, whichever is greater (§2.3). */
const MIN_PENDING_MS = 10_000;

/** An instance up this long has proved itself: the count of failures in a row starts again. */
const STABLE_AFTER_MS = 10_000;
/** Restart loops back off: the 2nd failure in a row waits 1 s, then 2 s, 4 s ... up to this. */
const MAX_RESTART_DELAY_MS = 30_000;

/** What the pool reports for the logs. */
export interface RevisionPoolEvents {
  /** An instance did not start. */
  onStartFailure(error: unknown): void;
  /** Instances keep failing: the next one starts only after `delayMs`. */
  onRestartDelayed(delayMs: number, failuresInARow: number): void;
}

interface Slot {
  readonly instance: PoolableInstance;
  readonly connections: InstanceUpstream;
  inFlight: number;
  idleSince: number;
  live: boolean;
  /** Takes no new requests; stops when its last request finishes. */
  draining: boolean;
  /** Set once stopping began, so every caller awaits the same stop. */
  stopped?: Promise<void>;
  /** Up for STABLE_AFTER_MS: a crash now is not part of a restart loop. */
  stable: boolean;
  readonly stableTimer: NodeJS.Timeout;
}

export interface RevisionPoolStats {
  readonly starting: number;
  readonly idle: number;
  readonly busy: number;
  /** Requests waiting for an instance with room. */
  readonly pending: number;
}

/** A request's hold on an instance; `release` must be called exactly once. */
export interface Lease {
  readonly connections: InstanceUpstream;
  /** The instance's port, for connections of their own (WebSockets). */
  readonly port: number;
  release(): void;
}

interface Waiter {
  readonly resolve: (lease: Lease | "unavailable") => void;
  readonly timer: NodeJS.Timeout;
}

export class RevisionPool {
  readonly #settings: RevisionPoolSettings;
  readonly #start: () => PoolableInstance;
  readonly #events: RevisionPoolEvents;
  readonly #ready: Slot[] = [];
  readonly #draining = new Set<Slot>();
  /** The `ready` promises of instances starting now. */
  readonly #starting = new Set<Promise<void>>();
  readonly #waiters: Waiter[] = [];
  readonly #startupTimesMs: number[] = [];
  readonly #reaper: NodeJS.Timeout;
  #closed = false;
  #failuresInARow = 0;
  /** No instance starts before this time (Date.now()), while a restart loop backs off. */
  #restartAt = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  /** minInstances while the revision takes traffic, 0 once retired. */
  #minInstances: number;

  constructor(settings: RevisionPoolSettings, start: () => PoolableInstance, events: RevisionPoolEvents) {
    this.#settings = settings;
    this.#start = start;
    this.#events = events;
    this.#minInstances = settings.retired ? 0 : settings.minInstances;
    this.#reaper = setInterval(
      () => this.#reapIdle(),
      Math.min(Math.max(settings.idleTimeoutMs / 4, 100), 30_000),
    );
    this.#reaper.unref();
    this.#keepMinimum();
  }

  get instanceCount(): number {
    return this.#ready.length + this.#starting.size;
  }

  /** Instances by state (draining ones count as busy until their last request ends) and requests waiting. */
  get stats(): RevisionPoolStats {
    let busy = 0;
    for (const slot of this.#ready) if (slot.inFlight > 0) busy++;
    const idle = this.#ready.length - busy;
    for (const slot of this.#draining) if (slot.inFlight > 0) busy++;
    return { starting: this.#starting.size, idle, busy, pending: this.#waiters.length };
  }

  /** An instance with room for one more request, or "unavailable" after the pending limit. */
  acquire(): Promise<Lease | "unavailable"> | Lease {
    const slot = this.#leastBusy();
    if (slot) return this.#lease(slot);
    const leased = new Promise<Lease | "unavailable">((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          resolve("unavailable");
        }, this.#pendingLimitMs()),
      };
      this.#waiters.push(waiter);
    });
    this.#scaleOut();
    return leased;
  }

  /** Traffic moved elsewhere: no instance is kept warm, and today's instances stop once idle. */
  retire(): void {
    this.#minInstances = 0;
    for (const slot of [...this.#ready]) this.#drain(slot);
  }

  /** Traffic is back: `minInstances` are kept warm again. */
  activate(): void {
    this.#minInstances = this.#settings.minInstances;
    this.#keepMinimum();
  }

  /**
   * Stops every instance once its requests finish (SIGTERM, then SIGKILL after the grace period).
   * With `drainMs`, requests still running after that long are cut.
   */
  async close(drainMs?: number): Promise<void> {
    this.#closed = true;
    clearInterval(this.#reaper);
    clearTimeout(this.#restartTimer);
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve("unavailable");
    }
    const slots = [...this.#ready, ...this.#draining];
    const stopped = Promise.all(slots.map((slot) => this.#stop(slot)));
    if (drainMs === undefined) return void (await stopped);
    const cut = setTimeout(() => {
      for (const slot of slots) void slot.connections.destroy();
    }, drainMs);
    await stopped;
    clearTimeout(cut);
  }

  #leastBusy(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.#ready) {
      if (slot.inFlight < this.#settings.concurrency && (!best || slot.inFlight < best.inFlight)) best = slot;
    }
    return best;
  }

  #lease(slot: Slot): Lease {
    slot.inFlight++;
    let released = false;
    return {
      connections: slot.connections,
      port: slot.instance.port,
      release: () => {
        if (released) return;
        released = true;
        slot.inFlight--;
        if (slot.inFlight === 0) slot.idleSince = Date.now();
        if (slot.draining) {
          if (slot.inFlight === 0) void this.#stop(slot);
        } else if (slot.live) this.#serveWaiters();
      },
    };
  }

  #serveWaiters(): void {
    while (this.#waiters.length > 0) {
      const slot = this.#leastBusy();
      if (!slot) return;
      const waiter = this.#waiters.shift() as Waiter;
      clearTimeout(waiter.timer);
      waiter.resolve(this.#lease(slot));
    }
  }

  /**
   * Resolves once an instance is ready (it then stays as a warm instance), or rejects with its start
   * failure: how a new revision proves itself before it takes traffic. Uses an instance already
   * starting (for minInstances) rather than starting another.
   */
  warmUp(): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new PorticoError("SERVICE_REVISION_CLOSED", "the revision is closed", { isUserError: false }),
      );
    }
    const [starting] = this.#starting;
    if (starting) return starting;
    if (this.#ready.length > 0) return Promise.resolve();
    return this.#startInstance();
  }

  #startInstance(): Promise<void> {
    const startedAt = Date.now();
    const instance = this.#start();
    this.#starting.add(instance.ready);
    void instance.ready.then(
      () => {
        this.#starting.delete(instance.ready);
        this.#startupTimesMs.push(Date.now() - startedAt);
        if (this.#startupTimesMs.length > 20) this.#startupTimesMs.shift();
        const slot: Slot = {
          instance,
          connections: connectionPool(instance.port, this.#settings.concurrency),
          inFlight: 0,
          idleSince: Date.now(),
          live: true,
          draining: false,
          stable: false,
          stableTimer: setTimeout(() => {
            slot.stable = true;
            this.#failuresInARow = 0;
          }, STABLE_AFTER_MS).unref(),
        };
        if (this.#closed) {
          void this.#stop(slot);
          return;
        }
        this.#ready.push(slot);
        void instance.exited.then(() => this.#onExit(slot));
        this.#serveWaiters();
        this.#scaleOut();
      },
      (error: unknown) => {
        this.#starting.delete(instance.ready);
        this.#events.onStartFailure(error);
        this.#failed();
      },
    );
    return instance.ready;
  }

  /**
   * A crashed instance fails only its own requests (their connections break); it is replaced when
   * needed, right away unless it crashed soon after starting again and again (a restart loop).
   */
  #onExit(slot: Slot): void {
    clearTimeout(slot.stableTimer);
    if (!slot.live) return;
    slot.live = false;
    this.#forget(slot);
    void slot.connections.destroy();
    if (slot.stable) this.#startAsNeeded();
    else this.#failed();
  }

  /** One more failure in a row (a start failure, or a crash before the instance was stable): back off. */
  #failed(): void {
    const failures = ++this.#failuresInARow;
    const delay = failures === 1 ? 0 : Math.min(1000 * 2 ** (failures - 2), MAX_RESTART_DELAY_MS);
    this.#restartAt = Date.now() + delay;
    const needed = this.#waiters.length > 0 || this.instanceCount < this.#minInstances;
    if (delay > 0 && needed && !this.#closed) this.#events.onRestartDelayed(delay, failures);
    this.#startAsNeeded();
  }

  #startAsNeeded(): void {
    this.#keepMinimum();
    this.#scaleOut();
  }

  /** Starts instances while more requests wait than the instances starting now will have room for. */
  #scaleOut(): void {
    while (
      this.#waiters.length > this.#starting.size * this.#settings.concurrency &&
      this.instanceCount < this.#settings.maxInstances &&
      this.#mayStart()
    ) {
      this.#startInstance();
    }
  }

  /** False while a restart loop backs off; starting resumes by itself when the wait ends. */
  #mayStart(): boolean {
    if (this.#closed) return false;
    const wait = this.#restartAt - Date.now();
    if (wait <= 0) return true;
    this.#restartTimer ??= setTimeout(() => {
      this.#restartTimer = undefined;
      this.#startAsNeeded();
    }, wait).unref();
    return false;
  }

  /** Takes `slot` out of rotation; it stops now if idle, else when its last request finishes. */
  #drain(slot: Slot): void {
    this.#forget(slot);
    slot.draining = true;
    this.#draining.add(slot);
    if (slot.inFlight === 0) void this.#stop(slot);
  }

  /** In-flight requests finish first; then SIGTERM, then SIGKILL after the grace period. */
  #stop(slot: Slot): Promise<void> {
    slot.stopped ??= (async () => {
      clearTimeout(slot.stableTimer);
      slot.live = false;
      this.#forget(slot);
      await slot.connections.close();
      await slot.instance.stop();
    })();
    return slot.stopped;
  }

  #forget(slot: Slot): void {
    const index = this.#ready.indexOf(slot);
    if (index >= 0) this.#ready.splice(index, 1);
    this.#draining.delete(slot);
  }

  #keepMinimum(): void {
    while (this.instanceCount < this.#minInstances && this.#mayStart()) this.#startInstance();
  }

  #reapIdle(): void {
    const cutoff = Date.now() - this.#settings.idleTimeoutMs;
    for (const slot of [...this.#ready]) {
      if (this.#ready.length <= this.#minInstances) return;
      if (slot.inFlight === 0 && slot.idleSince <= cutoff) void this.#stop(slot);
    }
  }

  #pendingLimitMs(): number {
    const times = this.#startupTimesMs;
    const average = times.length === 0 ? 0 : times.reduce((sum, ms) => sum + ms, 0) / times.length;
    return Math.max(MIN_PENDING_MS, 3.5 * average);
  }
}
