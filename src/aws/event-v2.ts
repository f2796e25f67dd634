/** Builds the payload format 2.0 event an HTTP API sends to a Lambda integration (aws.md §2). */
import { emptyDictionary, hasEntries } from "./dictionary.js";
import type { GatewayRequest, RouteContext } from "./http-types.js";
import { parseQueryParameters } from "./query-parameters.js";
import { encodeEventBody } from "./request-body.js";
import { forwardRequestHeaders, type HeaderSink } from "./request-headers.js";
import { formatRequestTime } from "./request-time.js";

type StringMap = Readonly<Record<string, string>>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface HttpApiEventV2 {
  readonly version: "2.0";
  readonly routeKey: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly cookies?: readonly string[];
  readonly headers: StringMap;
  readonly queryStringParameters?: StringMap;
  readonly requestContext: {
    readonly accountId: string;
    readonly apiId: string;
    readonly authorizer?: Readonly<Record<string, unknown>>;
    readonly domainName: string;
    readonly domainPrefix: string;
    readonly http: {
      readonly method: string;
      readonly path: string;
      readonly protocol: "HTTP/1.1";
      readonly sourceIp: string;
      readonly userAgent: string;
    };
    readonly requestId: string;
    readonly routeKey: string;
    readonly stage: string;
    readonly time: string;
    readonly timeEpoch: number;
  };
  readonly body?: string;
  readonly pathParameters?: StringMap;
  readonly isBase64Encoded: boolean;
  readonly stageVariables?: StringMap;
}

/** Lower-cased names, duplicates joined with `,` (no space), and the Cookie header turned into `cookies`. */
class HeadersV2 implements HeaderSink {
  readonly headers = emptyDictionary<string>();
  cookies: string[] | undefined;

  add(_name: string, lowerName: string, value: string): void {
    if (lowerName === "cookie") {
      this.cookies = appendCookies(value, this.cookies ?? []);
      return;
    }
    const previous = this.headers[lowerName];
    this.headers[lowerName] = previous === undefined ? value : `${previous},${value}`;
  }
}

/** `a=1; b=2` → `["a=1", "b=2"]`; empty pieces (a trailing `;`) are dropped. */
function appendCookies(header: string, cookies: string[]): string[] {
  for (const piece of header.split(";")) {
    const cookie = piece.trim();
    if (cookie !== "") cookies.push(cookie);
  }
  return cookies;
}

/** Empty optional members are omitted, never sent as `{}`, `[]`, `null` or `""` (what SAM local gets wrong). */
export function buildEventV2(request: GatewayRequest, route: RouteContext): HttpApiEventV2 {
  const collected = new HeadersV2();
  forwardRequestHeaders(request, collected, "always");
  const { headers, cookies } = collected;
  const { body, isBase64Encoded } = encodeEventBody(request.body, headers["content-type"]);
  const query = parseQueryParameters(request.rawQueryString);

  let queryStringParameters: Record<string, string> | undefined;
  if (query !== null) {
    queryStringParameters = emptyDictionary<string>();
    for (const name in query) {
      const values = query[name];
      queryStringParameters[name] = typeof values === "string" ? values : values.join(",");
    }
  }

  const requestContext: Mutable<HttpApiEventV2["requestContext"]> = {
    accountId: route.accountId,
    apiId: route.apiId,
    domainName: route.domainName,
    domainPrefix: route.domainPrefix,
    http: {
      method: request.method,
      path: request.path,
      protocol: "HTTP/1.1",
      sourceIp: request.sourceIp,
      userAgent: headers["user-agent"] ?? "",
    },
    requestId: request.requestId,
    routeKey: route.routeKey,
    stage: route.stage,
    time: formatRequestTime(request.receivedAt),
    timeEpoch: request.receivedAt,
  };
  if (route.authorizer !== undefined) requestContext.authorizer = route.authorizer;
  const event: Mutable<HttpApiEventV2> = {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath: request.path,
    rawQueryString: request.rawQueryString,
    headers,
    requestContext,
    isBase64Encoded,
  };
  if (cookies !== undefined) event.cookies = cookies;
  if (queryStringParameters !== undefined) event.queryStringParameters = queryStringParameters;
  if (body !== null) event.body = body;
  if (hasEntries(route.pathParameters)) event.pathParameters = route.pathParameters;
  if (hasEntries(route.stageVariables)) event.stageVariables = route.stageVariables;
  return event;
}
