/**
 * Runs one project: an instance pool per function, the compiled APIs, and a revision per service.
 * Applying a new version of the project prepares everything first (a service without a usable start
 * command fails the whole apply, changing nothing), swaps the gateway over in one step, then lets the
 * old pools drain, so requests in flight finish on the code they started on.
 */
import type { FunctionHost, InstancePool } from "../functions/index.js";
import { CompiledApi, type FunctionIntegration, type GatewayServer } from "../gateway/index.js";
import { PorticoError, type Project, type ServiceSpec } from "../model/index.js";
import { resolveStartCommand, revisionName, type ServiceLogSink, ServiceRuntime } from "../services/index.js";
import { isInside } from "./path-inside.js";

export class ProjectRuntime {
  readonly #gateway: GatewayServer;
  readonly #functions: FunctionHost;
  readonly #serviceLogs: ServiceLogSink;
  #pools = new Map<string, InstancePool>();
  #services = new Map<string, ServiceRuntime>();
  /** The last revision number of each service, so revisions keep counting across applies. */
  readonly #generations = new Map<string, number>();
  #project: Project | undefined;

  constructor(gateway: GatewayServer, functions: FunctionHost, serviceLogs: ServiceLogSink) {
    this.#gateway = gateway;
    this.#functions = functions;
    this.#serviceLogs = serviceLogs;
  }

  get project(): Project | undefined {
    return this.#project;
  }

  /**
   * Serves `project` from now on; the previous version's instances stop once idle. A service keeps its
   * revision unless its settings changed or `changedPath` lies in its source.
   */
  async apply(project: Project, changedPath?: string): Promise<void> {
    const services = await this.#prepareServices(project, changedPath);
    const pools = new Map<string, InstancePool>();
    for (const fn of project.functions.values()) pools.set(fn.name, this.#functions.createPool(fn));
    const integrationFor = (name: string): FunctionIntegration => {
      const pool = pools.get(name);
      if (!pool)
        throw new Error(`route names unknown function ${name}; the config loader should have refused it`);
      return { invoke: (event, options) => pool.invoke(event, options) };
    };
    const apis = project.apis.map((api) => new CompiledApi(api, integrationFor));
    this.#gateway.deploy(
      apis,
      [...services.values()].map((service) => ({
        name: service.spec.name,
        domains: service.spec.domains,
        handle: (request, response) => service.handle(request, response),
      })),
    );
    const previous = this.#pools;
    const previousServices = this.#services;
    this.#pools = pools;
    this.#services = services;
    this.#project = project;
    for (const pool of previous.values()) void pool.close();
    for (const [name, service] of previousServices) {
      if (services.get(name) !== service) void service.close();
    }
  }

  async #prepareServices(
    project: Project,
    changedPath: string | undefined,
  ): Promise<Map<string, ServiceRuntime>> {
    const prepared = new Map<string, ServiceRuntime>();
    for (const spec of project.services.values()) {
      const current = this.#services.get(spec.name);
      if (current && !revisionChanged(current.spec, spec, changedPath)) {
        prepared.set(spec.name, current);
        continue;
      }
      if (spec.image !== null) {
        throw new PorticoError(
          "SERVICE_IMAGE_UNSUPPORTED",
          `services.${spec.name}.image: running OCI images is not available yet; deploy from source with \`source:\` (and \`command:\` if it cannot be detected)`,
        );
      }
      const command = await resolveStartCommand(
        spec.sourceDir,
        spec.command ?? undefined,
        spec.functionTarget ?? spec.env.FUNCTION_TARGET,
      );
      const generation = (this.#generations.get(spec.name) ?? 0) + 1;
      this.#generations.set(spec.name, generation);
      prepared.set(
        spec.name,
        new ServiceRuntime(spec, revisionName(spec.name, generation), command, this.#serviceLogs),
      );
    }
    // A new revision takes traffic only once an instance of it listens; otherwise the previous keeps serving.
    const fresh = [...prepared.values()].filter(
      (service) => this.#services.get(service.spec.name) !== service,
    );
    const started = await Promise.allSettled(fresh.map((service) => service.warmUp()));
    const failed = started.find((result) => result.status === "rejected");
    if (failed) {
      await Promise.all(fresh.map((service) => service.close()));
      throw failed.reason;
    }
    return prepared;
  }

  /** Stops every instance: gracefully, or at once with `force`. */
  async close(force = false): Promise<void> {
    const pools = [...this.#pools.values()];
    const services = [...this.#services.values()];
    this.#pools = new Map();
    this.#services = new Map();
    if (force) for (const pool of pools) pool.destroy();
    await Promise.all([...pools.map((pool) => pool.close()), ...services.map((service) => service.close())]);
  }
}

function revisionChanged(before: ServiceSpec, after: ServiceSpec, changedPath: string | undefined): boolean {
  if (JSON.stringify(before) !== JSON.stringify(after)) return true;
  return changedPath !== undefined && isInside(changedPath, after.sourceDir);
}
