/** The Create API wizard's draft, and the settings (as portico.yaml writes them) it becomes. */
import type { Issues } from "../field-problem.js";

export const METHODS = ["ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export interface RouteDraft {
  readonly method: string;
  readonly path: string;
  /** The function the route integrates with. */
  readonly target: string;
}

export interface Draft {
  readonly name: string;
  /** Function names, "" for one not chosen yet. */
  readonly integrations: readonly string[];
  readonly routes: readonly RouteDraft[];
  readonly stage: string;
}

export const emptyDraft: Draft = { name: "", integrations: [""], routes: [], stage: "$default" };

export function routeKey(route: RouteDraft): string {
  return `${route.method} ${route.path}`;
}

/** The key the admin API names a route's problems by: `routes["GET /items"]`. */
export function routeIssueKey(route: RouteDraft): string {
  return `routes[${JSON.stringify(routeKey(route))}]`;
}

export function settingsOf(draft: Draft): object {
  return {
    routes: Object.fromEntries(draft.routes.map((route) => [routeKey(route), route.target])),
    stages: { [draft.stage]: {} },
  };
}

/** Problems the admin API would not see: a route given twice collapses into one key. */
export function draftIssues(draft: Draft): Issues {
  const issues = new Map<string, string>();
  const seen = new Set<string>();
  for (const route of draft.routes) {
    const key = routeKey(route);
    if (seen.has(key))
      issues.set(routeIssueKey(route), `${key} is given twice: change or remove one of them`);
    seen.add(key);
  }
  return issues;
}

/** The wizard step holding the first field at fault; undefined when no field is (the problem is shown at Create). */
export function firstStepAt(issues: Issues): number | undefined {
  const keys = [...issues.keys()];
  if (keys.includes("")) return 0;
  if (keys.some((key) => key.startsWith("routes"))) return 1;
  if (keys.some((key) => key.startsWith("stages"))) return 2;
  return undefined;
}
