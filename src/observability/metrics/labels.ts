/**
 * Label values kept bounded, as Prometheus needs: a status becomes its class, and a request no route matched is
 * counted under one fixed route label, never under its raw path.
 */

/** The route label of a request no route matched (API Gateway's 404s and 403s before routing). */
export const UNMATCHED_ROUTE = "$unmatched";

/** `2xx` for 200 to 299, and so on; anything outside 100 to 599 is `other`. */
export function statusClass(status: number): string {
  return Number.isInteger(status) && status >= 100 && status < 600
    ? `${Math.floor(status / 100)}xx`
    : "other";
}

export function routeLabel(routeKey: string | undefined): string {
  return routeKey === undefined || routeKey === "" ? UNMATCHED_ROUTE : routeKey;
}
