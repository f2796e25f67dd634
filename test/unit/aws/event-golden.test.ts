/**
 * Golden checks: each trustworthy captured AWS event (see test/fixtures/aws/README.md) is rebuilt from a
 * GatewayRequest and RouteContext derived from the capture's own values, and must come out equal as a whole.
 * Only the random parts (request id, trace id) are passed in; time text, header folding, body encoding and
 * every omitted or null member are produced by the builders.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildEventRest,
  buildEventV1,
  buildEventV2,
  type GatewayRequest,
  type RouteContext,
} from "../../../src/aws/index.js";
import { readAwsFixture } from "../../helpers/aws-fixtures.js";

interface CapturedV2 {
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; sourceIp: string };
    requestId: string;
    stage: string;
    timeEpoch: number;
  };
}

interface CapturedV1 {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  body: string | null;
  isBase64Encoded: boolean;
  requestContext: {
    accountId: string;
    apiId: string;
    deploymentId?: string;
    domainName: string;
    domainPrefix: string;
    extendedRequestId: string;
    identity: { sourceIp: string };
    path: string;
    requestId: string;
    requestTimeEpoch: number;
    resourceId: string;
    stage: string;
  };
}

/** Headers API Gateway adds itself; a client request does not contain them. */
const GATEWAY_ADDED = new Set([
  "content-length",
  "x-amzn-trace-id",
  "x-forwarded-for",
  "x-forwarded-port",
  "x-forwarded-proto",
]);

function header(headers: Record<string, string>, lowerName: string): string {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === lowerName) return value;
  throw new Error(`captured event has no ${lowerName} header`);
}

function clientHeaders(headers: Record<string, string>): Array<[string, string]> {
  return Object.entries(headers).filter(([name]) => !GATEWAY_ADDED.has(name.toLowerCase()));
}

function bodyBytes(body: string | null | undefined, isBase64Encoded: boolean): Buffer | null {
  if (body === null || body === undefined) return null;
  return Buffer.from(body, isBase64Encoded ? "base64" : "utf8");
}

/** `ANY /handler/{proxy+}` → `/handler/{proxy+}`; `$default` stays. */
function resourcePathOf(routeKey: string): string {
  return routeKey === "$default" ? routeKey : routeKey.slice(routeKey.indexOf(" ") + 1);
}

function inputsFromV2(event: CapturedV2): [GatewayRequest, RouteContext] {
  const context = event.requestContext;
  const headers = clientHeaders(event.headers);
  if (event.cookies !== undefined) headers.push(["cookie", event.cookies.join("; ")]);
  const request: GatewayRequest = {
    method: context.http.method,
    path: event.rawPath,
    rawQueryString: event.rawQueryString,
    headers,
    body: bodyBytes(event.body, event.isBase64Encoded),
    sourceIp: context.http.sourceIp,
    receivedAt: context.timeEpoch,
    requestId: context.requestId,
    extendedRequestId: context.requestId,
    traceId: header(event.headers, "x-amzn-trace-id"),
    forwardedProto: header(event.headers, "x-forwarded-proto"),
    forwardedPort: header(event.headers, "x-forwarded-port"),
  };
  const route: RouteContext = {
    routeKey: event.routeKey,
    resourcePath: resourcePathOf(event.routeKey),
    resourceId: event.routeKey,
    pathParameters: event.pathParameters ?? null,
    stage: context.stage,
    stagePath: context.stage === "$default" ? "" : `/${context.stage}`,
    stageVariables: event.stageVariables ?? null,
    apiId: context.apiId,
    deploymentId: "unused",
    accountId: context.accountId,
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
  };
  return [request, route];
}

function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const V2_CAPTURES = [
  "events-v2/v2-get-root-curl-no-authorizer.json",
  "events-v2/v2-post-curl-greedy-proxy.json",
  "events-v2/v2-post-curl-form-body-base64.json",
  "events-v2/v2-get-named-stage-stage-variables.json",
  "events-v2/v2-get-multivalue-query-greedy-proxy.json",
];

for (const file of V2_CAPTURES) {
  test(`v2 golden: ${file}`, () => {
    const captured = readAwsFixture(file) as unknown as CapturedV2;
    const [request, route] = inputsFromV2(captured);
    assert.deepEqual(asJson(buildEventV2(request, route)), captured);
  });
}

test("v2 golden: events-v2/v2-get-browser-cookies-named-stage.json (cookies, named stage)", () => {
  const captured = readAwsFixture(
    "events-v2/v2-get-browser-cookies-named-stage.json",
  ) as unknown as CapturedV2;
  const [request, route] = inputsFromV2(captured);
  // Captured during the 2020 preview, when bodiless events said isBase64Encoded: true; every post-GA capture
  // says false (fixtures README), so that one member is expected to differ.
  assert.deepEqual(asJson(buildEventV2(request, route)), { ...captured, isBase64Encoded: false });
});

