/**
 * What a config load takes from outside the config file: Portico's own environment and the `--env-file`
 * values (both only through `${env:NAME}`), and the `--env-vars` overrides. The files are read on every
 * load, so a reload sees their edits.
 */
import { basename } from "node:path";
import { parse } from "dotenv";
import type { VariableLookup } from "./env-references.js";
import { EnvironmentOverrides } from "./environment-overrides.js";
import { readConfigText } from "./yaml-file.js";

export interface EnvironmentOptions {
  /** Portico's own environment (default `process.env`), where `${env:NAME}` looks first. */
  readonly processEnv?: NodeJS.ProcessEnv;
  /** `--env-file`: a dotenv file, where `${env:NAME}` looks when Portico's environment lacks NAME. */
  readonly envFile?: string;
  /** `--env-vars`: SAM's JSON file of values for declared variables. */
  readonly envVarsFile?: string;
  /** `--parameter-overrides`: values for a SAM template's `Parameters`, replacing their defaults. */
  readonly parameterOverrides?: ReadonlyMap<string, string>;
}

export interface EnvironmentSources {
  readonly lookup: VariableLookup;
  readonly overrides: EnvironmentOverrides;
}

export async function readEnvironmentSources(options: EnvironmentOptions): Promise<EnvironmentSources> {
  const processEnv = options.processEnv ?? process.env;
  const [fileValues, overrides] = await Promise.all([
    options.envFile === undefined ? undefined : readConfigText(options.envFile).then((text) => parse(text)),
    options.envVarsFile === undefined
      ? EnvironmentOverrides.none
      : EnvironmentOverrides.read(options.envVarsFile),
  ]);
  // As `node --env-file` and Docker Compose do, a variable already in the environment wins over the file.
  const lookup: VariableLookup = {
    get: (name) => ownValue(processEnv, name) ?? (fileValues && ownValue(fileValues, name)),
    sources:
      options.envFile === undefined
        ? "Portico's environment"
        : `Portico's environment or ${basename(options.envFile)}`,
  };
  return { lookup, overrides };
}

/** Never an inherited property: `${env:constructor}` names a variable, not Object's. */
function ownValue(values: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}
