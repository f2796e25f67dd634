/**
 * The composition root: one Platform owns the gateway, the admin API, the store, the reconciler and the
 * function host with its instance budget. Every change goes through `run`: the command computes one change from
 * the current state, the reconciler starts what it adds, the store commits it against the version it was
 * computed from, and the reconciler swaps it in. Changes run one at a time; a change committed by another
 * process sharing the store is picked up from the store's watch and reconciled the same way.
 */

import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { setTimeout } from "node:timers/promises";
import {
  FunctionHost,
  type FunctionLogSink,
  type InvocationOutcome,
  type InvokeOptions,
} from "../functions/index.js";
import { GatewayServer } from "../gateway/index.js";
import {
  applyChange,
  type CodeRef,
  type DesiredState,
  type FunctionRecord,
  PorticoError,
  type ServiceRecord,
} from "../model/index.js";
import type { MetricsHistoryAnswer, MetricsText } from "../observability/metrics/index.js";
import { PlatformObservability } from "../observability/platform-observability.js";
import { defaultMaxInstances, InstanceBudget } from "../processes/index.js";
import {
  ContainerImages,
  describeService,
  type RunningRevisionInfo,
  type ServiceDescription,
  ServicePorts,
} from "../services/index.js";
import { AdminServer } from "./admin/index.js";
import type { ArtifactStore } from "./artifacts/index.js";
import type { SigV4Credentials } from "./aws-api/index.js";
import { type Command, functionRecord, markFailed, serviceRecord } from "./commands/index.js";
import { EventInvoker } from "./event-invoker.js";
import { PublishedLogs } from "./published-logs.js";
import { Reconciler, RevisionStartError } from "./reconciler/index.js";
import { type LogStore, type Snapshot, type Store, StoreConflictError } from "./store/index.js";

/** How a platform listens and what it may use: what `dev` and `up` both take. */
export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  readonly adminPort: number;
  /** Address of the admin listener (default 127.0.0.1); beyond loopback it needs `adminToken`. */
  readonly adminHost?: string;
  /** Bearer token the admin API requires of every request, when set. */
  readonly adminToken?: string;
  /** The access key AWS tools sign with on the admin listener's AWS-compatible APIs (checked whenever set). */
  readonly awsCredentials?: SigV4Credentials;
  /** Bytes of API request bodies the gateway holds at once (its default when absent). */
  readonly maxBufferedBodyBytes?: number;
  /** How many function instances may live at once, across all functions (default: defaultMaxInstances()). */
  readonly maxInstances?: number;
  /** Function logs (START/END/REPORT and the function's own output) and service instances' output. */
  readonly functionLogs: FunctionLogSink;
  /** One-line messages for the person running Portico. */
  readonly notice: (message: string) => void;
  /**
   * Prints each request-log line (API access logs, service requests), its line end included; absent: they are only
   * published.
   */
  readonly requestLog?: ((line: string) => void) | undefined;
  /**
   * Function instances listen for a debugger on 127.0.0.1 at this port (`portico dev --debug-port`): one
   * instance lives at a time, and timeouts are extended so that one paused in the debugger is not stopped.
   */
  readonly debugPort?: number;
  /** The pause before each retry of a failed asynchronous invocation (Lambda's 1 and 2 minutes when absent). */
  readonly asyncRetryDelaysMs?: readonly number[];
  /** `--disable-authorizers`: routes with an authorizer are served open. */
  readonly disableAuthorizers?: boolean;
  /** Bounds of the log lines kept for `portico logs`; each absent one is the store's default. */
  readonly logRetention?: { readonly maxBytes?: number; readonly maxAgeMs?: number };
  /**
   * False (`--no-observability`): no access logs, no log store, no metrics, no traces; function and service
   * output is still printed.
   */
  readonly observability?: boolean;
  /** False (`portico serve`): no admin listener; what is served changes only by restarting. */
  readonly adminListener?: boolean;
  /** A Host naming no API or service reaches the APIs as the bare host does (`portico serve`). */
  readonly everyHostIsBare?: boolean;
}

export interface PlatformOptions extends ServerOptions {
  readonly store: Store;
  /** Where uploaded code is kept (records name it by sha256). */
  readonly artifacts: ArtifactStore;
}

