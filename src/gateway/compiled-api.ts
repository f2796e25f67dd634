/**
 * An API compiled for serving: its route table, stages by name and CORS policy, built once per
 * deployment and never changed (a reload builds a new one and swaps it in).
 */
import type { ApiSpec, PayloadFormat, RouteSpec, StageSpec } from "../model/index.js";
import { CorsPolicy } from "./cors.js";
import type { FunctionIntegration } from "./integration.js";
import { RouteTable } from "./route-table.js";

export interface CompiledStage {
  readonly name: string;
  /** Stage variables, or null when the stage has none (the event then omits them). */
  readonly variables: Readonly<Record<string, string>> | null;
}

export interface CompiledRoute {
  readonly spec: RouteSpec;
  /** `/items/{id}` or `$default`: 1.0's `resource`. */
  readonly resourcePath: string;
  readonly payloadFormat: PayloadFormat;
  readonly timeoutMs: number;
  readonly integration: FunctionIntegration;
}

export class CompiledApi {
  readonly spec: ApiSpec;
  readonly routeTable: RouteTable;
  readonly routes: ReadonlyMap<RouteSpec, CompiledRoute>;
  readonly cors: CorsPolicy | null;
  /** Named stages, reached at `/NAME/...`. */
  readonly namedStages: ReadonlyMap<string, CompiledStage>;
  readonly defaultStage: CompiledStage;

  constructor(spec: ApiSpec, integrationFor: (functionName: string) => FunctionIntegration) {
    this.spec = spec;
    this.routeTable = new RouteTable(spec.routes);
    this.routes = new Map(
      spec.routes.map((route) => [
        route,
        {
          spec: route,
          resourcePath: route.path ?? "$default",
          payloadFormat: route.payloadFormat,
          timeoutMs: route.timeoutMs,
          integration: integrationFor(route.functionName),
        },
      ]),
    );
    this.cors = spec.cors ? new CorsPolicy(spec.cors) : null;
    const stages = spec.stages.map(compileStage);
    this.defaultStage = stages.find((stage) => stage.name === "$default") ?? {
      name: "$default",
      variables: null,
    };
    this.namedStages = new Map(
      stages.filter((stage) => stage.name !== "$default").map((stage) => [stage.name, stage]),
    );
  }
}

function compileStage(stage: StageSpec): CompiledStage {
  const hasVariables = Object.keys(stage.variables).length > 0;
  return { name: stage.name, variables: hasVariables ? stage.variables : null };
}
