/**
 * SAM's `Globals` merge: a resource's value replaces a global primitive, maps merge key by key with the
 * resource winning, lists get the global entries first. An intrinsic function counts as a primitive.
 */
import { intrinsicName } from "./sam-intrinsics.js";

type Token = "primitive" | "map" | "list";

function tokenOf(value: unknown): Token {
  if (Array.isArray(value)) return "list";
  if (typeof value === "object" && value !== null && intrinsicName(value) === undefined) return "map";
  return "primitive";
}

export function mergeGlobals(global: unknown, local: unknown): unknown {
  if (global === undefined) return local;
  if (local === undefined) return global;
  const token = tokenOf(local);
  if (token !== tokenOf(global) || token === "primitive") return local;
  if (token === "list") return [...(global as unknown[]), ...(local as unknown[])];
  const merged: Record<string, unknown> = { ...(global as Record<string, unknown>) };
  for (const [key, value] of Object.entries(local as Record<string, unknown>)) {
    merged[key] = key in merged ? mergeGlobals(merged[key], value) : value;
  }
  return merged;
}
