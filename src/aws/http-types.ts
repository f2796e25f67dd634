/** Transport-neutral request and response shapes that the AWS format code reads and produces. */

/** One HTTP request as the gateway received it, before any AWS formatting. */
export interface GatewayRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Percent-decoded path as requested, including a named-stage prefix (`/dev/pets/1`). */
  readonly path: string;
  /** Query string exactly as sent, without `?` ("" when none). */
  readonly rawQueryString: string;
  /** Header pairs in arrival order, names in the client's case (node's `rawHeaders`, paired). */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** The body bytes, or null when the request had none. */
  readonly body: Buffer | null;
  readonly sourceIp: string;
  /** Epoch milliseconds when the gateway received the request. */
  readonly receivedAt: number;
  /**
   * The event's `requestContext.requestId`: on HTTP APIs the 16-char id (`LV7fzho-PHcEJPw=`, also sent as
   * `apigw-requestid`), on REST APIs a UUID (sent as `x-amzn-RequestId`).
   */
  readonly requestId: string;
  /** The 16-char id (`ZhDrKF5dDoEEHfA=`): `extendedRequestId`; on HTTP APIs the same value as requestId. */
  readonly extendedRequestId: string;
  /** `Root=1-{epoch seconds hex}-{24 hex}`. */
  readonly traceId: string;
  /** The X-Ray header (`Root=…;Parent=…;Sampled=…`) an invocation made for this request (its authorizer's) carries. */
  readonly invokeTraceId?: string;
  /** Scheme and port the client used to reach the gateway (x-forwarded-proto / -port). */
  readonly forwardedProto: string;
  readonly forwardedPort: string;
}

/** What routing decided about a request: everything the event needs besides the request itself. */
export interface RouteContext {
  /** `GET /items/{id}` or `$default`. */
  readonly routeKey: string;
  /** The route's path template (`/items/{id}`) or `$default`. */
  readonly resourcePath: string;
  /** 1.0's `requestContext.resourceId`: the route key on HTTP APIs, a six-character id on REST APIs. */
  readonly resourceId: string;
  /** Decoded path parameters, or null when the route has none. */
  readonly pathParameters: Readonly<Record<string, string>> | null;
  readonly stage: string;
  /** The path segment that selected a named stage (`/prod`), or "" when the stage was reached without one. */
  readonly stagePath: string;
  /** Stage variables, or null when the stage has none. */
  readonly stageVariables: Readonly<Record<string, string>> | null;
  readonly apiId: string;
  /** REST events' `requestContext.deploymentId` (HTTP API events carry none). */
  readonly deploymentId: string;
  readonly accountId: string;
  /** Host name the request used, without port. */
  readonly domainName: string;
  /** First DNS label of domainName. */
  readonly domainPrefix: string;
  /**
   * `requestContext.authorizer`, shaped for the event's format, once an authorizer allowed the request. The
   * gateway sets it on the context it made for the request (present from the start, so every context has one
   * shape).
   */
  authorizer?: Readonly<Record<string, unknown>> | undefined;
}

/** An HTTP response ready to write: header names as they should appear on the wire. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body: Buffer | string;
}
