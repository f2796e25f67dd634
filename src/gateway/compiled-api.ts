/**
 * An API compiled for serving: its route table, stages by name, CORS policy and the rules of its kind (HTTP or
 * REST API), built once per deployment and never changed (a reload builds a new one and swaps it in). Whatever
 * depends on the API's kind is decided here, so a request never asks.
 */
import {
  type ApiKindRules,
  type AuthorizerShape,
  BinaryMediaTypes,
  type GatewayRequest,
  HTTP_API,
  type HttpResponse,
  type MappedResponse,
  REST_API,
  type RouteContext,
  restDeploymentId,
} from "../aws/index.js";
import {
  type ApiSpec,
  AWS_ACCOUNT_ID,
  AWS_REGION,
  type RouteSpec,
  type StageSpec,
  type ThrottleSpec,
} from "../model/index.js";
import type { RouteGuard } from "./authorizers/authorization.js";
import { compileRouteGuards } from "./authorizers/route-guards.js";
import { CorsPolicy } from "./cors.js";
import type { FunctionIntegration } from "./integration.js";
import { RestCorsPreflight } from "./rest-cors.js";
import { type RouteMatch, RouteTable } from "./route-table.js";
import { TokenBucket } from "./token-bucket.js";

/** One route's throttling in one stage: its bucket, and when its refusals were last logged. */
export interface RouteThrottle {
  readonly limit: ThrottleSpec;
  readonly bucket: TokenBucket;
  /** `performance.now()` of the last log line about this bucket, or -Infinity. */
  loggedAt: number;
}

/** Route → throttle in one stage, or null when nothing in the stage is limited (no lookup per request). */
export type StageThrottles = ReadonlyMap<RouteSpec, RouteThrottle> | null;

export interface CompiledStage {
  readonly name: string;
  /** Stage variables, or null when the stage has none (the event then omits them). */
  readonly variables: Readonly<Record<string, string>> | null;
  /** `/NAME` for a stage reached at `/NAME/...`; "" for the one served at the root. */
  readonly pathPrefix: string;
  readonly throttles: StageThrottles;
}

export interface CompiledRoute {
  readonly spec: RouteSpec;
  /** `/items/{id}` or `$default`: 1.0's `resource`. */
  readonly resourcePath: string;
  /** 1.0's `requestContext.resourceId`. */
  readonly resourceId: string;
  readonly timeoutMs: number;
  readonly integration: FunctionIntegration;
  readonly buildEvent: (request: GatewayRequest, route: RouteContext) => object;
  /** `accept`: the request's Accept header (a REST API's binary media types consult it). */
  readonly mapResponse: (payload: Buffer, accept: string | undefined) => MappedResponse;
  /** The route's authorizer, or null when the route is open (or authorizers are disabled). */
  readonly guard: RouteGuard | null;
  readonly authorizerShape: AuthorizerShape;
}

export interface ApiCompileOptions {
  /** `--disable-authorizers`: every route is served open. */
  readonly disableAuthorizers?: boolean;
}

const SLASH = 0x2f;

export class CompiledApi {
  readonly spec: ApiSpec;
  /** Ids, gateway answers and formats of the API's kind. */
  readonly rules: ApiKindRules;
  /** REST events' `requestContext.deploymentId`. */
  readonly deploymentId: string;
  readonly routeTable: RouteTable;
  readonly routes: ReadonlyMap<RouteSpec, CompiledRoute>;
  /** An HTTP API's CORS: preflights without a route answered, headers added to responses. */
  readonly cors: CorsPolicy | null;
  /** A REST API's CORS: SAM's mock `OPTIONS` methods, and nothing added to other responses. */
  readonly #restPreflight: RestCorsPreflight | null;
  /** Named stages, reached at `/NAME/...`. */
  readonly namedStages: ReadonlyMap<string, CompiledStage>;
  /** The stage served at the root. */
  readonly defaultStage: CompiledStage;
  readonly #ignoresTrailingSlash: boolean;

