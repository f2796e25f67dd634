/**
 * portico.yaml's `${env:NAME}` references, kept as references in the SAM template: each NAME becomes a template
 * parameter (its `:-default` the parameter's Default), given at deploy time with `--parameter-overrides`, so a
 * value of the exporting shell (a database password) never lands in the template.
 */
import { referenceParts } from "../../config/env-references.js";
import type { LogicalIds } from "./logical-ids.js";

export interface TemplateParameter {
  readonly Type: "String";
  readonly Description: string;
  readonly Default?: string;
}

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
    if (typeof written !== "string") return resolved;
    const parts = referenceParts(written);
    const [first] = parts;
    if (!parts.some((part) => "name" in part)) return resolved;
    if (parts.length === 1 && first !== undefined && "name" in first) {
      return { Ref: this.#parameter(first.name, first.fallback) };
    }
    // In !Sub, `${!` writes a literal `${`.
    const sub = parts
      .map((part) =>
        "name" in part
          ? `\${${this.#parameter(part.name, part.fallback)}}`
          : part.text.replaceAll("${", "${!"),
      )
      .join("");
    return { "Fn::Sub": sub };
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
