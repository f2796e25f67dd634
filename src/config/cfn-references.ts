/**
 * Which resource a CloudFormation value points at: a function behind an ARN built with `Fn::GetAtt`, `Fn::Join`
 * or `Fn::Sub` (`arn:aws:apigateway:...:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations`), an API behind a
 * `Ref`, an integration behind `integrations/${Integration}`. Intrinsics a local stack resolves are resolved first;
 * these are what is left.
 */

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The logical ids `value` refers to, in order: `Ref`, `Fn::GetAtt` (any attribute) and `${Id}`/`${Id.Attr}` in `Fn::Sub`. */
export function referencedIds(value: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === "Ref" && typeof node.Ref === "string") {
      found.push(node.Ref);
      return;
    }
    if (keys.length === 1 && keys[0] === "Fn::GetAtt") {
      const target = getAttTarget(node["Fn::GetAtt"]);
      if (target !== undefined) found.push(target.id);
      return;
    }
    if (keys.length === 1 && keys[0] === "Fn::Sub") {
      const args = node["Fn::Sub"];
      const text = typeof args === "string" ? args : Array.isArray(args) ? args[0] : undefined;
      if (typeof text === "string") {
        for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g))
          found.push(match[1] as string);
      }
      if (Array.isArray(args)) visit(args[1]);
      return;
    }
    for (const item of Object.values(node)) visit(item);
  };
  visit(value);
  return found;
}

/** `["Fn", "Arn"]` or `"Fn.Arn"` → `{id: "Fn", attribute: "Arn"}`. */
export function getAttTarget(args: unknown): { id: string; attribute: string } | undefined {
  if (typeof args === "string") {
    const dot = args.indexOf(".");
    return dot > 0 ? { id: args.slice(0, dot), attribute: args.slice(dot + 1) } : undefined;
  }
  if (Array.isArray(args) && typeof args[0] === "string" && typeof args[1] === "string") {
    return { id: args[0], attribute: args[1] };
  }
  return undefined;
}

/**
 * The one resource of `candidates` that `value` refers to, or undefined (none, or more than one). A literal
 * Lambda ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS]`) names a candidate by `names`.
 */
export function referencedResource(
  value: unknown,
  candidates: ReadonlySet<string>,
  names: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  const ids = new Set(referencedIds(value).filter((id) => candidates.has(id)));
  if (typeof value === "string") {
    const name = /:function:([^:/]+)/.exec(value)?.[1];
    if (name !== undefined) {
      const id = names.get(name) ?? (candidates.has(name) ? name : undefined);
      if (id !== undefined) ids.add(id);
    }
    if (candidates.has(value)) ids.add(value);
  }
  return ids.size === 1 ? [...ids][0] : undefined;
}
