/**
 * An API compiled for serving: its route table, stages by name, CORS policy and the rules of its kind (HTTP or
 * REST API), built once per deployment and never changed (a reload builds a new one and swaps it in). Whatever
 * depends on the API's kind is decided here, so a request never asks.
 */
import {
  type ApiKindRules,
  type GatewayRequest,
  HTTP_API,
  type MappedResponse,
  REST_API,
  type RouteContext,
  restDeploymentId,
} from "../aws/index.js";
import type { ApiSpec, RouteSpec, StageSpec } from "../model/index.js";
import { CorsPolicy } from "./cors.js";
import type { FunctionIntegration } from "./integration.js";
import { type RouteMatch, RouteTable } from "./route-table.js";

export interface CompiledStage {
  readonly name: string;
  /** Stage variables, or null when the stage has none (the event then omits them). */
  readonly variables: Readonly<Record<string, string>> | null;
  /** `/NAME` for a stage reached at `/NAME/...`; "" for the one served at the root. */
  readonly pathPrefix: string;
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
  readonly mapResponse: (payload: Buffer) => MappedResponse;
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
  readonly cors: CorsPolicy | null;
  /** Named stages, reached at `/NAME/...`. */
  readonly namedStages: ReadonlyMap<string, CompiledStage>;
  /** The stage served at the root. */
  readonly defaultStage: CompiledStage;
  readonly #ignoresTrailingSlash: boolean;

  constructor(spec: ApiSpec, integrationFor: (functionName: string) => FunctionIntegration) {
    this.spec = spec;
    this.rules = spec.kind === "rest" ? REST_API : HTTP_API;
    this.deploymentId = restDeploymentId(spec.apiId);
    this.routeTable = new RouteTable(spec.routes);
    this.#ignoresTrailingSlash = this.rules.ignoresTrailingSlash;
    this.routes = new Map(
      spec.routes.map((route) => {
        const resourcePath = route.path ?? "$default";
        const format = this.rules.proxyFormat(route.payloadFormat);
        const compiled: CompiledRoute = {
          spec: route,
          resourcePath,
          resourceId: this.rules.resourceId(spec.apiId, route.routeKey, resourcePath),
          timeoutMs: route.timeoutMs,
          integration: integrationFor(route.functionName),
          buildEvent: format.buildEvent,
          mapResponse: format.mapResponse,
        };
        return [route, compiled];
      }),
    );
    this.cors = spec.cors ? new CorsPolicy(spec.cors) : null;
    const named = spec.stages.filter((stage) => stage.name !== "$default");
    this.namedStages = new Map(named.map((stage) => [stage.name, compileStage(stage, `/${stage.name}`)]));
    this.defaultStage = this.#rootStage(spec.stages, named);
  }

  /**
   * The route for a request path with the stage segment removed (still percent-encoded), or null. REST APIs treat
   * `/hello/` as `/hello` (aws.md §0 item 12), so for them one trailing slash is dropped first.
   */
  match(method: string, routePath: string): RouteMatch | null {
    const last = routePath.length - 1;
    if (this.#ignoresTrailingSlash && last > 0 && routePath.charCodeAt(last) === SLASH) {
      return this.routeTable.match(method, routePath.slice(0, last));
    }
    return this.routeTable.match(method, routePath);
  }

  /**
   * An HTTP API serves its `$default` stage at the root. A REST API has no such stage: the root serves its
   * (first) named stage under that stage's name, as a custom domain mapped to the stage with an empty base path
   * would, and as `sam local start-api` reports it.
   */
  #rootStage(stages: readonly StageSpec[], named: readonly StageSpec[]): CompiledStage {
    const root = this.rules.hasDefaultStage ? undefined : named[0];
    if (root !== undefined) return compileStage(root, "");
    const defaultStage = stages.find((stage) => stage.name === "$default");
    return defaultStage
      ? compileStage(defaultStage, "")
      : { name: "$default", variables: null, pathPrefix: "" };
  }
}

function compileStage(stage: StageSpec, pathPrefix: string): CompiledStage {
  const hasVariables = Object.keys(stage.variables).length > 0;
  return { name: stage.name, variables: hasVariables ? stage.variables : null, pathPrefix };
}
