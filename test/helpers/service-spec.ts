/** A service spec with Cloud Run's defaults, as portico.yaml gives them (src/config/defaults.ts), for unit tests. */
import { DEFAULTS } from "../../src/config/defaults.js";
import type { ServiceSpec } from "../../src/model/index.js";

const { source: _, ...cloudRunDefaults } = DEFAULTS.service;

export function serviceSpec(name: string, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    sourceDir: `/p/${name}`,
    command: null,
    image: null,
    functionTarget: null,
    env: {},
    ...cloudRunDefaults,
    domains: [],
    ...overrides,
  };
}
