/**
 * CORS on a REST API as SAM sets it up (`AWS::Serverless::Api` `Cors`): SAM adds to every path of the API an
 * `OPTIONS` method with a mock integration that answers 200 with the configured headers, unless the path already
 * has an `OPTIONS` method of its own. Nothing else changes: other responses carry only the headers the function
 * returns, and gateway errors none. Header values are computed once per deployment.
 */
import type { HttpResponse } from "../aws/index.js";
import type { CorsSpec, RouteSpec } from "../model/index.js";
import { RouteTable } from "./route-table.js";

/** What SAM lists for a path with an `ANY` method and no `AllowMethods` (its `_ALL_HTTP_METHODS`, sorted). */
const ALL_METHODS = "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT";

export class RestCorsPreflight {
  /** One `OPTIONS` route per path: the path's own, or a stand-in for SAM's mock method. */
  readonly #table: RouteTable;
  /** Stand-in route → the headers of its mock answer. */
  readonly #answers = new Map<RouteSpec, ReadonlyArray<readonly [string, string]>>();

  constructor(cors: CorsSpec, routes: readonly RouteSpec[]) {
    const methodsByPath = new Map<string, Set<string>>();
    for (const route of routes) {
      if (route.path === null) continue;
      const methods = methodsByPath.get(route.path) ?? new Set<string>();
      methods.add(route.method);
      methodsByPath.set(route.path, methods);
    }
    const optionsRoutes: RouteSpec[] = [];
    for (const [path, methods] of methodsByPath) {
      const own = routes.find((route) => route.path === path && route.method === "OPTIONS");
      if (own !== undefined) {
        optionsRoutes.push(own);
        continue;
      }
      const mock: RouteSpec = {
        routeKey: `OPTIONS ${path}`,
        method: "OPTIONS",
        path,
        functionName: "",
        payloadFormat: "1.0",
        timeoutMs: 0,
      };
      optionsRoutes.push(mock);
      this.#answers.set(mock, mockHeaders(cors, methods));
    }
    this.#table = new RouteTable(optionsRoutes);
  }

  /**
   * The mock's answer to an `OPTIONS` request for `routePath` (stage segment removed, trailing slash dropped), or
   * null when a function's own `OPTIONS` route takes it, or no path matches (then it is routed as usual).
   */
  answer(routePath: string): HttpResponse | null {
    const match = this.#table.match("OPTIONS", routePath);
    const headers = match === null ? undefined : this.#answers.get(match.route);
    if (headers === undefined) return null;
    return { statusCode: 200, headers, body: "" };
  }
}

/**
 * The headers SAM's mock method sends: Allow-Origin always; Allow-Headers, Max-Age and Allow-Credentials (`true`
 * only) when set; Allow-Methods as given, else the path's methods and OPTIONS, sorted (every method for `ANY`).
 */
function mockHeaders(cors: CorsSpec, pathMethods: ReadonlySet<string>): Array<readonly [string, string]> {
  const headers: Array<readonly [string, string]> = [["Content-Type", "application/json"]];
  if (cors.allowOrigins.length > 0)
    headers.push(["Access-Control-Allow-Origin", cors.allowOrigins.join(",")]);
  if (cors.allowHeaders.length > 0)
    headers.push(["Access-Control-Allow-Headers", cors.allowHeaders.join(",")]);
  headers.push(["Access-Control-Allow-Methods", allowMethods(cors.allowMethods, pathMethods)]);
  if (cors.maxAge !== undefined) headers.push(["Access-Control-Max-Age", String(cors.maxAge)]);
  if (cors.allowCredentials) headers.push(["Access-Control-Allow-Credentials", "true"]);
  return headers;
}

function allowMethods(configured: readonly string[], pathMethods: ReadonlySet<string>): string {
  if (configured.length > 0) return configured.join(",");
  if (pathMethods.has("ANY")) return ALL_METHODS;
  return [...new Set([...pathMethods, "OPTIONS"])].sort().join(",");
}
