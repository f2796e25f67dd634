/**
 * The portico.yaml of one API's Cloud Run service: that API and the functions it invokes, as the project's file
 * writes them (so `${env:NAME}` references stay references, resolved on Cloud Run from the service's
 * environment), with paths pointing where the export put the files.
 */
import { stringify } from "yaml";
import { referenceParts } from "../../config/env-references.js";

type Json = Record<string, unknown>;

export interface ApiConfigSelection {
  readonly api: string;
  readonly functions: readonly string[];
  /** A path as the file writes it (relative to it) → where it is in the API's directory, relative to it. */
  readonly relocate: (written: string) => string;
  /** The file it came from, for the header. */
  readonly source: string;
}

/** `raw`: the project's portico.yaml as parsed (aliases and merge keys resolved). */
export function apiConfigText(raw: Json, selection: ApiConfigSelection): string {
  const { relocate } = selection;
  const functions = asMapping(raw.functions);
  const pickedFunctions: Json = {};
  for (const name of selection.functions) {
    const settings = asMapping(functions[name]);
    const layers = settings.layers;
    pickedFunctions[name] = {
      ...settings,
      code: relocate(typeof settings.code === "string" ? settings.code : "."),
      ...(Array.isArray(layers) ? { layers: layers.map((layer) => relocate(String(layer))) } : {}),
    };
  }
  const api = { ...asMapping(asMapping(raw.apis)[selection.api]) };
  if (typeof api.openapi === "string") api.openapi = relocate(api.openapi);
  if (api.authorizers !== null && typeof api.authorizers === "object") {
    api.authorizers = Object.fromEntries(
      Object.entries(asMapping(api.authorizers)).map(([name, authorizer]) => {
        const settings = asMapping(authorizer);
        return [
          name,
          typeof settings.jwks === "string" ? { ...settings, jwks: relocate(settings.jwks) } : settings,
        ];
      }),
    );
  }
  const header =
    `# The API ${selection.api} of ${selection.source} and the functions it invokes, written by\n` +
    "# `portico export gcp` for the Cloud Run service that serves it with `portico serve`.\n";
  return (
    header +
    stringify(
      { functions: pickedFunctions, apis: { [selection.api]: api } },
      { lineWidth: 0, aliasDuplicateObjects: false },
    )
  );
}

/**
 * The `${env:NAME}` references in the variables of `names` in a section of the raw file (`functions` with their
 * `environment`, `services` with their `env`): `required` ones have no default.
 */
export function environmentReferences(
  section: unknown,
  names: readonly string[],
  variablesKey: "environment" | "env",
): { readonly required: string[]; readonly optional: string[] } {
  const required = new Set<string>();
  const optional = new Set<string>();
  const entries = asMapping(section);
  for (const name of names) {
    for (const value of Object.values(asMapping(asMapping(entries[name])[variablesKey]))) {
      if (typeof value !== "string") continue;
      for (const part of referenceParts(value)) {
        if ("name" in part) (part.fallback === undefined ? required : optional).add(part.name);
      }
    }
  }
  for (const variable of required) optional.delete(variable);
  return { required: [...required].sort(), optional: [...optional].sort() };
}

function asMapping(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}
