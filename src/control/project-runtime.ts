/**
 * Runs one project: an instance pool per function, the compiled APIs, and the services with their
 * revisions. Every change (a new version of the project, a deploy, a traffic change) runs one at a time.
 * Applying a project prepares everything first (a service whose new revision cannot start fails the whole
 * apply, changing nothing), swaps the gateway over in one step, then lets the old pools drain, so
 * requests in flight finish on the code they started on.
 */
import { defaultServiceSpec } from "../config/index.js";
import type { FunctionHost, InstancePool } from "../functions/index.js";
import { CompiledApi, type FunctionIntegration, type GatewayServer } from "../gateway/index.js";
import { PorticoError, type Project, type ServiceSpec } from "../model/index.js";
import {
  type DeployOptions,
  type RevisionRuntime,
  resolveImageCommand,
  resolveStartCommand,
  Service,
  type ServiceLogSink,
  type StartCommand,
  type TrafficChange,
} from "../services/index.js";
import { isInside } from "./path-inside.js";

/** Where `portico services deploy` takes a revision from. */
export interface DeploySource {
  readonly dir: string;
  /** Serve this function, Functions Framework style (gcloud's `--function`). */
  readonly functionTarget?: string;
}

/** A revision a deploy or apply created, for the caller to report. */
export interface DeployedRevision {
  readonly service: Service;
  readonly revision: RevisionRuntime;
  readonly percent: number;
}

export class ProjectRuntime {
  readonly #gateway: GatewayServer;
  readonly #functions: FunctionHost;
  readonly #serviceLogs: ServiceLogSink;
  #pools = new Map<string, InstancePool>();
  /** Pools and services replaced by a newer version, with their closing: they stop once their requests finish. */
  readonly #retiringPools = new Map<InstancePool, Promise<void>>();
  readonly #retiringServices = new Map<Service, Promise<void>>();
  #apis: CompiledApi[] = [];
  readonly #services = new Map<string, Service>();
  #project: Project | undefined;
  /** Changes run one after another, so each sees the result of the one before. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(gateway: GatewayServer, functions: FunctionHost, serviceLogs: ServiceLogSink) {
    this.#gateway = gateway;
    this.#functions = functions;
    this.#serviceLogs = serviceLogs;
  }

  get project(): Project | undefined {
    return this.#project;
  }

  services(): readonly Service[] {
    return [...this.#services.values()];
  }

  service(name: string): Service {
    const service = this.#services.get(name);
    if (service) return service;
    const known = [...this.#services.keys()];
    throw new PorticoError(
      "SERVICE_NOT_FOUND",
      `Service ${name} does not exist. ${known.length > 0 ? `Services: ${known.join(", ")}.` : "There are no services yet: deploy one with `portico services deploy NAME --source DIR`."}`,
      { status: 404 },
    );
  }

  /**
   * Serves `project` from now on; the previous version's function instances stop once idle. A service
   * gets a new revision when its settings changed or one of `changedPaths` lies in its source.
   */
  apply(project: Project, changedPaths: readonly string[] = []): Promise<DeployedRevision[]> {
    return this.#serialized(() => this.#apply(project, changedPaths));
  }

  /**
   * `portico services deploy`: a new revision of NAME from `source` (a new service with defaults),
   * with the previous revision's settings otherwise.
   */
  deploy(name: string, source: DeploySource, options: DeployOptions): Promise<DeployedRevision> {
    return this.#serialized(async () => {
      const existing = this.#services.get(name);
      const template = existing?.latestReady?.spec;
      if (!existing && this.#project?.apis.some((api) => api.name === name)) {
        throw new PorticoError(
          "SERVICE_NAME_TAKEN",
          `${name} is an HTTP API of this project (reached at ${name}.localhost); give the service another name.`,
          { status: 409 },
        );
      }
      const fresh = await defaultServiceSpec(name, source.dir);
      const spec: ServiceSpec = {
        ...(template ?? fresh),
        sourceDir: fresh.sourceDir,
        image: null,
        functionTarget: source.functionTarget ?? template?.functionTarget ?? null,
      };
      const service = existing ?? new Service(name, this.#serviceLogs);
      service.checkDeploy(options);
      const revision = await service.prepare(spec, await this.#startCommand(spec));
      const percent = service.commit(revision, options);
      if (!existing) {
        this.#services.set(name, service);
        this.#publish();
      }
      return { service, revision, percent };
    });
  }

