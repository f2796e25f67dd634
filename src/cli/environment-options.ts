/**
 * `--env-vars`, `--env-file` and `--parameter-overrides` as config loading takes them: absolute paths, from
 * where `portico` was run, and the override pairs parsed (a malformed one is an error here, before anything starts).
 */
import { resolve } from "node:path";
import { parseParameterOverrides } from "../config/index.js";
import type { DevSessionOptions } from "../control/index.js";

type EnvironmentOptions = NonNullable<DevSessionOptions["environment"]>;

export function environmentOptions(options: {
  envVars?: string;
  envFile?: string;
  parameterOverrides?: readonly string[];
}): EnvironmentOptions {
  return {
    ...(options.envVars === undefined ? {} : { envVarsFile: resolve(options.envVars) }),
    ...(options.envFile === undefined ? {} : { envFile: resolve(options.envFile) }),
    ...(options.parameterOverrides === undefined
      ? {}
      : { parameterOverrides: parseParameterOverrides(options.parameterOverrides) }),
  };
}
