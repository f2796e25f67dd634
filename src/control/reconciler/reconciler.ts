/**
 * Makes the running objects match the desired state. `prepare` starts, without serving them, the revisions a
 * change adds, so a revision that cannot start fails the change before it is committed; `apply` then adopts
 * them, starts what else is missing, swaps the gateway over in one step and lets what is no longer wanted
 * drain: requests in flight finish on the code they began on.
 */
import type { FunctionHost, InstancePool } from "../../functions/index.js";
import {
  type ApiCompileOptions,
  CompiledApi,
  type FunctionIntegration,
  type GatewayServer,
  type IntegrationOutcome,
} from "../../gateway/index.js";
import type { CodeRef, DesiredState, FunctionRecord, ServiceSpec } from "../../model/index.js";
import {
  type ContainerImages,
  RevisionRuntime,
  resolveStartCommand,
  type ServiceLogSink,
  type ServicePorts,
  ServiceRouter,
  type StartCommand,
  trafficOf,
} from "../../services/index.js";
import { latestReady } from "../commands/index.js";
import { eventTenantId } from "./event-tenant.js";
import { plan, type RevisionToStart, type RunningView } from "./plan.js";

export interface ReconcilerParts {
  readonly gateway: GatewayServer;
  readonly functions: FunctionHost;
  readonly serviceLogs: ServiceLogSink;
  /** The absolute directory on this machine holding the code `ref` names. */
  readonly codeDir: (ref: CodeRef) => Promise<string>;
  /** Where service instances get their `PORT`. */
  readonly ports: ServicePorts;
  /** The container engine and containers of services that run an image. */
  readonly images: ContainerImages;
  /** A replaced part finished its last requests: the artifact it ran from may be collected now. */
  readonly onArtifactReleased: () => void;
  readonly apiOptions?: ApiCompileOptions;
}

/** Revisions (and, when verifying, function pools) started for a change not yet committed. */
export interface Prepared {
  readonly revisions: ReadonlyMap<string, RevisionRuntime>;
  readonly pools: ReadonlyMap<string, InstancePool>;
}

/** A revision a change added could not start; nothing of the change was kept. */
export class RevisionStartError extends Error {
  readonly service: string;
  readonly revision: string;

  constructor(service: string, revision: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "RevisionStartError";
    this.service = service;
    this.revision = revision;
  }
}

const NOTHING_PREPARED: Prepared = { revisions: new Map(), pools: new Map() };

interface RunningRevision {
  readonly runtime: RevisionRuntime;
  active: boolean;
}

export class Reconciler {
  readonly #parts: ReconcilerParts;
  #pools = new Map<string, InstancePool>();
  #revisions = new Map<string, RunningRevision>();
  /** Pools and revisions no longer wanted, with their closing: they stop once their requests finish. */
  readonly #retiring = new Map<InstancePool | RevisionRuntime, Promise<void>>();
  /** The artifact each running or retiring part runs from, so it is not collected under it. */
  readonly #artifacts = new Map<InstancePool | RevisionRuntime, string>();

  constructor(parts: ReconcilerParts) {
    this.#parts = parts;
  }

  /** The runtime of a ready revision, for its instance count and start command. */
  revision(name: string): RevisionRuntime | undefined {
    return this.#revisions.get(name)?.runtime;
  }

