/** A service spec with Cloud Run's defaults, as portico.yaml gives them (src/config/defaults.ts), for unit tests. */
import type { ServiceSpec } from "../../src/model/index.js";

export function serviceSpec(name: string, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    sourceDir: `/p/${name}`,
    command: null,
    image: null,
    functionTarget: null,
    env: {},
    concurrency: 80,
    minInstances: 0,
    maxInstances: 100,
    timeoutSeconds: 300,
    idleTimeoutSeconds: 900,
    startupTimeoutSeconds: 240,
    public: true,
    domains: [],
    ...overrides,
  };
}
