/** A SAM resource's properties as SAM sees them: `Globals` merged in, intrinsics resolved, origins tracked. */
import { mergeGlobals } from "./sam-globals.js";
import { type IntrinsicScope, resolveIntrinsics } from "./sam-intrinsics.js";

type Path = readonly PropertyKey[];

export type GlobalsSection = "Function" | "HttpApi" | "Api";

export interface ResolvedProperties {
  readonly properties: unknown;
  /** Where a property path was written: on the resource, or in `Globals` when only Globals has it. */
  readonly locate: (path: Path) => Path;
}

export function resolveProperties(
  local: unknown,
  global: unknown,
  at: { readonly id: string; readonly section: GlobalsSection },
  scope: IntrinsicScope,
): ResolvedProperties {
  return {
    properties: resolveIntrinsics(mergeGlobals(global, local ?? {}), scope),
    locate: (path) =>
      !hasPath(local, path) && hasPath(global, path)
        ? ["Globals", at.section, ...path]
        : ["Resources", at.id, "Properties", ...path],
  };
}

function hasPath(root: unknown, path: Path): boolean {
  let node = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !(String(key) in node)) return false;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return true;
}