  constructor(
    spec: ApiSpec,
    integrationFor: (functionName: string) => FunctionIntegration,
    options: ApiCompileOptions = {},
  ) {
    this.spec = spec;
    this.rules = spec.kind === "rest" ? REST_API : HTTP_API;
    this.deploymentId = restDeploymentId(spec.apiId);
    this.routeTable = new RouteTable(spec.routes);
    this.#ignoresTrailingSlash = this.rules.ignoresTrailingSlash;
    const guards = options.disableAuthorizers
      ? new Map<RouteSpec, RouteGuard>()
      : compileRouteGuards(spec, {
          responses: this.rules.responses,
          integrationFor,
          apiArn: `arn:aws:execute-api:${AWS_REGION}:${AWS_ACCOUNT_ID}:${spec.apiId}`,
        });
    const binaryMediaTypes = new BinaryMediaTypes(spec.binaryMediaTypes ?? []);
    this.routes = new Map(
      spec.routes.map((route) => {
        const resourcePath = route.path ?? "$default";
        const format = this.rules.proxyFormat(route.payloadFormat, binaryMediaTypes);
        const compiled: CompiledRoute = {
          spec: route,
          resourcePath,
          resourceId: this.rules.resourceId(spec.apiId, route.routeKey, resourcePath),
          timeoutMs: route.timeoutMs,
          integration: integrationFor(route.functionName),
          buildEvent: format.buildEvent,
          mapResponse: format.mapResponse,
          guard: guards.get(route) ?? null,
          authorizerShape: format.authorizerShape,
        };
        return [route, compiled];
      }),
    );
    const rest = spec.kind === "rest";
    this.cors = spec.cors && !rest ? new CorsPolicy(spec.cors) : null;
    this.#restPreflight = spec.cors && rest ? new RestCorsPreflight(spec.cors, spec.routes) : null;
    const named = spec.stages.filter((stage) => stage.name !== "$default");
    // Made once per stage, so a REST API's stage served at the root and at `/NAME` shares its buckets.
    const throttles = new Map(spec.stages.map((stage) => [stage, stageThrottles(stage, spec.routes)]));
    const compile = (stage: StageSpec, pathPrefix: string): CompiledStage =>
      compileStage(stage, pathPrefix, throttles.get(stage) ?? null);
    this.namedStages = new Map(named.map((stage) => [stage.name, compile(stage, `/${stage.name}`)]));
    this.defaultStage = this.#rootStage(spec.stages, named, compile);
  }

  /**
   * The route for a request path with the stage segment removed (still percent-encoded), or null. REST APIs treat
   * `/hello/` as `/hello` (aws.md §0 item 12), so for them one trailing slash is dropped first.
   */
  match(method: string, routePath: string): RouteMatch | null {
    return this.routeTable.match(method, this.#matchedPath(routePath));
  }

  /** A REST API's answer to an `OPTIONS` request that its CORS mock methods take; null otherwise. */
  restPreflight(method: string, routePath: string): HttpResponse | null {
    if (this.#restPreflight === null || method !== "OPTIONS") return null;
    return this.#restPreflight.answer(this.#matchedPath(routePath));
  }

  #matchedPath(routePath: string): string {
    const last = routePath.length - 1;
    if (this.#ignoresTrailingSlash && last > 0 && routePath.charCodeAt(last) === SLASH) {
      return routePath.slice(0, last);
    }
    return routePath;
  }

  /**
   * An HTTP API serves its `$default` stage at the root. A REST API has no such stage: the root serves its
   * (first) named stage under that stage's name, as a custom domain mapped to the stage with an empty base path
   * would, and as `sam local start-api` reports it.
   */
  #rootStage(
    stages: readonly StageSpec[],
    named: readonly StageSpec[],
    compile: (stage: StageSpec, pathPrefix: string) => CompiledStage,
  ): CompiledStage {
    const root = this.rules.hasDefaultStage ? undefined : named[0];
    if (root !== undefined) return compile(root, "");
    const defaultStage = stages.find((stage) => stage.name === "$default");
    return defaultStage
      ? compile(defaultStage, "")
      : { name: "$default", variables: null, pathPrefix: "", throttles: null };
  }
}

function compileStage(stage: StageSpec, pathPrefix: string, throttles: StageThrottles): CompiledStage {
  const hasVariables = Object.keys(stage.variables).length > 0;
  return { name: stage.name, variables: hasVariables ? stage.variables : null, pathPrefix, throttles };
}

/** A bucket for each route a limit applies to in `stage`: the route's own setting, else the stage's default. */
function stageThrottles(stage: StageSpec, routes: readonly RouteSpec[]): StageThrottles {
  if (stage.throttling === undefined && stage.routeThrottling === undefined) return null;
  const now = performance.now();
  const throttles = new Map<RouteSpec, RouteThrottle>();
  for (const route of routes) {
    const limit = stage.routeThrottling?.[route.routeKey] ?? stage.throttling;
    if (limit !== undefined) {
      throttles.set(route, {
        limit,
        bucket: new TokenBucket(limit, now),
        loggedAt: Number.NEGATIVE_INFINITY,
      });
    }
  }
  return throttles.size === 0 ? null : throttles;
}
