/** An API Gateway API (an HTTP API, or a REST API from a SAM template): routes to functions, stages, CORS, domains. */

export type PayloadFormat = "1.0" | "2.0";

/**
 * `http`: an API Gateway HTTP API (v2), what portico.yaml and SAM `HttpApi` declare. `rest`: a REST API (v1) with
 * Lambda proxy integrations, from SAM `Api` events and `AWS::Serverless::Api`; its events, error answers and
 * routing follow REST's rules instead (docs/http-apis.md).
 */
export type ApiKind = "http" | "rest";

export interface CorsSpec {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  /** Seconds; undefined sends no Access-Control-Max-Age. */
  readonly maxAge: number | undefined;
  readonly allowCredentials: boolean;
}

export interface RouteSpec {
  /** `GET /items/{id}`, `ANY /{proxy+}` or `$default`. */
  readonly routeKey: string;
  /** Upper-case method, `ANY`, or `$default` for the default route. */
  readonly method: string;
  /** The path template, or null for `$default`. */
  readonly path: string | null;
  /** Name of the function the route invokes. */
  readonly functionName: string;
  /** Always `1.0` on a REST API, whose proxy event is the 1.0 shape without `version`. */
  readonly payloadFormat: PayloadFormat;
  /** Integration timeout in milliseconds (HTTP API: 50..30000, default 30000; REST API: 29000). */
  readonly timeoutMs: number;
}

/**
 * API Gateway's throttling of a stage or route: a token bucket holding up to `burstLimit` requests, refilled at
 * `rateLimit` requests per second (which may be fractional).
 */
export interface ThrottleSpec {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface StageSpec {
  /** `$default` or a name reached at `/NAME/...`. */
  readonly name: string;
  readonly variables: Readonly<Record<string, string>>;
  /** The stage's default route settings (`DefaultRouteSettings`); absent: no stage limit. */
  readonly throttling?: ThrottleSpec;
  /** Per route key (`RouteSettings`), overriding `throttling` for that route; absent: none. */
  readonly routeThrottling?: Readonly<Record<string, ThrottleSpec>>;
}

export interface ApiSpec {
  readonly name: string;
  readonly kind: ApiKind;
  /** Ten lowercase alphanumerics, stable for a given API name. */
  readonly apiId: string;
  readonly cors: CorsSpec | null;
  readonly routes: readonly RouteSpec[];
  /** Always contains `$default`. */
  readonly stages: readonly StageSpec[];
  /** Extra host names that reach this API (besides NAME.localhost). */
  readonly domains: readonly string[];
}
