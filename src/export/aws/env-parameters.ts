/**
 * portico.yaml's `${env:NAME}` references, kept as references in the SAM template: each NAME becomes a template
 * parameter (its `:-default` the parameter's Default), given at deploy time with `--parameter-overrides`, so a
 * value of the exporting shell (a database password) never lands in the template.
 */
import type { LogicalIds } from "./logical-ids.js";

export interface TemplateParameter {
  readonly Type: "String";
  readonly Description: string;
  readonly Default?: string;
}

/** `$${` (a literal `${`), or one `${env:NAME}` / `${env:NAME:-default}` reference. */
const REFERENCE = /\$\$\{|\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export class EnvParameters {
  readonly #ids: LogicalIds;
  /** NAME → its parameter's logical id. */
  readonly #byName = new Map<string, string>();
  readonly parameters: Record<string, TemplateParameter> = {};

  constructor(ids: LogicalIds) {
    this.#ids = ids;
  }

  /**
   * The template value of a variable: `written` (as in the config file) with its references as parameters, or
   * `resolved` (as Portico serves it) when it has none, or when it was not written as text.
   */
  value(written: unknown, resolved: string): unknown {
    if (typeof written !== "string" || !written.includes("${")) return resolved;
    let sub = "";
    let last = 0;
    let only: string | undefined;
    let references = 0;
    for (const match of written.matchAll(REFERENCE)) {
      const [whole, name, fallback] = match;
      sub += written.slice(last, match.index);
      last = match.index + whole.length;
      if (name === undefined) {
        sub += "${!";
        continue;
      }
      only = this.#parameter(name, fallback);
      references++;
      sub += `\${${only}}`;
    }
    sub += written.slice(last);
    if (references === 0) return resolved;
    return references === 1 && sub === `\${${only}}` ? { Ref: only } : { "Fn::Sub": sub };
  }

  #parameter(name: string, fallback: string | undefined): string {
    let id = this.#byName.get(name);
    if (id === undefined) {
      id = this.#ids.take(name.toLowerCase());
      this.#byName.set(name, id);
      this.parameters[id] = {
        Type: "String",
        Description: `\${env:${name}} in portico.yaml: set it with --parameter-overrides ${id}=VALUE`,
        ...(fallback === undefined ? {} : { Default: fallback }),
      };
    }
    return id;
  }
}
