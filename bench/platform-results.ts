/** What the platform part's measurements come to: per-round ratios and the targets with their verdicts. */
import type { PlatformResults } from "./platform.js";
import type { Goal } from "./results.js";
import type { RouteLoad, TableSize } from "./route-table-scale.js";
import { median } from "./stats.js";

/** Deploys are measured against what a managed platform takes (Lambda and Cloud Run: seconds). */
export const DEPLOY_GOAL_MS = 500;
export const REDEPLOY_COLD_STARTS_GOAL = 1;
export const ROUTE_SCALE_GOAL = 0.95;

/** req/s with 1,000 routes ÷ req/s with 10, within each round. */
export function routeRatios(results: PlatformResults, load: RouteLoad): number[] {
  return results.routes.rounds.map((round) => round.runs[load].large.rps / round.runs[load].small.rps);
}

/** One value per round for a table size and load. */
export function routeSeries(
  results: PlatformResults,
  load: RouteLoad,
  size: TableSize,
  pick: (run: PlatformResults["routes"]["rounds"][number]["runs"][RouteLoad][TableSize]) => number,
): number[] {
  return results.routes.rounds.map((round) => pick(round.runs[load][size]));
}

/** The most cold starts any redeploy round caused. */
function redeployColdStarts(results: PlatformResults): number {
  return Math.max(...results.redeploy.rounds.map((round) => round.initReports));
}

export function platformGoals(results: PlatformResults): Goal[] {
  const samples = results.deploys.samples;
  const cli = median(samples.map((s) => s.cliServingMs));
  const upload = median(samples.map((s) => s.uploadServingMs));
  const cold = redeployColdStarts(results);
  const middle = median(routeRatios(results, "middle"));
  const mix = median(routeRatios(results, "mix"));
  return [
    {
      what: "Deploy to serving p50, from the start of `portico deploy`",
      value: cli,
      goal: DEPLOY_GOAL_MS,
      atLeast: false,
      unit: "ms",
      pass: cli <= DEPLOY_GOAL_MS,
    },
    {
      what: "Deploy to serving p50, from the start of the upload",
      value: upload,
      goal: DEPLOY_GOAL_MS,
      atLeast: false,
      unit: "ms",
      pass: upload <= DEPLOY_GOAL_MS,
    },
    {
      what: "Cold starts after redeploying 1 of 10 functions",
      value: cold,
      goal: REDEPLOY_COLD_STARTS_GOAL,
      atLeast: false,
      unit: "count",
      pass: cold <= REDEPLOY_COLD_STARTS_GOAL,
    },
    {
      what: "req/s with 1,000 routes × with 10, one route",
      value: middle,
      goal: ROUTE_SCALE_GOAL,
      atLeast: true,
      unit: "×",
      pass: middle >= ROUTE_SCALE_GOAL,
    },
    {
      what: "req/s with 1,000 routes × with 10, a mix of 10 routes",
      value: mix,
      goal: ROUTE_SCALE_GOAL,
      atLeast: true,
      unit: "×",
      pass: mix >= ROUTE_SCALE_GOAL,
    },
  ];
}
