/**
 * Runs one project: an instance pool per function and the compiled APIs on the gateway. Applying a
 * new version of the project builds everything new, swaps the gateway over in one step, then lets
 * the old pools drain, so requests in flight finish on the code they started on.
 */
import type { FunctionHost, InstancePool } from "../functions/index.js";
import { CompiledApi, type FunctionIntegration, type GatewayServer } from "../gateway/index.js";
import type { Project } from "../model/index.js";

export class ProjectRuntime {
  readonly #gateway: GatewayServer;
  readonly #functions: FunctionHost;
  #pools = new Map<string, InstancePool>();
  #project: Project | undefined;

  constructor(gateway: GatewayServer, functions: FunctionHost) {
    this.#gateway = gateway;
    this.#functions = functions;
  }

  get project(): Project | undefined {
    return this.#project;
  }

  pool(functionName: string): InstancePool | undefined {
    return this.#pools.get(functionName);
  }

  /** Serves `project` from now on; the previous version's instances stop once idle. */
  apply(project: Project): void {
    const pools = new Map<string, InstancePool>();
    for (const fn of project.functions.values()) pools.set(fn.name, this.#functions.createPool(fn));
    const integrationFor = (name: string): FunctionIntegration => {
      const pool = pools.get(name);
      if (!pool)
        throw new Error(`route names unknown function ${name}; the config loader should have refused it`);
      return { invoke: (event, options) => pool.invoke(event, options) };
    };
    const apis = project.apis.map((api) => new CompiledApi(api, integrationFor));
    this.#gateway.deploy(apis);
    const previous = this.#pools;
    this.#pools = pools;
    this.#project = project;
    for (const pool of previous.values()) void pool.close();
  }

  /** Stops every instance: gracefully, or at once with `force`. */
  async close(force = false): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools = new Map();
    if (force) for (const pool of pools) pool.destroy();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
