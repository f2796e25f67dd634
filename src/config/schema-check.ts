/** Runs a zod schema over config data and turns every zod issue into a path, a reason and a hint. */
import type { z } from "zod";
import { type ConfigIssue, formatKeyPath } from "./config-error.js";
import { didYouMean } from "./near-miss.js";

export interface PathIssue {
  readonly path: readonly PropertyKey[];
  readonly reason: string;
  readonly hint?: string;
}

export type CheckResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly issues: PathIssue[] };

export async function checkSchema<S extends z.ZodType>(
  schema: S,
  input: unknown,
): Promise<CheckResult<z.output<S>>> {
  // Zod reports unknown keys without the keys it knows; the error map still sees the object schema, so
  // note its shape here to suggest the near miss.
  const knownKeys = new Map<string, string[]>();
  const result = await schema.safeParseAsync(input, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
        knownKeys.set(JSON.stringify(issue.path ?? []), Object.keys(shape ?? {}));
      }
      return undefined;
    },
  });
  if (result.success) return { ok: true, data: result.data };
  const issues: PathIssue[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys.get(JSON.stringify(path)) ?? [];
      for (const key of issue.keys) issues.push(unknownKey([...path, key], key, known));
    } else {
      issues.push({ path, reason: issue.message, ...hintOf(issue) });
    }
  }
  return { ok: false, issues };
}

function unknownKey(path: PropertyKey[], key: string, known: readonly string[]): PathIssue {
  const hint = didYouMean(key, known);
  if (hint !== undefined) return { path, reason: "unknown key", hint };
  return {
    path,
    reason: known.length > 0 ? `unknown key; expected one of ${known.join(", ")}` : "unknown key",
  };
}

function hintOf(issue: unknown): { hint?: string } {
  const hint = (issue as { params?: { hint?: unknown } } | undefined)?.params?.hint;
  return typeof hint === "string" ? { hint } : {};
}

export function toConfigIssue(issue: PathIssue, prefix: readonly PropertyKey[] = []): ConfigIssue {
  const key = formatKeyPath([...prefix, ...issue.path]);
  return issue.hint === undefined
    ? { key, reason: issue.reason }
    : { key, reason: issue.reason, hint: issue.hint };
}

/** Sorts issues into the order their keys appear in the file (`raw` keeps the file's key order). */
export function inFileOrder<T extends { readonly path: readonly PropertyKey[] }>(
  issues: readonly T[],
  raw: unknown,
): T[] {
  const ranked = issues.map((issue, index) => ({ issue, index, rank: rankOf(issue.path, raw) }));
  ranked.sort((a, b) => compareRanks(a.rank, b.rank) || a.index - b.index);
  return ranked.map(({ issue }) => issue);
}

/** Position of each path segment among its siblings; a key the file lacks sorts after its siblings. */
function rankOf(path: readonly PropertyKey[], raw: unknown): number[] {
  const rank: number[] = [];
  let node = raw;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) {
      rank.push(Number.POSITIVE_INFINITY);
      node = undefined;
      continue;
    }
    const keys = Object.keys(node);
    const position = Array.isArray(node) ? Number(segment) : keys.indexOf(String(segment));
    rank.push(position < 0 || Number.isNaN(position) ? Number.POSITIVE_INFINITY : position);
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return rank;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0 && !Number.isNaN(difference)) return difference;
  }
  return a.length - b.length;
}
