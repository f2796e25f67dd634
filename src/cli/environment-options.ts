/** `--env-vars` and `--env-file` as config loading takes them: absolute paths, from where `portico` was run. */
import { resolve } from "node:path";
import type { DevSessionOptions } from "../control/index.js";

type EnvironmentOptions = NonNullable<DevSessionOptions["environment"]>;

export function environmentOptions(options: { envVars?: string; envFile?: string }): EnvironmentOptions {
  return {
    ...(options.envVars === undefined ? {} : { envVarsFile: resolve(options.envVars) }),
    ...(options.envFile === undefined ? {} : { envFile: resolve(options.envFile) }),
  };
}
