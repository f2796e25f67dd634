/**
 * `--env-vars FILE`: the JSON file of variable values `sam local --env-vars` reads, with its rules.
 * `{"Parameters": {...}}` applies to every function (and, in Portico, every service); `{"NAME": {...}}`
 * to the function or service NAME, winning over `Parameters`. A value only replaces a variable the
 * function or service already declares, as in SAM; whatever overrode nothing is reported, since SAM's
 * silence about it is a common puzzle.
 */
import { ConfigError, type ConfigWarning, formatKeyPath } from "./config-error.js";
import { readConfigText } from "./yaml-file.js";

/** The entry whose values apply to every function and service. */
const EVERY_RESOURCE = "Parameters";

const SHAPE =
  'a JSON object whose keys are function or service names (or "Parameters", for all of them) and whose values are objects of variable names to values, as for `sam local --env-vars`';

export class EnvironmentOverrides {
  /** No file given: nothing is overridden. */
  static readonly none = new EnvironmentOverrides("", new Map());

  readonly #file: string;
  readonly #entries: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The variables each function or service declares, as seen by `valuesFor`. */
  readonly #declared = new Map<string, ReadonlySet<string>>();

  private constructor(file: string, entries: ReadonlyMap<string, ReadonlyMap<string, string>>) {
    this.#file = file;
    this.#entries = entries;
  }

  /** Reads `file`; a file that is not SAM's format is a ConfigError naming it. */
  static async read(file: string): Promise<EnvironmentOverrides> {
    const text = await readConfigText(file);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(file, [{ key: "", reason: `is not valid JSON: ${(error as Error).message}` }]);
    }
    if (!isObject(data)) throw new ConfigError(file, [{ key: "", reason: `must be ${SHAPE}` }]);
    const entries = new Map<string, ReadonlyMap<string, string>>();
    const problems = [];
    for (const [name, variables] of Object.entries(data)) {
      if (!isObject(variables)) {
        problems.push({
          key: formatKeyPath([name]),
          reason: "must be an object of variable names to values",
        });
        continue;
      }
      entries.set(name, new Map(Object.entries(variables).map(([key, value]) => [key, samString(value)])));
    }
    if (problems.length > 0) throw new ConfigError(file, problems);
    return new EnvironmentOverrides(file, entries);
  }

  /**
   * The file's values for the variables `declared` by a function or service: its own entry's, else
   * those of `Parameters`. Its entry is the first of `names` the file has (SAM looks for a function's
   * logical id, then its `FunctionName`). Called once for every function and service, to tell what matched.
   */
  valuesFor(names: readonly string[], declared: readonly string[]): Map<string, string> {
    const values = new Map<string, string>();
    if (this.#entries.size === 0) return values;
    for (const name of names)
      this.#declared.set(name, new Set([...(this.#declared.get(name) ?? []), ...declared]));
    const own = names.map((name) => this.#entries.get(name)).find((entry) => entry !== undefined);
    const every = this.#entries.get(EVERY_RESOURCE);
    for (const variable of declared) {
      const value = own?.get(variable) ?? every?.get(variable);
      if (value !== undefined) values.set(variable, value);
    }
    return values;
  }

  /** Entries that overrode nothing: a name that is no function or service, a variable none declares. */
  warnings(configFile: string): ConfigWarning[] {
    const warnings: ConfigWarning[] = [];
    const warn = (path: string[], reason: string) =>
      warnings.push({ file: this.#file, key: formatKeyPath(path), reason });
    const declaredAnywhere = new Set([...this.#declared.values()].flatMap((names) => [...names]));
    for (const [name, variables] of this.#entries) {
      const declared = name === EVERY_RESOURCE ? declaredAnywhere : this.#declared.get(name);
      if (declared === undefined) {
        warn([name], `names no function or service of ${configFile}; ignored`);
        continue;
      }
      const owner = name === EVERY_RESOURCE ? "any function or service" : name;
      for (const variable of variables.keys()) {
        if (declared.has(variable)) continue;
        warn(
          [name, variable],
          `is not declared in the environment of ${owner}, so it is ignored: as with sam local, --env-vars only ` +
            `replaces declared variables; declare it in ${configFile} (e.g. \`${variable}: ""\`)`,
        );
      }
    }
    return warnings;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** As sam local stringifies: booleans as `true`/`false`; null, lists and objects (unresolved intrinsics) as "". */
function samString(value: unknown): string {
  if (value === null || typeof value === "object") return "";
  return String(value);
}
