/**
 * Builds the payload format 1.0 event as HTTP APIs send it (aws.md §3). A REST API's proxy event has the same
 * shape with a few members changed (event-rest.ts), so the shared shape is built here, once, for both.
 */
import { emptyDictionary, hasEntries } from "./dictionary.js";
import type { GatewayRequest, RouteContext } from "./http-types.js";
import { parseQueryParameters } from "./query-parameters.js";
import { type EventBody, encodeEventBody } from "./request-body.js";
import { type ContentLengthRule, forwardRequestHeaders, type HeaderSink } from "./request-headers.js";
import { formatRequestTime } from "./request-time.js";

type StringMap = Readonly<Record<string, string>>;
type MultiValueMap = Readonly<Record<string, readonly string[]>>;

/** `requestContext.identity` without an authorizer or IAM auth: all `null` but the caller's IP and User-Agent. */
export interface ProxyIdentityV1 {
  readonly accessKey: null;
  readonly accountId: null;
  readonly caller: null;
  readonly cognitoAuthenticationProvider: null;
  readonly cognitoAuthenticationType: null;
  readonly cognitoIdentityId: null;
  readonly cognitoIdentityPoolId: null;
  readonly principalOrgId: null;
  readonly sourceIp: string;
  readonly user: null;
  readonly userAgent: string;
  readonly userArn: null;
}

export interface ProxyRequestContextV1 {
  readonly accountId: string;
  readonly apiId: string;
  /** Only when an authorizer allowed the request. */
  readonly authorizer?: Readonly<Record<string, unknown>>;
  readonly domainName: string;
  readonly domainPrefix: string;
  readonly extendedRequestId: string;
  readonly httpMethod: string;
  readonly identity: ProxyIdentityV1;
  /** The full request path, a named stage's segment included. */
  readonly path: string;
  readonly protocol: "HTTP/1.1";
  readonly requestId: string;
  readonly requestTime: string;
  readonly requestTimeEpoch: number;
  readonly resourceId: string;
  readonly resourcePath: string;
  readonly stage: string;
}

/** The members HTTP API 1.0 events and REST events share. */
export interface ProxyEventV1Shape {
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: StringMap;
  readonly multiValueHeaders: MultiValueMap;
  readonly queryStringParameters: StringMap | null;
  readonly multiValueQueryStringParameters: MultiValueMap | null;
  readonly requestContext: ProxyRequestContextV1;
  readonly pathParameters: StringMap | null;
  readonly stageVariables: StringMap | null;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

export interface HttpApiEventV1 extends ProxyEventV1Shape {
  readonly version: "1.0";
  readonly requestContext: ProxyRequestContextV1 & {
    readonly identity: ProxyIdentityV1 & { readonly cognitoAmr: null };
  };
}

/** The shared shape while a builder adds the members only its own format has. */
export type ProxyEventV1Draft = ProxyEventV1Shape & {
  version?: "1.0";
  readonly requestContext: ProxyRequestContextV1 & {
    deploymentId?: string;
    readonly identity: ProxyIdentityV1 & { cognitoAmr?: null };
  };
};

/**
 * Names captured title-cased in every 1.0 capture even when the client sent them lower-case (HTTP/2 clients);
 * other client headers keep the client's spelling (aws.md §3). Gateway-added headers arrive canonical already.
 */
const TITLE_CASED = new Map([
  ["host", "Host"],
  ["user-agent", "User-Agent"],
  ["content-type", "Content-Type"],
  ["cookie", "Cookie"],
]);

/** Last value per name in `headers`, every value in `multiValueHeaders`; names grouped case-insensitively. */
class HeadersV1 implements HeaderSink {
  readonly headers = emptyDictionary<string>();
  readonly multiValueHeaders = emptyDictionary<string[]>();
  /** lower-cased name → the spelling used as key (the first one seen). */
  readonly #keys = emptyDictionary<string>();

  add(name: string, lowerName: string, value: string): void {
    let key = this.#keys[lowerName];
    if (key === undefined) {
      key = TITLE_CASED.get(lowerName) ?? name;
      this.#keys[lowerName] = key;
      this.multiValueHeaders[key] = [value];
    } else {
      this.multiValueHeaders[key].push(value);
    }
    this.headers[key] = value;
  }
}

/** Absent parts are explicit `null`s, never omitted (unlike 2.0). No `authorizer` key without an authorizer. */
export function buildEventV1(request: GatewayRequest, route: RouteContext): HttpApiEventV1 {
  const event = buildProxyEventV1Shape(request, route, request.path, "always");
  event.version = "1.0";
  event.requestContext.identity.cognitoAmr = null;
  return event as HttpApiEventV1;
}

/** How the body is carried: `encodeEventBody` (HTTP APIs) or a REST API's binary media types. */
export type BodyEncoding = (body: Buffer | null, contentType: string | undefined) => EventBody;

/** Everything but `version`, `identity.cognitoAmr` (HTTP APIs) and `deploymentId` (REST APIs). */
export function buildProxyEventV1Shape(
  request: GatewayRequest,
  route: RouteContext,
  path: string,
  contentLength: ContentLengthRule,
  encodeBody: BodyEncoding = encodeEventBody,
): ProxyEventV1Draft {
  const collected = new HeadersV1();
  forwardRequestHeaders(request, collected, contentLength);
  const { headers, multiValueHeaders } = collected;
  const { body, isBase64Encoded } = encodeBody(request.body, headers["Content-Type"]);
  const query = parseQueryParameters(request.rawQueryString);

  let queryStringParameters: Record<string, string> | null = null;
  let multiValueQueryStringParameters: Record<string, readonly string[]> | null = null;
  if (query !== null) {
    queryStringParameters = emptyDictionary<string>();
    multiValueQueryStringParameters = emptyDictionary<readonly string[]>();
    for (const name in query) {
      const values = query[name];
      if (typeof values === "string") {
        queryStringParameters[name] = values;
        multiValueQueryStringParameters[name] = [values];
      } else {
        queryStringParameters[name] = values[values.length - 1];
        multiValueQueryStringParameters[name] = values;
      }
    }
  }

  const event: ProxyEventV1Draft = {
    resource: route.resourcePath,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    requestContext: {
      accountId: route.accountId,
      apiId: route.apiId,
      domainName: route.domainName,
      domainPrefix: route.domainPrefix,
      extendedRequestId: request.extendedRequestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headers["User-Agent"] ?? "",
        userArn: null,
      },
      path: request.path,
      protocol: "HTTP/1.1",
      requestId: request.requestId,
      requestTime: formatRequestTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt,
      resourceId: route.resourceId,
      resourcePath: route.resourcePath,
      stage: route.stage,
    },
    pathParameters: hasEntries(route.pathParameters) ? route.pathParameters : null,
    stageVariables: hasEntries(route.stageVariables) ? route.stageVariables : null,
    body,
    isBase64Encoded,
  };
  if (route.authorizer !== undefined) {
    (event.requestContext as { authorizer?: Readonly<Record<string, unknown>> }).authorizer =
      route.authorizer;
  }
  return event;
}