test("v1 golden: events-v1-http-api/v1-http-api-post-curl-greedy-proxy.json", () => {
  const captured = readAwsFixture(
    "events-v1-http-api/v1-http-api-post-curl-greedy-proxy.json",
  ) as unknown as CapturedV1;
  const context = captured.requestContext;
  // The capture cannot tell us how the client spelled its headers. Its lower-case `accept` says the client spoke
  // HTTP/2, where every name is lower-case on the wire, so the request is rebuilt with lower-case names; AWS's
  // title-cased `Host` and `User-Agent` must then come from the builder, as they came from API Gateway.
  const headers = clientHeaders(captured.headers).map(([name, value]): [string, string] => [
    name.toLowerCase(),
    value,
  ]);
  const request: GatewayRequest = {
    method: captured.httpMethod,
    path: captured.path,
    rawQueryString: "",
    headers,
    body: bodyBytes(captured.body, captured.isBase64Encoded),
    sourceIp: context.identity.sourceIp,
    receivedAt: context.requestTimeEpoch,
    requestId: context.requestId,
    extendedRequestId: context.extendedRequestId,
    traceId: header(captured.headers, "x-amzn-trace-id"),
    forwardedProto: header(captured.headers, "x-forwarded-proto"),
    forwardedPort: header(captured.headers, "x-forwarded-port"),
  };
  const route: RouteContext = {
    routeKey: context.resourceId,
    resourcePath: captured.resource,
    resourceId: context.resourceId,
    pathParameters: captured.pathParameters,
    stage: context.stage,
    stagePath: "",
    stageVariables: captured.stageVariables,
    apiId: context.apiId,
    deploymentId: "unused",
    accountId: context.accountId,
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
  };
  assert.deepEqual(asJson(buildEventV1(request, route)), captured);
});

/**
 * The REST captures come from an edge-optimized API: CloudFront sits in front and adds `Via`, `X-Amz-Cf-Id` and
 * `CloudFront-*`, which reach API Gateway as request headers, and its edge address is the connection's peer. The
 * request is rebuilt that way: CloudFront's headers and `X-Forwarded-For: client` as sent, the edge as source IP.
 * `Content-Length: 0` is what the client sent (the REST authorizer capture of the same client shows it); REST passes
 * no Content-Length for a bodiless request.
 */
function inputsFromRest(captured: CapturedV1): [GatewayRequest, RouteContext, edgeIp: string] {
  const context = captured.requestContext;
  const [clientIp, edgeIp] = header(captured.headers, "x-forwarded-for").split(", ") as [string, string];
  const request: GatewayRequest = {
    method: captured.httpMethod,
    path: context.path,
    rawQueryString: "",
    headers: [...clientHeaders(captured.headers), ["Content-Length", "0"], ["X-Forwarded-For", clientIp]],
    body: bodyBytes(captured.body, captured.isBase64Encoded),
    sourceIp: edgeIp,
    receivedAt: context.requestTimeEpoch,
    requestId: context.requestId,
    extendedRequestId: context.extendedRequestId,
    traceId: header(captured.headers, "x-amzn-trace-id"),
    forwardedProto: header(captured.headers, "x-forwarded-proto"),
    forwardedPort: header(captured.headers, "x-forwarded-port"),
  };
  const route: RouteContext = {
    routeKey: `${captured.httpMethod} ${captured.resource}`,
    resourcePath: captured.resource,
    resourceId: context.resourceId,
    pathParameters: captured.pathParameters,
    stage: context.stage,
    stagePath: `/${context.stage}`,
    stageVariables: captured.stageVariables,
    apiId: context.apiId,
    deploymentId: context.deploymentId as string,
    accountId: context.accountId,
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
  };
  return [request, route, edgeIp];
}

/** The capture with `identity.sourceIp` as Portico, a regional endpoint, sees it: the connection's peer. */
function withSourceIp(captured: CapturedV1, sourceIp: string): Record<string, unknown> {
  const context = captured.requestContext;
  return { ...captured, requestContext: { ...context, identity: { ...context.identity, sourceIp } } };
}

test("REST golden: events-rest/rest-post-no-auth.json", () => {
  const captured = readAwsFixture("events-rest/rest-post-no-auth.json") as unknown as CapturedV1;
  const [request, route, edgeIp] = inputsFromRest(captured);
  // Edge-optimized APIs report the viewer (X-Forwarded-For's first entry) as sourceIp; Portico reports its peer.
  assert.deepEqual(asJson(buildEventRest(request, route)), withSourceIp(captured, edgeIp));
});

test("REST golden: events-rest/rest-post-token-authorizer-context.json, authorizer aside", () => {
  const captured = readAwsFixture(
    "events-rest/rest-post-token-authorizer-context.json",
  ) as unknown as CapturedV1 & { requestContext: { authorizer?: unknown } };
  const [request, route, edgeIp] = inputsFromRest(captured);
  // Portico has no authorizers: the route is served as if it had none, so only `authorizer` is expected to differ.
  const expected = withSourceIp(captured, edgeIp) as { requestContext: Record<string, unknown> };
  delete expected.requestContext.authorizer;
  assert.deepEqual(asJson(buildEventRest(request, route)), expected);
});