  /** `portico services update-traffic`: all of `change` or, on a bad request, nothing. */
  updateTraffic(name: string, change: TrafficChange): Promise<Service> {
    return this.#serialized(async () => {
      const service = this.service(name);
      service.updateTraffic(change);
      return service;
    });
  }

  /**
   * Stops every instance once its requests finish (those of versions already replaced too). With `drainMs`,
   * requests still running after that long are cut: function instances are killed, service instances'
   * connections closed.
   */
  async close(drainMs?: number): Promise<void> {
    const pools = [...this.#pools.values()];
    const services = [...this.#services.values()];
    this.#pools = new Map();
    this.#services.clear();
    const cut =
      drainMs === undefined
        ? undefined
        : setTimeout(() => {
            for (const pool of [...pools, ...this.#retiringPools.keys()]) pool.destroy();
          }, drainMs);
    await Promise.all([
      ...pools.map((pool) => pool.close()),
      ...services.map((service) => service.close(drainMs)),
      ...this.#retiringPools.values(),
      ...this.#retiringServices.values(),
    ]);
    clearTimeout(cut);
  }

  #serialized<T>(change: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(change);
    this.#queue = result.catch(() => {});
    return result;
  }

  async #apply(project: Project, changedPaths: readonly string[]): Promise<DeployedRevision[]> {
    const deployed = await this.#prepareServices(project, changedPaths);
    const pools = new Map<string, InstancePool>();
    for (const fn of project.functions.values()) pools.set(fn.name, this.#functions.createPool(fn));
    const integrationFor = (name: string): FunctionIntegration => {
      const pool = pools.get(name);
      if (!pool)
        throw new Error(`route names unknown function ${name}; the config loader should have refused it`);
      return { invoke: (event, options) => pool.invoke(event, options) };
    };
    this.#apis = project.apis.map((api) => new CompiledApi(api, integrationFor));
    // Services the config no longer names stop; those only ever deployed from the command line stay.
    const removed = [...this.#services.values()].filter(
      (service) => service.configured !== undefined && !project.services.has(service.name),
    );
    for (const service of removed) this.#services.delete(service.name);
    for (const { service } of deployed) this.#services.set(service.name, service);
    this.#publish();
    const previous = this.#pools;
    this.#pools = pools;
    this.#project = project;
    for (const pool of previous.values()) retire(pool, this.#retiringPools);
    for (const service of removed) retire(service, this.#retiringServices);
    return deployed;
  }

  #publish(): void {
    this.#gateway.deploy(this.#apis, [...this.#services.values()]);
  }

  /** Starts a revision for every service whose config or source changed; all of them, or none. */
  async #prepareServices(project: Project, changedPaths: readonly string[]): Promise<DeployedRevision[]> {
    const changed = [...project.services.values()].filter((spec) => {
      const configured = this.#services.get(spec.name)?.configured;
      return configured === undefined || revisionChanged(configured, spec, changedPaths);
    });
    const plans = await Promise.all(
      changed.map(async (spec) => ({ spec, command: await this.#startCommand(spec) })),
    );
    const started = await Promise.allSettled(
      plans.map(async ({ spec, command }): Promise<PreparedRevision> => {
        const service = this.#services.get(spec.name) ?? new Service(spec.name, this.#serviceLogs);
        return { service, spec, revision: await service.prepare(spec, command) };
      }),
    );
    const failed = started.find((result) => result.status === "rejected");
    if (failed) {
      await Promise.all(
        started.map((result) =>
          result.status === "fulfilled" ? result.value.service.discard(result.value.revision) : undefined,
        ),
      );
      throw failed.reason;
    }
    return started.map((result) => {
      const { service, spec, revision } = (result as PromiseFulfilledResult<PreparedRevision>).value;
      service.configured = spec;
      return { service, revision, percent: service.commit(revision) };
    });
  }

  async #startCommand(spec: ServiceSpec): Promise<StartCommand> {
    if (spec.image !== null) return resolveImageCommand(spec.name, spec.image, spec.command ?? undefined);
    return resolveStartCommand(
      spec.sourceDir,
      spec.command ?? undefined,
      spec.functionTarget ?? spec.env.FUNCTION_TARGET,
    );
  }
}

/** Lets a replaced pool or service finish its requests and stop in the background, kept in `retiring` till then. */
function retire<T extends { close(): Promise<void> }>(part: T, retiring: Map<T, Promise<void>>): void {
  const closing = part.close().finally(() => retiring.delete(part));
  retiring.set(part, closing);
}

interface PreparedRevision {
  readonly service: Service;
  readonly spec: ServiceSpec;
  readonly revision: RevisionRuntime;
}

function revisionChanged(before: ServiceSpec, after: ServiceSpec, changedPaths: readonly string[]): boolean {
  if (JSON.stringify(before) !== JSON.stringify(after)) return true;
  // An image's code is in the image: files beside the config are not its source.
  if (after.image !== null) return false;
  return changedPaths.some((path) => isInside(path, after.sourceDir));
}
