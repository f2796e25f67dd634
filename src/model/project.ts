/** A whole project: what one portico.yaml (or SAM template) describes. */
import type { ApiSpec } from "./api-spec.js";
import type { FunctionSpec } from "./function-spec.js";
import type { ServiceSpec } from "./service-spec.js";

export interface Project {
  /** Absolute directory the config file lives in. */
  readonly rootDir: string;
  /** Absolute path of the config file the project came from. */
  readonly configFile: string;
  readonly functions: ReadonlyMap<string, FunctionSpec>;
  readonly apis: readonly ApiSpec[];
  /** Services by name, in the order written; always empty for a SAM template. */
  readonly services: ReadonlyMap<string, ServiceSpec>;
}
