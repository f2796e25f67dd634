/** The admin API's answers, as far as the console reads them (see /openapi.json and src/model/records.ts). */

export interface RouteSpec {
  readonly routeKey: string;
  readonly method: string;
  readonly path: string;
  readonly functionName?: string;
  readonly payloadFormat?: string;
  readonly timeoutMs?: number;
}

export interface CorsSpec {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAge?: number;
  readonly allowCredentials: boolean;
}

export interface ApiRecord {
  readonly name: string;
  /** The project that deployed it, or null for an API made through the admin API. */
  readonly project: string | null;
  readonly spec: {
    readonly kind: string;
    readonly cors: CorsSpec | null;
    readonly routes: readonly RouteSpec[];
    readonly stages: readonly { readonly name: string }[];
  };
  readonly deployedAt: string;
  /** Each stage's invoke URL. */
  readonly stages: readonly { readonly stage: string; readonly url: string }[];
}

export interface FunctionRecord {
  readonly name: string;
  readonly project: string | null;
  readonly version: number;
  readonly modifiedAt: string;
  readonly config: {
    readonly runtimeId: string;
    readonly handler: string;
    readonly memoryMb: number;
    readonly timeoutSeconds: number;
    readonly concurrency?: number;
    readonly environment: Readonly<Record<string, string>>;
  };
}

export type {
  HistoryPoint,
  MetricsHistoryAnswer as MetricsHistory,
} from "../../src/observability/metrics/history-point.js";

/** A service, shaped like Cloud Run's v2 API. */
export type {
  RevisionDescription,
  ServiceDescription,
} from "../../src/services/service-description-shape.js";
