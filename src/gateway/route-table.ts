/**
 * Route selection with API Gateway HTTP API precedence: a full match beats a greedy `{proxy+}` match,
 * which beats `$default`; literal segments beat variables; an exact method beats `ANY` for the same path.
 * Built once per deployment on find-my-way's radix tree, whose static > parametric > wildcard order
 * gives that precedence: `ANY` routes are registered under every method that has no route of its own
 * for the same path.
 */
import FindMyWay, { type HTTPMethod } from "find-my-way";
import type { RouteSpec } from "../model/index.js";

export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export interface RouteMatch {
  readonly route: RouteSpec;
  /** Decoded path parameters by their names in the route key, or null when the route has none. */
  readonly pathParameters: Record<string, string> | null;
}

interface Entry {
  readonly route: RouteSpec;
  /** Parameter names in path order; the greedy one, if any, is last. */
  readonly parameterNames: readonly string[];
  readonly greedy: boolean;
}

const ROUTER_OPTIONS = { caseSensitive: true, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false };
type Router = ReturnType<typeof FindMyWay>;

export class RouteTable {
  readonly #router = FindMyWay(ROUTER_OPTIONS);
  /** The greedy routes alone: where a request goes when its best match would bind `{id}` to "". */
  readonly #greedyRouter = FindMyWay(ROUTER_OPTIONS);
  readonly #defaultRoute: RouteSpec | null;

  constructor(routes: readonly RouteSpec[]) {
    this.#defaultRoute = routes.find((route) => route.path === null) ?? null;
    const explicit = new Set(
      routes.filter((r) => r.method !== "ANY" && r.path).map((r) => `${r.method} ${r.path}`),
    );
    for (const route of routes) {
      if (route.path === null) continue;
      const { pattern, parameterNames, greedy } = toFindMyWayPattern(route.path);
      const entry: Entry = { route, parameterNames, greedy };
      const methods =
        route.method === "ANY"
          ? ROUTE_METHODS.filter((m) => !explicit.has(`${m} ${route.path}`))
          : [route.method];
      for (const method of methods) {
        this.#router.on(method as HTTPMethod, pattern, noop, entry);
        if (greedy) this.#greedyRouter.on(method as HTTPMethod, pattern, noop, entry);
      }
    }
  }

  /**
   * Matches a request path as sent (still percent-encoded, stage prefix removed); parameters come
   * back decoded. Matching the encoded path keeps a `%25` in a value from being decoded twice.
   */
  match(method: string, path: string): RouteMatch | null {
    if (ROUTE_METHODS.includes(method as never)) {
      // A `{name}` variable is one whole, non-empty segment; find-my-way also binds it to "".
      const match =
        find(this.#router, method as HTTPMethod, path, false) ??
        find(this.#greedyRouter, method as HTTPMethod, path, true);
      if (match) return match;
    }
    return this.#defaultRoute ? { route: this.#defaultRoute, pathParameters: null } : null;
  }
}

function noop(): void {}

function find(router: Router, method: HTTPMethod, path: string, greedyOnly: boolean): RouteMatch | null {
  const found = router.find(method, path);
  if (!found) return null;
  const entry = found.store as Entry;
  const pathParameters = collectParameters(entry, found.params);
  if (!greedyOnly && pathParameters && hasEmptySegmentVariable(entry, pathParameters)) return null;
  return { route: entry.route, pathParameters };
}

function hasEmptySegmentVariable(entry: Entry, parameters: Record<string, string>): boolean {
  const segmentVariables = entry.greedy ? entry.parameterNames.slice(0, -1) : entry.parameterNames;
  return segmentVariables.some((name) => parameters[name] === "");
}

function collectParameters(
  entry: Entry,
  params: Record<string, string | undefined>,
): Record<string, string> | null {
  if (entry.parameterNames.length === 0) return null;
  const result: Record<string, string> = {};
  entry.parameterNames.forEach((name, index) => {
    const isGreedy = entry.greedy && index === entry.parameterNames.length - 1;
    result[name] = (isGreedy ? params["*"] : params[`p${index}`]) ?? "";
  });
  return result;
}

/**
 * `/items/{id}/files/{proxy+}` → `/items/:p0/files/*`. Parameters get positional names because
 * find-my-way treats `-` and `.` inside a parameter name as separators.
 */
function toFindMyWayPattern(path: string): { pattern: string; parameterNames: string[]; greedy: boolean } {
  const parameterNames: string[] = [];
  let greedy = false;
  const segments = path.split("/").map((segment) => {
    const variable = /^\{(.+?)(\+)?\}$/.exec(segment);
    if (!variable) return segment.replaceAll(":", "::").replaceAll("*", "%2A");
    parameterNames.push(variable[1] as string);
    if (variable[2]) {
      greedy = true;
      return "*";
    }
    return `:p${parameterNames.length - 1}`;
  });
  return { pattern: segments.join("/"), parameterNames, greedy };
}
