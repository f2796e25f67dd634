/** An HTTP API (API Gateway v2 model): routes to functions, stages, CORS, domains. */

export type PayloadFormat = "1.0" | "2.0";

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
  readonly payloadFormat: PayloadFormat;
  /** Integration timeout in milliseconds (API Gateway: 50..30000, default 30000). */
  readonly timeoutMs: number;
}

export interface StageSpec {
  /** `$default` or a name reached at `/NAME/...`. */
  readonly name: string;
  readonly variables: Readonly<Record<string, string>>;
}

export interface ApiSpec {
  readonly name: string;
  /** Ten lowercase alphanumerics, stable for a given API name. */
  readonly apiId: string;
  readonly cors: CorsSpec | null;
  readonly routes: readonly RouteSpec[];
  /** Always contains `$default`. */
  readonly stages: readonly StageSpec[];
  /** Extra host names that reach this API (besides NAME.localhost). */
  readonly domains: readonly string[];
}
