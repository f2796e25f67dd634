/**
 * Several APIs on the bare host (`localhost`, `127.0.0.1`, `[::1]`): as `sam local start-api`, which serves every
 * API's routes from one app, a request there goes to the API whose route matches it. Across APIs a literal path
 * beats one with variables, which beats a greedy `{proxy+}`, which beats `$default` (the order sam local's router
 * gives); a tie between APIs is ambiguous, and the request is answered as one for an unknown host.
 */
import type { RouteSpec } from "../model/index.js";
import { selectStage } from "./api-request.js";
import type { CompiledApi } from "./compiled-api.js";

export type BareHostChoice =
  | { readonly api: CompiledApi }
  /** No API has a route for the request. */
  | { readonly none: true }
  /** Several APIs match equally well: `routes` says which, as `api: route key`. */
  | { readonly ambiguous: readonly string[] };

export class BareHostRouting {
  readonly apis: readonly CompiledApi[];

  constructor(apis: readonly CompiledApi[]) {
    this.apis = apis;
  }

  /** `rawPath`: the request's path as sent, query string removed. */
  choose(method: string, rawPath: string): BareHostChoice {
    let best: Array<{ api: CompiledApi; routeKey: string }> = [];
    let bestRank = Number.POSITIVE_INFINITY;
    for (const api of this.apis) {
      const { routePath } = selectStage(api, rawPath);
      let rank: number;
      let routeKey: string;
      if (api.restPreflight(method, routePath) !== null) {
        // A REST API's CORS mock method is a literal OPTIONS method on the path.
        rank = 0;
        routeKey = `OPTIONS (CORS) ${routePath}`;
      } else {
        const match = api.match(method, routePath);
        if (match === null) continue;
        rank = specificity(match.route);
        routeKey = match.route.routeKey;
      }
      if (rank < bestRank) {
        bestRank = rank;
        best = [];
      }
      if (rank === bestRank) best.push({ api, routeKey });
    }
    if (best.length === 0) return { none: true };
    if (best.length === 1) return { api: (best[0] as { api: CompiledApi }).api };
    return { ambiguous: best.map(({ api, routeKey }) => `${api.spec.name}: ${routeKey}`) };
  }
}

/** 0: all literal segments; 1: with `{variables}`; 2: with a greedy `{proxy+}`; 3: `$default`. */
function specificity(route: RouteSpec): number {
  if (route.path === null) return 3;
  if (route.path.includes("+}")) return 2;
  return route.path.includes("{") ? 1 : 0;
}
