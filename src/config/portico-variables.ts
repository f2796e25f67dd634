/**
 * The variable values of portico.yaml (`functions.*.environment`, `services.*.env`) as instances get
 * them: an `--env-vars` value where the file gives one, else the written value with its `${env:NAME}`
 * references substituted. Runs on the raw data, before the schema checks the results.
 */
import { substituteReferences } from "./env-references.js";
import type { EnvironmentSources } from "./environment-sources.js";
import type { PathIssue } from "./schema-check.js";

type Json = Record<string, unknown>;

/** Where each section keeps its variables. */
const VARIABLE_KEYS = { functions: "environment", services: "env" } as const;

/** A copy of `raw` with the values resolved (`raw` itself is untouched), and every reference that failed. */
export function resolveVariables(
  raw: unknown,
  sources: EnvironmentSources,
): { data: unknown; issues: PathIssue[] } {
  if (!isMapping(raw)) return { data: raw, issues: [] };
  const data: Json = { ...raw };
  const issues: PathIssue[] = [];
  for (const [section, variablesKey] of Object.entries(VARIABLE_KEYS)) {
    const entries = raw[section];
    if (!isMapping(entries)) continue;
    const resolvedEntries: Json = { ...entries };
    for (const [name, entry] of Object.entries(entries)) {
      if (entry !== null && !isMapping(entry)) continue;
      const variables = entry?.[variablesKey];
      const written = isMapping(variables) ? variables : {};
      const given = sources.overrides.valuesFor([name], Object.keys(written));
      if (!isMapping(variables)) continue;
      const resolved: Json = {};
      for (const [variable, value] of Object.entries(variables)) {
        const override = given.get(variable);
        if (override !== undefined || typeof value !== "string") {
          resolved[variable] = override ?? value;
          continue;
        }
        const substitution = substituteReferences(value, sources.lookup);
        if (substitution.ok) resolved[variable] = substitution.value;
        else issues.push({ path: [section, name, variablesKey, variable], reason: substitution.reason });
      }
      resolvedEntries[name] = { ...entry, [variablesKey]: resolved };
    }
    data[section] = resolvedEntries;
  }
  return { data, issues };
}

function isMapping(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
