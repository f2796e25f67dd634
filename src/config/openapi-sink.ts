/**
 * What reading an API definition (an OpenAPI document, SAM `Auth`) needs from the file it came from: where to
 * report problems, how to name a place for a warning, and which function a Lambda URI invokes.
 */
import type { ApiSpec } from "../model/index.js";

export type ApiKind = ApiSpec["kind"];

import { describeValue } from "./field-schemas.js";

export type Path = readonly PropertyKey[];

export interface DefinitionSink {
  readonly kind: ApiKind;
  error(path: Path, reason: string, hint?: string): void;
  warn(path: Path, reason: string): void;
  /** `template.yaml: Resources.Api.Properties.Auth.Authorizers.X`: the place, for an authorizer's `declaredAt`. */
  where(path: Path): string;
  /**
   * The project function a Lambda ARN or URI (`!GetAtt Fn.Arn`, `!Sub ...${Fn.Arn}...`) invokes, or why none:
   * a mistake when `error`, else something only AWS could run (the route or authorizer is warned about).
   */
  functionOf(
    uri: unknown,
  ): { readonly name: string } | { readonly problem: string; readonly error?: boolean };
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The warning an authorizer Portico cannot run gets: its routes are refused, never served open. */
export function unservedReason(kind: string, why?: string): string {
  const because = why === undefined ? "Portico cannot check it locally" : why;
  return `\`${kind}\` authorization is not served (${because}): the routes it guards answer as API Gateway answers a caller without credentials`;
}

/** A whole number in [min, max], or undefined after reporting what is wrong. */
export function wholeNumberAt(
  sink: DefinitionSink,
  path: Path,
  value: unknown,
  what: string,
  min: number,
  max: number,
): number | undefined {
  const number = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number === "number" && Number.isInteger(number) && number >= min && number <= max) return number;
  sink.error(path, `must be ${what} between ${min} and ${max}, got ${describeValue(value)}`);
  return undefined;
}

/** A list of strings, a single string, or a comma-separated string, as one list. */
export function stringList(value: unknown): string[] | undefined {
  if (typeof value === "string") {
    return value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  }
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.map(String);
  return undefined;
}
