/**
 * SAM's route and method settings as stage and route throttling: HttpApi `DefaultRouteSettings`, `RouteSettings`
 * (on the API, keyed by route key, or on an event), and Api `MethodSettings`. What else they set is warned about.
 */
import type { RouteSpec, StageSpec, ThrottleSpec } from "../model/index.js";
import type { IssueLog } from "./issue-log.js";
import { parseRouteKey } from "./route-key.js";
import type { RouteSettings } from "./sam-schemas.js";
import { throttleSpec } from "./throttle-schemas.js";

type Path = readonly PropertyKey[];

const THROTTLING_KEYS = new Set(["ThrottlingBurstLimit", "ThrottlingRateLimit"]);
const METHOD_KEYS = new Set(["ResourcePath", "HttpMethod"]);

/** Route settings that apply to the routes `matches` accepts; the more specific of two matching ones wins. */
interface RouteLimit {
  readonly matches: (route: RouteSpec) => boolean;
  readonly specificity: number;
  readonly limit: ThrottleSpec;
  readonly at: Path;
}

/** One API's throttling, gathered as its resource and events are read, applied once its routes are known. */
export class SamThrottling {
  #stageDefault: ThrottleSpec | undefined;
  readonly #routeLimits: RouteLimit[] = [];

  /** HttpApi `DefaultRouteSettings` and `RouteSettings`; `locate` places a path in the template. */
  readHttpApi(
    api: {
      DefaultRouteSettings?: RouteSettings | undefined;
      RouteSettings?: Record<string, RouteSettings> | undefined;
    },
    locate: (path: Path) => Path,
    log: IssueLog,
  ): void {
    if (api.DefaultRouteSettings !== undefined) {
      this.#stageDefault = limitOf(api.DefaultRouteSettings, locate(["DefaultRouteSettings"]), log);
    }
    for (const [key, settings] of Object.entries(api.RouteSettings ?? {})) {
      const at = locate(["RouteSettings", key]);
      const limit = limitOf(settings, at, log);
      if (limit === undefined) continue;
      const parsed = parseRouteKey(key);
      if (!parsed.ok) {
        log.warn(at, `is not a route key (${parsed.reason}); its throttling is not applied`);
        continue;
      }
      const { routeKey } = parsed.value;
      this.#routeLimits.push({ matches: (route) => route.routeKey === routeKey, specificity: 3, limit, at });
    }
  }

  /** An HttpApi event's own `RouteSettings`, for its route. */
  readEvent(settings: RouteSettings | undefined, routeKey: string, at: Path, log: IssueLog): void {
    const limit = settings === undefined ? undefined : limitOf(settings, at, log);
    if (limit === undefined) return;
    // An event's settings are its route's own: over the API's `RouteSettings` for the same key.
    this.#routeLimits.push({ matches: (route) => route.routeKey === routeKey, specificity: 4, limit, at });
  }

  /**
   * Api `MethodSettings`: `ResourcePath: "/*"` with `HttpMethod: "*"` is the stage's default; others limit the
   * methods of one resource path (`/~1items` is `/items`, as CloudFormation escapes it), `*` every method.
   */
  readRestApi(
    methodSettings: readonly (RouteSettings & { ResourcePath: string; HttpMethod: string })[] | undefined,
    locate: (path: Path) => Path,
    log: IssueLog,
  ): void {
    for (const [index, settings] of (methodSettings ?? []).entries()) {
      const at = locate(["MethodSettings", index]);
      const limit = limitOf(settings, at, log, METHOD_KEYS);
      if (limit === undefined) continue;
      const path = resourcePath(settings.ResourcePath);
      const method = settings.HttpMethod.toUpperCase();
      const anyPath = path === "/*" || path === "*";
      const anyMethod = method === "*";
      if (anyPath && anyMethod) {
        this.#stageDefault = limit;
        continue;
      }
      const matches = (route: RouteSpec): boolean =>
        (anyPath || route.path === path) && (anyMethod || route.method === method);
      this.#routeLimits.push({ matches, specificity: (anyPath ? 0 : 2) + (anyMethod ? 0 : 1), limit, at });
    }
  }

  /** `stages` with this API's throttling; a route setting that names no route is warned about. */
  apply(stages: readonly StageSpec[], routes: readonly RouteSpec[], log: IssueLog): StageSpec[] {
    const byRoute: Record<string, ThrottleSpec> = {};
    const ordered = [...this.#routeLimits].sort((a, b) => a.specificity - b.specificity);
    for (const setting of ordered) {
      const matched = routes.filter(setting.matches);
      if (matched.length === 0) {
        log.warn(setting.at, "names no route of this API; its throttling is not applied");
      }
      for (const route of matched) byRoute[route.routeKey] = setting.limit;
    }
    const stageDefault = this.#stageDefault;
    const hasRoutes = Object.keys(byRoute).length > 0;
    if (stageDefault === undefined && !hasRoutes) return [...stages];
    return stages.map((stage) => ({
      ...stage,
      ...(stageDefault === undefined ? {} : { throttling: stageDefault }),
      ...(hasRoutes ? { routeThrottling: byRoute } : {}),
    }));
  }
}

/** CloudFormation writes `/items/{id}` as `/~1items~1{id}` (a leading `/`, then `~1` for each slash). */
function resourcePath(written: string): string {
  return written.startsWith("/~1") ? written.slice(1).replaceAll("~1", "/") : written;
}

/** The limits one settings mapping sets, if any; each other key it sets is warned about, as not honoured. */
function limitOf(
  settings: RouteSettings,
  at: Path,
  log: IssueLog,
  alsoRead: ReadonlySet<string> = new Set(),
): ThrottleSpec | undefined {
  for (const key of Object.keys(settings)) {
    if (!THROTTLING_KEYS.has(key) && !alsoRead.has(key)) {
      log.warn(
        [...at, key],
        "is not honoured: Portico applies only ThrottlingBurstLimit and ThrottlingRateLimit",
      );
    }
  }
  if (settings.ThrottlingBurstLimit === undefined && settings.ThrottlingRateLimit === undefined)
    return undefined;
  return throttleSpec({ rateLimit: settings.ThrottlingRateLimit, burstLimit: settings.ThrottlingBurstLimit });
}
