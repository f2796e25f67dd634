/** Route keys as API Gateway HTTP APIs define them: `$default`, or `METHOD /path` with `{var}` and `{var+}`. */

export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"] as const;

export interface ParsedRouteKey {
  /** Canonical form: upper-case method, one space, path (`GET /items/{id}`), or `$default`. */
  readonly routeKey: string;
  readonly method: string;
  readonly path: string | null;
}

export type RouteKeyResult =
  | { readonly ok: true; readonly value: ParsedRouteKey }
  | { readonly ok: false; readonly reason: string };

export const DEFAULT_ROUTE: ParsedRouteKey = { routeKey: "$default", method: "$default", path: null };
const VARIABLE = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/;

export function parseRouteKey(text: string): RouteKeyResult {
  const trimmed = text.trim();
  if (trimmed === "$default") return { ok: true, value: DEFAULT_ROUTE };
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 2) {
    return fail(`is not a route key: expected \`$default\` or \`METHOD /path\` (e.g. \`GET /items/{id}\`)`);
  }
  const method = (parts[0] as string).toUpperCase();
  const path = parts[1] as string;
  if (!(ROUTE_METHODS as readonly string[]).includes(method)) {
    return fail(`has an unknown method \`${parts[0]}\`; use one of ${ROUTE_METHODS.join(", ")}`);
  }
  const pathProblem = checkPath(path);
  if (pathProblem !== undefined) return fail(pathProblem);
  return { ok: true, value: { routeKey: `${method} ${path}`, method, path } };
}

/** Why a route path is invalid, or undefined when it is fine. */
function checkPath(path: string): string | undefined {
  if (!path.startsWith("/")) return `has a path that does not start with \`/\`: \`${path}\``;
  if (path === "/") return undefined;
  if (path.endsWith("/")) return `has a path ending in \`/\` (API Gateway rejects it): \`${path}\``;
  const segments = path.slice(1).split("/");
  const names = new Set<string>();
  for (const [index, segment] of segments.entries()) {
    if (segment === "") return `has an empty path segment (\`//\`): \`${path}\``;
    if (/[?#\s]/.test(segment)) return `has a path with a character not allowed in a route: \`${path}\``;
    if (!segment.includes("{") && !segment.includes("}")) continue;
    const variable = VARIABLE.exec(segment);
    if (variable === null) {
      return `has a path variable that is not a whole segment: \`${segment}\` (write \`/{name}\`, one per segment)`;
    }
    const [, name, greedy] = variable as unknown as [string, string, string];
    if (greedy === "+" && index !== segments.length - 1) {
      return `has a greedy variable \`${segment}\` that is not the last segment`;
    }
    if (names.has(name)) return `uses the path variable \`{${name}}\` twice`;
    names.add(name);
  }
  return undefined;
}

/** The path with variable names erased: two routes of one method and one shape can never be told apart. */
function routeShape(route: ParsedRouteKey): string {
  if (route.path === null) return route.routeKey;
  return `${route.method} ${route.path.replace(/\{[^}/]*?(\+?)\}/g, "{$1}")}`;
}

function fail(reason: string): RouteKeyResult {
  return { ok: false, reason };
}

/** The route keys of one API, refusing a key twice and two keys no request could tell apart. */
export class RouteKeySet {
  readonly #byShape = new Map<string, string>();

  /** Why `route` cannot join the API, or undefined after adding it. */
  add(route: ParsedRouteKey): string | undefined {
    const shape = routeShape(route);
    const existing = this.#byShape.get(shape);
    if (existing === route.routeKey) return `duplicates route \`${existing}\``;
    if (existing !== undefined) return `conflicts with route \`${existing}\`: same method and path shape`;
    this.#byShape.set(shape, route.routeKey);
    return undefined;
  }
}