/** How many times a change is recomputed when another process committed first. */
const MAX_ATTEMPTS = 5;
/** How often `functionChanged` looks at the state again. */
const CHANGE_POLL_MS = 50;

export class Platform {
  readonly #options: PlatformOptions;
  readonly #store: Store;
  readonly #functions: FunctionHost;
  readonly #gateway: GatewayServer;
  readonly #reconciler: Reconciler;
  readonly #admin: AdminServer;
  readonly #images = new ContainerImages();
  readonly #invoker: EventInvoker;
  readonly #observability: PlatformObservability;
  readonly #functionLogs: PublishedLogs;
  readonly #serviceLogs: PublishedLogs;
  #snapshot: Snapshot;
  #stopWatching: () => void = () => {};
  /** Changes run one after another, so each sees the result of the one before. */
  #queue: Promise<unknown> = Promise.resolve();
  #port = 0;
  #adminPort = 0;

  private constructor(options: PlatformOptions, snapshot: Snapshot) {
    this.#options = options;
    this.#store = options.store;
    this.#snapshot = snapshot;
    // Only one process can own the debugger's port: a budget of one instance across all functions.
    const maxInstances = options.debugPort === undefined ? options.maxInstances : 1;
    this.#functionLogs = new PublishedLogs("function", options.functionLogs);
    this.#serviceLogs = new PublishedLogs("service", options.functionLogs);
    this.#functions = new FunctionHost(
      this.#functionLogs.sink,
      new InstanceBudget(maxInstances ?? defaultMaxInstances()),
      { debugPort: options.debugPort, notice: options.notice },
    );
    this.#gateway = new GatewayServer((message) => options.notice(message), {
      maxBufferedBodyBytes: options.maxBufferedBodyBytes,
      everyHostIsBare: options.everyHostIsBare,
    });
    this.#reconciler = new Reconciler({
      gateway: this.#gateway,
      functions: this.#functions,
      serviceLogs: (name, line, tags) => this.#serviceLogs.sink(name, `${line}\n`, tags),
      codeDir: (ref) => this.codeDir(ref),
      ports: new ServicePorts(),
      images: this.#images,
      onArtifactReleased: () => this.#collectArtifacts(),
      apiOptions: { disableAuthorizers: options.disableAuthorizers === true },
    });
    if (options.disableAuthorizers) {
      options.notice("Authorizers are disabled (--disable-authorizers): every route is served open.");
    }
    this.#invoker = new EventInvoker({
      queue: options.store.invocations,
      invoke: (name, payload, requestId) => this.invoke(name, payload, { requestId }),
      concurrency: (name) => this.state.function.get(name)?.config.concurrency,
      notice: options.notice,
      retryDelaysMs: options.asyncRetryDelaysMs,
    });
    this.#observability = new PlatformObservability({
      enabled: options.observability !== false,
      logs: options.store.logs,
      running: () => this.#reconciler.running(),
      stageOf: (api, stage) => this.state.api.get(api)?.spec.stages.find((spec) => spec.name === stage),
      print: options.requestLog,
    });
    this.#admin = new AdminServer(this, {
      host: options.adminHost ?? "127.0.0.1",
      token: options.adminToken,
      awsCredentials: options.awsCredentials,
      notice: options.notice,
    });
  }

  /** Loads the store's state and starts running it; nothing listens until `listen`. */
  static async create(options: PlatformOptions): Promise<Platform> {
    const platform = new Platform(options, await options.store.load());
    // Before the first instances start, so their starts are counted and their output kept.
    await platform.#observability.start();
    await platform.#reconciler.apply(platform.#snapshot.state).catch(async (error: unknown) => {
      await platform.#stopObservability();
      throw error;
    });
    platform.#stopWatching = options.store.watch(platform.#snapshot.version, (version) =>
      platform.#onCommitted(version),
    );
    platform.#invoker.start();
    return platform;
  }

  get artifacts(): ArtifactStore {
    return this.#options.artifacts;
  }

  /** What functions and services wrote (as `portico logs` reads it). */
  get logs(): LogStore {
    return this.#store.logs;
  }

  get state(): DesiredState {
    return this.#snapshot.state;
  }

  get port(): number {
    return this.#port;
  }

  /** Where this process reaches its own gateway: the address it listens on, or loopback when it is every address. */
  get gatewayAddress(): { host: string; port: number } {
    const host = this.#options.host;
    const everywhere = host === "0.0.0.0" || host === "::" || host === "";
    return { host: everywhere ? "127.0.0.1" : host, port: this.#port };
  }

  get adminPort(): number {
    return this.#adminPort;
  }

  /** Opens the gateway and, unless told not to, the admin listener. */
  async listen(): Promise<void> {
    this.#port = await this.#gateway.listen(this.#options.port, this.#options.host);
    if (this.#options.adminListener === false) return;
    this.#adminPort = await this.#admin.listen(this.#options.adminPort);
  }

  /** The platform's metrics in Prometheus's text format; undefined with `--no-observability`. */
  metrics(): Promise<MetricsText | undefined> {
    return this.#observability.metrics();
  }

  /** The last hour of each function and route, minute by minute; undefined with `--no-observability`. */
  metricsHistory(): Promise<MetricsHistoryAnswer | undefined> {
    return this.#observability.metricsHistory();
  }

  /** `http://HOST:PORT` for a host name served by the gateway. */
  urlFor = (host: string): string => `http://${host}:${this.#port}`;

  /**
   * Runs `command` and serves its result; throws (having changed nothing) when it is refused or what it adds
   * cannot start. With `verifyFunctions`, new function versions must initialise too.
   */
  run<T>(command: Command<T>, options: { readonly verifyFunctions?: boolean } = {}): Promise<T> {
    return this.#serialized(async () => {
      for (let attempt = 1; ; attempt++) {
        const { version, state } = this.#snapshot;
        const { change, value } = command(state, { now: new Date() });
        if (change.length === 0) return value;
        const next = applyChange(state, change);
        const prepared = await this.#reconciler.prepare(next, options).catch(async (error: unknown) => {
          if (!(error instanceof RevisionStartError)) throw error;
          await this.#recordFailure(error, state, next);
          throw error.cause;
        });
        try {
          await this.#store.commit(version, change);
        } catch (error) {
          await this.#reconciler.discard(prepared);
          if (!(error instanceof StoreConflictError) || attempt === MAX_ATTEMPTS) throw error;
          this.#snapshot = await this.#store.load();
          await this.#reconciler.apply(this.#snapshot.state);
          continue;
        }
        this.#snapshot = { version: version + 1, state: next };
        await this.#reconciler.apply(next, prepared);
        this.#collectArtifacts();
        return value;
      }
    });
  }

  /** Invokes the current version of a function, as Lambda's Invoke does. */
  async invoke(
    name: string,
    payload: Buffer | string,
    options: InvokeOptions = {},
  ): Promise<InvocationOutcome> {
    const record = functionRecord(this.state.function, name);
    const pool = this.#reconciler.pool(record);
    // Between a commit and the swap that serves it, a new function has a record but no pool yet.
    if (!pool) {
      throw new PorticoError(
        "FUNCTION_NOT_FOUND",
        `Function ${name} is not served yet: its deploy is being applied.`,
        {
          status: 404,
        },
      );
    }
    return pool.invoke(payload, options);
  }

  /**
   * Queues an asynchronous invocation (Lambda's `Event`), durably: once this resolves, the invocation runs even
   * if the process is killed first. Resolves with its request id.
   */
  async invokeLater(name: string, payload: string): Promise<string> {
    functionRecord(this.state.function, name);
    const id = randomUUID();
    await this.#store.invocations.push({ id, functionName: name, payload, enqueuedAt: Date.now() });
    this.#invoker.wake();
    return id;
  }

  /**
   * The function's record once it differs from `before` (a reload of `dev`'s files), or undefined if it has not
   * changed within `limitMs`.
   */
  async functionChanged(
    name: string,
    before: FunctionRecord,
    limitMs: number,
  ): Promise<FunctionRecord | undefined> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const now = this.state.function.get(name);
      if (now !== undefined && now.code.digest !== before.code.digest && this.#reconciler.pool(now))
        return now;
      if (Date.now() >= deadline) return undefined;
      await setTimeout(CHANGE_POLL_MS);
    }
  }

  describeService(name: string): ServiceDescription {
    return describeService(serviceRecord(this.state.service, name), this.#runningRevision, this.urlFor);
  }

  services(): ServiceDescription[] {
    return [...this.state.service.values()].map((record) =>
      describeService(record, this.#runningRevision, this.urlFor),
    );
  }

  /**
   * Stops taking requests, lets those in flight finish for up to `drainMs` (then cuts them), and stops every
   * instance. The gateway drains first, so no request reaches a function or service that is stopping.
   */
  async close(drainMs: number): Promise<void> {
    this.#stopWatching();
    const deadline = Date.now() + drainMs;
    await this.#invoker.stop();
    await Promise.all([this.#gateway.close(drainMs), this.#admin.close()]);
    await this.#queue;
    // Left running now: functions whose integration timed out and asynchronous invocations, which get the rest
    // of the drain time.
    await this.#reconciler.close(Math.max(0, deadline - Date.now()));
    await this.#invoker.close();
    this.#functions.close();
    this.#images.close();
    await this.#stopObservability();
  }

  /** Publishes the output still gathered by invocation, then stops observing: its last lines are kept. */
  #stopObservability(): Promise<void> {
    this.#functionLogs.flush();
    this.#serviceLogs.flush();
    return this.#observability.stop();
  }

  readonly #runningRevision: RunningRevisionInfo = (name) => {
    const runtime = this.#reconciler.revision(name);
    if (!runtime) return undefined;
    const { command } = runtime;
    return { instances: runtime.instanceCount, startCommand: command.shell ?? command.argv.join(" ") };
  };

  /**
   * A revision that did not start is kept as FAILED, as Cloud Run lists it, with the service's traffic as it
   * was. A service that had no revision before does not come into being.
   */
  async #recordFailure(
    error: RevisionStartError,
    state: DesiredState,
    attempted: DesiredState,
  ): Promise<void> {
    const before = state.service.get(error.service);
    const tried = attempted.service.get(error.service);
    if (!before || !tried) return;
    const record: ServiceRecord = {
      ...markFailed(tried, error.revision, error.message),
      traffic: before.traffic,
    };
    const version = await this.#store.commit(this.#snapshot.version, [
      { kind: "service", name: error.service, record },
    ]);
    this.#snapshot = {
      version,
      state: applyChange(state, [{ kind: "service", name: error.service, record }]),
    };
  }

  /** The directory on this machine holding the code `ref` names. */
  /** The directory code runs from: an artifact's, extracted, or a directory of this machine (`dev`). */
  async codeDir(ref: CodeRef): Promise<string> {
    if (ref.artifact === null) return ref.path;
    return join(await this.#options.artifacts.directory(ref.artifact), ref.path);
  }

  /**
   * Deletes the artifacts no record names any more. Kept: those a deploy in progress holds, and those that
   * instances of a replaced version still run from until their last requests finish (collected after a later
   * change).
   */
  #collectArtifacts(): void {
    const referenced = this.#reconciler.artifactsInUse();
    const state = this.#snapshot.state;
    for (const project of state.project.values()) if (project.artifact) referenced.add(project.artifact);
    for (const fn of state.function.values()) if (fn.code.artifact) referenced.add(fn.code.artifact);
    for (const service of state.service.values()) {
      for (const revision of service.revisions)
        if (revision.source?.artifact) referenced.add(revision.source.artifact);
    }
    this.#options.artifacts
      .collect(referenced)
      .catch((error: unknown) =>
        this.#options.notice(`could not delete unused artifacts: ${describe(error)}`),
      );
  }

  /** Another process committed: load its state and serve it. */
  #onCommitted(version: number): void {
    void this.#serialized(async () => {
      if (version <= this.#snapshot.version) return;
      this.#snapshot = await this.#store.load();
      await this.#reconciler.apply(this.#snapshot.state);
    }).catch((error: unknown) =>
      this.#options.notice(`could not serve the state another node committed: ${describe(error)}`),
    );
  }

  #serialized<T>(change: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(change);
    this.#queue = result.catch(() => {});
    return result;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
