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
  /** API Gateway's request id (16 chars, `LV7fzho-PHcEJPw=`), also sent as `apigw-requestid`. */
  readonly requestId: string;
  /** `Root=1-{epoch seconds hex}-{24 hex}`. */
  readonly traceId: string;
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
  /** Decoded path parameters, or null when the route has none. */
  readonly pathParameters: Readonly<Record<string, string>> | null;
  readonly stage: string;
  /** Stage variables, or null when the stage has none. */
  readonly stageVariables: Readonly<Record<string, string>> | null;
  readonly apiId: string;
  readonly accountId: string;
  /** Host name the request used, without port. */
  readonly domainName: string;
  /** First DNS label of domainName. */
  readonly domainPrefix: string;
}

/** An HTTP response ready to write: header names as they should appear on the wire. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body: Buffer | string;
}
