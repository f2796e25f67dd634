/**
 * The gateway's route lookup alone, in this process: the time `RouteTable.match` takes on a table of 10 routes
 * and on one of 1,000, for the paths the throughput runs load. It bounds what a larger table can cost a request.
 */
import { RouteTable } from "../src/gateway/route-table.js";
import type { RouteSpec } from "../src/model/index.js";

const MATCHES = 50_000;
const TRIES = 12;

/** The table `count` routes of the shape the throughput runs deploy. */
export function routeTable(count: number, route: (index: number) => string): RouteTable {
  const routes: RouteSpec[] = Array.from({ length: count }, (_, i) => ({
    routeKey: `GET ${route(i)}`,
    method: "GET",
    path: route(i),
    functionName: "fn",
    payloadFormat: "2.0",
    timeoutMs: 30_000,
  }));
  return new RouteTable(routes);
}

export interface LookupCase {
  readonly table: RouteTable;
  /** Looked up in turn, round robin. */
  readonly paths: readonly string[];
}

/**
 * ns per `match` for each case: the best of several tries of `MATCHES` lookups, the cases taking turns within
 * every try, so that neither the JIT's warm-up nor a busy moment on the machine falls on one case alone.
 */
export function lookupNs(cases: readonly LookupCase[]): number[] {
  const best = cases.map(() => Number.POSITIVE_INFINITY);
  for (let attempt = 0; attempt < TRIES; attempt++) {
    cases.forEach(({ table, paths }, index) => {
      const startedAt = process.hrtime.bigint();
      for (let i = 0; i < MATCHES; i++) {
        if (table.match("GET", paths[i % paths.length] as string) === null)
          throw new Error("no route matched");
      }
      best[index] = Math.min(best[index] as number, Number(process.hrtime.bigint() - startedAt) / MATCHES);
    });
  }
  return best;
}
