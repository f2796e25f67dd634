/**
 * Public face of config loading: a project directory's `portico.yaml` (or SAM / CloudFormation `template.yaml`,
 * or a `cdk synth` stack template) becomes a validated, defaulted, deep-frozen Project, or a ConfigError listing
 * every problem.
 */
import { readdir, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { Project } from "../model/index.js";
import { ConfigError } from "./config-error.js";
import { type EnvironmentOptions, readEnvironmentSources } from "./environment-sources.js";
import type { LoadedConfig } from "./loaded-config.js";
import { loadPorticoFile } from "./portico-file.js";
import { loadSamTemplate } from "./sam-template.js";

export type { ConfigIssue, ConfigWarning } from "./config-error.js";
export { ConfigError, formatWarning } from "./config-error.js";
export type { EnvironmentOptions } from "./environment-sources.js";
export { RESERVED_ENVIRONMENT_VARIABLES } from "./field-schemas.js";
export { removeGeneratedCode } from "./generated-code.js";
export type { LoadedConfig } from "./loaded-config.js";
export { ParameterOverridesError, parseParameterOverrides } from "./parameter-overrides.js";
export { parseApiSettings, parseCorsSettings, parseFunctionSettings } from "./portico-file.js";
export { defaultServiceSpec, RESERVED_SERVICE_ENVIRONMENT_VARIABLES } from "./portico-services.js";

/** Looked for in this order: Portico's own format first, then a SAM template. */
export const CONFIG_FILE_NAMES = ["portico.yaml", "portico.yml", "template.yaml", "template.yml"] as const;

/** What `cdk synth` names a stack's template in its output directory (cdk.out). */
const CDK_TEMPLATE_SUFFIX = ".template.json";
/** A CDK nested stack's template, loaded through its parent. */
const CDK_NESTED_TEMPLATE_SUFFIX = ".nested.template.json";

/**
 * The absolute path of the config file in `dir` (or `dir` itself when it is a file), or undefined when it
 * has none. A `cdk synth` output directory's one stack template counts; with several, the user picks one.
 */
export async function findConfigFile(dir: string): Promise<string | undefined> {
  if (await isFile(dir)) return resolve(dir);
  for (const name of CONFIG_FILE_NAMES) {
    const file = resolve(dir, name);
    if (await isFile(file)) return file;
  }
  const stacks = (await readdir(dir).catch(() => []))
    .filter((name) => name.endsWith(CDK_TEMPLATE_SUFFIX) && !name.endsWith(CDK_NESTED_TEMPLATE_SUFFIX))
    .sort();
  if (stacks.length > 1) {
    throw new ConfigError(resolve(dir), [
      {
        key: "",
        reason: `holds ${stacks.length} stack templates (${stacks.join(", ")}): give the one to serve, e.g. portico dev ${resolve(dir, stacks[0] as string)}`,
      },
    ]);
  }
  return stacks.length === 1 ? resolve(dir, stacks[0] as string) : undefined;
}

/**
 * Loads the project in `dir`, with the warnings a caller may show (unresolvable intrinsics, ignored
 * events, `--env-vars` entries that override nothing). `environment` says where variable values from
 * outside the config come from; its files are read anew on every call.
 */
export async function loadConfig(dir: string, environment: EnvironmentOptions = {}): Promise<LoadedConfig> {
  const root = resolve(dir);
  const file = await findConfigFile(root);
  if (file === undefined) {
    const reason = (await isDirectory(root))
      ? `no config file found: looked for ${CONFIG_FILE_NAMES.join(", ")} and a cdk synth STACK${CDK_TEMPLATE_SUFFIX} in ${root}`
      : `project directory does not exist: ${root}`;
    throw new ConfigError(root, [{ key: "", reason }]);
  }
  const sources = await readEnvironmentSources(environment);
  const isPorticoFile = basename(file).startsWith("portico.");
  const parameters = environment.parameterOverrides ?? new Map<string, string>();
  if (isPorticoFile && parameters.size > 0) {
    throw new ConfigError(file, [
      { key: "", reason: "--parameter-overrides sets a SAM template's Parameters; portico.yaml has none" },
    ]);
  }
  const loaded = isPorticoFile
    ? await loadPorticoFile(file, sources)
    : await loadSamTemplate(file, sources.overrides, parameters);
  const warnings = [...loaded.warnings, ...sources.overrides.warnings(basename(file))];
  if (!isPorticoFile && environment.envFile !== undefined) {
    warnings.push({
      file: environment.envFile,
      key: "",
      reason: `is not used: its values fill \`\${env:NAME}\` references, which only portico.yaml has; use --env-vars to give values to the functions of ${basename(file)}`,
    });
  }
  return { project: loaded.project, warnings };
}

export async function loadProject(dir: string, environment: EnvironmentOptions = {}): Promise<Project> {
  return (await loadConfig(dir, environment)).project;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
