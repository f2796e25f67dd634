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
  /** Name of the API's authorizer (in `ApiSpec.authorizers`) that guards the route; absent: the route is open. */
  readonly authorizer?: string;
  /** Scopes, any one of which a JWT (or Cognito) token must carry (`AuthorizationScopes`); absent: none asked. */
  readonly authorizationScopes?: readonly string[];
}

/**
 * A JWT authorizer (HTTP APIs): the token from `identitySource` must be signed by a key of the issuer's JWKS,
 * carry `iss` = `issuer`, an `aud` (or `client_id`) in `audience`, and not be expired.
 */
export interface JwtAuthorizerSpec {
  readonly name: string;
  readonly type: "jwt";
  /** A selection expression, `$request.header.Authorization` by default. */
  readonly identitySource: string;
  readonly issuer: string;
  readonly audience: readonly string[];
  /**
   * Absolute path of a JWKS file to verify with instead of the issuer's keys (found through its
   * `/.well-known/openid-configuration`): for working offline.
   */
  readonly jwksFile?: string;
}

/** A Lambda authorizer: a function that sees the request (or its token) and allows or denies it. */
export interface LambdaAuthorizerSpec {
  readonly name: string;
  readonly type: "lambda";
  readonly functionName: string;
  /** HTTP APIs: `REQUEST` only. REST APIs: `TOKEN` (one header's value) or `REQUEST`. */
  readonly requestType: "TOKEN" | "REQUEST";
  /** The authorizer's event and response format: HTTP APIs `1.0` or `2.0`; REST APIs always `1.0`. */
  readonly payloadFormat: PayloadFormat;
  /** Payload 2.0 only: the function answers `{isAuthorized, context}` instead of an IAM policy. */
  readonly simpleResponses: boolean;
  /**
   * Selection expressions whose values identify the caller: HTTP APIs `$request.header.Authorization`,
   * `$request.querystring.name`, `$context.routeKey`, `$stageVariables.name`; REST APIs
   * `method.request.header.Authorization`, `method.request.querystring.name`, `context.x`, `stageVariables.x`.
   * A request missing one is answered 401 without invoking. Empty: never cached.
   */
  readonly identitySources: readonly string[];
  /** Seconds a result is cached by identity; 0: invoked for every request. */
  readonly resultTtlSeconds: number;
  /** REST TOKEN only: a regular expression the token must match, else 401 without invoking. */
  readonly validationExpression?: string;
}

/**
 * An authorizer Portico cannot run (IAM, a Cognito user pool without keys, an unknown type). Its routes are
 * never served open: they answer as AWS answers a caller without credentials.
 */
export interface UnservedAuthorizerSpec {
  readonly name: string;
  readonly type: "unserved";
  /** What it is, as the template says: `AWS_IAM`, `COGNITO_USER_POOLS`, ... */
  readonly kind: string;
  /** Where it was declared, for the start-up warning: `template.yaml: Resources.Api.Properties.Auth...`. */
  readonly declaredAt: string;
}

export type AuthorizerSpec = JwtAuthorizerSpec | LambdaAuthorizerSpec | UnservedAuthorizerSpec;

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
  /** The access-log format (`$context.*`, `AccessLogSettings.Format`); absent: the default JSON line; null: off. */
  readonly accessLogFormat?: string | null;
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
  /** The authorizers routes name; absent: none. */
  readonly authorizers?: readonly AuthorizerSpec[];
  /** REST APIs' `BinaryMediaTypes` (`image/png`, `image/*`, or all types): bodies of these types are passed base64-encoded. */
  readonly binaryMediaTypes?: readonly string[];
}
