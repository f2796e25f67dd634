/** What every authorizer answers for one request, and how the gateway asks. */
import type { AuthorizerResult, GatewayRequest, HttpResponse, RouteContext } from "../../aws/index.js";

export type Authorization =
  | { readonly allowed: true; readonly result: AuthorizerResult }
  | {
      readonly allowed: false;
      readonly answer: HttpResponse;
      /** What went wrong, for the operator's log (a failing authorizer, an unreachable issuer); absent for a refusal. */
      readonly problem?: string;
    };

/** Decides one request to one route; the route's scopes are bound in. */
export type RouteGuard = (request: GatewayRequest, route: RouteContext) => Promise<Authorization>;

export function refused(answer: HttpResponse, problem?: string): Authorization & { allowed: false } {
  return problem === undefined ? { allowed: false, answer } : { allowed: false, answer, problem };
}

/** One authorizer of an API; each route it guards gets its own guard, with the route's scopes. */
export interface Authorizer {
  guard(scopes: readonly string[]): RouteGuard;
}