  /** The pools serving current function versions and the runtimes of ready revisions (for metrics). */
  running(): { readonly pools: Iterable<InstancePool>; readonly revisions: Iterable<RevisionRuntime> } {
    return {
      pools: this.#pools.values(),
      revisions: [...this.#revisions.values()].map((running) => running.runtime),
    };
  }

  /** The pool serving a function version, if it runs. */
  pool(record: FunctionRecord): InstancePool | undefined {
    return this.#pools.get(record.key);
  }

  /**
   * Starts each revision `desired` adds and waits until it serves; with `verifyFunctions`, starts an instance of
   * each new function version too and waits until it has initialised. If one cannot start, all are stopped and
   * the error names it (a RevisionStartError for a revision, a FunctionInitError for a function).
   */
  async prepare(
    desired: DesiredState,
    options: { readonly verifyFunctions?: boolean } = {},
  ): Promise<Prepared> {
    const steps = plan(desired, this.#view());
    const revisions = steps.startRevisions.map(async (start) => {
      const runtime = await this.#startRevision(start);
      try {
        await runtime.warmUp();
      } catch (error) {
        await this.#stopUnused(runtime);
        throw new RevisionStartError(start.service.name, start.revision.name, error);
      }
      return runtime;
    });
    const pools = (options.verifyFunctions ? steps.startPools : []).map(async (record) => {
      const pool = await this.#createPool(record);
      try {
        await pool.warmUp();
      } catch (error) {
        await this.#stopUnused(pool);
        throw error;
      }
      return [record.key, pool] as const;
    });
    const [started, warmed] = await Promise.all([settle(revisions), settle(pools)]);
    const prepared: Prepared = {
      revisions: new Map(started.values.map((runtime) => [runtime.name, runtime])),
      pools: new Map(warmed.values),
    };
    const failure = started.failures[0] ?? warmed.failures[0];
    if (failure !== undefined) {
      await this.discard(prepared);
      throw failure;
    }
    return prepared;
  }

  /** Stops what `prepare` started for a change that was not committed. */
  async discard(prepared: Prepared): Promise<void> {
    await Promise.all(
      [...prepared.pools.values(), ...prepared.revisions.values()].map((part) => this.#stopUnused(part)),
    );
  }

  /** Serves `desired` from now on. */
  async apply(desired: DesiredState, prepared: Prepared = NOTHING_PREPARED): Promise<void> {
    for (const [name, runtime] of prepared.revisions) this.#revisions.set(name, { runtime, active: true });
    for (const [key, pool] of prepared.pools) this.#pools.set(key, pool);
    const steps = plan(desired, this.#view());
    const pools = new Map(this.#pools);
    for (const record of steps.startPools) pools.set(record.key, await this.#createPool(record));
    const revisions = new Map(this.#revisions);
    for (const start of steps.startRevisions) {
      revisions.set(start.revision.name, {
        runtime: await this.#startRevision(start, !start.active),
        active: start.active,
      });
    }
    for (const name of steps.activate) {
      const running = revisions.get(name) as RunningRevision;
      running.active = true;
      running.runtime.activate();
    }
    for (const name of steps.retire) {
      const running = revisions.get(name) as RunningRevision;
      running.active = false;
      running.runtime.retire();
    }
    this.#parts.gateway.deploy(
      compileApis(desired, pools, this.#parts.apiOptions),
      routeServices(desired, revisions),
    );
    for (const key of steps.stopPools) {
      this.#retire(pools.get(key) as InstancePool);
      pools.delete(key);
    }
    for (const name of steps.stopRevisions) {
      this.#retire((revisions.get(name) as RunningRevision).runtime);
      revisions.delete(name);
    }
    this.#pools = pools;
    this.#revisions = revisions;
  }

  /**
   * Stops every instance once its requests finish (those already retiring too). With `drainMs`, requests still
   * running after that long are cut: function instances are killed, service instances' connections closed.
   */
  async close(drainMs?: number): Promise<void> {
    const pools = [...this.#pools.values()];
    const revisions = [...this.#revisions.values()].map((running) => running.runtime);
    this.#pools = new Map();
    this.#revisions = new Map();
    const retiringPools = [...this.#retiring.keys()].filter((part) => !(part instanceof RevisionRuntime));
    const cut =
      drainMs === undefined
        ? undefined
        : setTimeout(() => {
            for (const pool of [...pools, ...retiringPools]) (pool as InstancePool).destroy();
          }, drainMs);
    await Promise.all([
      ...pools.map((pool) => pool.close()),
      ...revisions.map((runtime) => runtime.close(drainMs)),
      ...this.#retiring.values(),
    ]);
    clearTimeout(cut);
  }

  #view(): RunningView {
    return {
      pools: new Set(this.#pools.keys()),
      revisions: new Map([...this.#revisions].map(([name, running]) => [name, running.active])),
    };
  }

  /** Artifacts that pools and revisions run from now, those finishing their last requests included. */
  artifactsInUse(): Set<string> {
    return new Set(this.#artifacts.values());
  }

  async #createPool(record: FunctionRecord): Promise<InstancePool> {
    const codeDir = await this.#parts.codeDir(record.code);
    const pool = this.#parts.functions.createPool({ ...record.config, codeDir }, record.key);
    if (record.code.artifact !== null) this.#artifacts.set(pool, record.code.artifact);
    return pool;
  }

  async #startRevision({ service, revision }: RevisionToStart, retired = false): Promise<RevisionRuntime> {
    const sourceDir = revision.source === null ? "" : await this.#parts.codeDir(revision.source);
    const spec: ServiceSpec = { ...revision.config, name: service.name, sourceDir };
    const command = await this.#startCommand(spec);
    const runtime = new RevisionRuntime(spec, revision, command, this.#parts.serviceLogs, {
      ports: this.#parts.ports,
      retired,
    });
    if (revision.source?.artifact) this.#artifacts.set(runtime, revision.source.artifact);
    return runtime;
  }

  #startCommand(spec: ServiceSpec): Promise<StartCommand> {
    if (spec.image !== null)
      return this.#parts.images.resolve(spec.name, spec.image, spec.command ?? undefined);
    return resolveStartCommand(
      spec.sourceDir,
      spec.command ?? undefined,
      spec.functionTarget ?? spec.env.FUNCTION_TARGET,
    );
  }

  /** Stops a part that never served. */
  async #stopUnused(part: InstancePool | RevisionRuntime): Promise<void> {
    this.#artifacts.delete(part);
    if (part instanceof RevisionRuntime) await part.close();
    else part.destroy();
  }

  /** Lets a part no longer wanted finish its requests and stop in the background. */
  #retire(part: InstancePool | RevisionRuntime): void {
    const closing = part.close().finally(() => {
      this.#retiring.delete(part);
      if (this.#artifacts.delete(part)) this.#parts.onArtifactReleased();
    });
    this.#retiring.set(part, closing);
  }
}

/** Waits for every promise: what started, and why the others did not. */
async function settle<T>(promises: readonly Promise<T>[]): Promise<{ values: T[]; failures: unknown[] }> {
  const results = await Promise.allSettled(promises);
  return {
    values: results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : [])),
    failures: results.flatMap((result) => (result.status === "rejected" ? [result.reason] : [])),
  };
}

function compileApis(
  desired: DesiredState,
  pools: ReadonlyMap<string, InstancePool>,
  options: ApiCompileOptions | undefined,
): CompiledApi[] {
  const integrationFor = (name: string): FunctionIntegration => {
    const record = desired.function.get(name);
    const pool = record && pools.get(record.key);
    if (!pool) return missingFunction(name);
    if (!pool.fn.tenantIsolation) return { invoke: (event, options) => pool.invoke(event, options) };
    return {
      invoke: (event, options) => {
        const tenantId = eventTenantId(event);
        return pool.invoke(event, tenantId === undefined ? options : { ...options, tenantId });
      },
    };
  };
  return [...desired.api.values()].map((record) => new CompiledApi(record.spec, integrationFor, options));
}

function routeServices(
  desired: DesiredState,
  revisions: ReadonlyMap<string, RunningRevision>,
): ServiceRouter[] {
  return [...desired.service.values()].map((service) => {
    const runtimes = new Map<string, RevisionRuntime>();
    for (const revision of service.revisions) {
      const running = revisions.get(revision.name);
      if (running) runtimes.set(revision.name, running.runtime);
    }
    const latest = latestReady(service);
    return new ServiceRouter(
      service.name,
      latest?.config.domains ?? [],
      trafficOf(service.traffic),
      runtimes,
      latest?.name,
    );
  });
}

/** A route whose function is gone (deleted through the Lambda API): API Gateway answers 500, as here. */
function missingFunction(name: string): FunctionIntegration {
  const outcome: IntegrationOutcome = {
    type: "error",
    errorType: "ResourceNotFoundException",
    payload: Buffer.from(
      JSON.stringify({ errorType: "ResourceNotFoundException", errorMessage: `Function not found: ${name}` }),
    ),
  };
  return { invoke: async () => outcome };
}
