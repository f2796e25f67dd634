/**
 * Authorizer payloads and the integration events behind an authorizer, checked against captured AWS samples
 * (test/fixtures/aws/README.md): the request is rebuilt from each capture's own values, and what Portico builds
 * must equal the capture.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  authorizerEventRestRequest,
  authorizerEventRestToken,
  authorizerEventV2,
  authorizerShapeV1,
  authorizerShapeV2,
  buildEventV2,
  executeApiArn,
  type GatewayRequest,
  type RouteContext,
} from "../../../src/aws/index.js";
import { readAwsFixture } from "../../helpers/aws-fixtures.js";

// biome-ignore lint/suspicious/noExplicitAny: captured JSON, read member by member as the captures have them
type Json = Record<string, any>;

const GATEWAY_ADDED = new Set([
  "content-length",
  "x-amzn-trace-id",
  "x-forwarded-for",
  "x-forwarded-port",
  "x-forwarded-proto",
]);

function asJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** The request and route of a captured 2.0 event (or 2.0 authorizer payload). */
function inputsFromV2(event: Json): [GatewayRequest, RouteContext] {
  const context = event.requestContext;
  const request: GatewayRequest = {
    method: context.http.method,
    path: event.rawPath,
    rawQueryString: event.rawQueryString,
    headers: Object.entries(event.headers as Record<string, string>).filter(
      ([name]) => !GATEWAY_ADDED.has(name),
    ),
    body: null,
    sourceIp: context.http.sourceIp,
    receivedAt: context.timeEpoch,
    requestId: context.requestId,
    extendedRequestId: context.requestId,
    traceId: event.headers["x-amzn-trace-id"],
    forwardedProto: event.headers["x-forwarded-proto"],
    forwardedPort: event.headers["x-forwarded-port"],
  };
  const route: RouteContext = {
    routeKey: event.routeKey,
    resourcePath: event.routeKey.split(" ")[1],
    resourceId: event.routeKey,
    pathParameters: null,
    stage: context.stage,
    stagePath: "",
    stageVariables: null,
    apiId: context.apiId,
    deploymentId: "unused",
    accountId: context.accountId,
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
  };
  return [request, route];
}

test("2.0 authorizer payload: the captured REQUEST event, with its routeArn and identity values", () => {
  const captured = readAwsFixture("authorizer/authorizer-v2-request-captured.json") as Json;
  const [request, route] = inputsFromV2(captured);
  const apiArn = `arn:aws:execute-api:eu-west-1:${route.accountId}:${route.apiId}`;
  const routeArn = executeApiArn(apiArn, route, request.method, request.path);
  assert.equal(routeArn, captured.routeArn);
  assert.deepEqual(asJson(authorizerEventV2(request, route, routeArn, ["Bearer foo"])), captured);
});

test("2.0 integration event after a Lambda authorizer without context: `authorizer: {lambda: null}` (same request)", () => {
  const captured = readAwsFixture("events-v2/v2-post-lambda-authorizer-null-context.json") as Json;
  const [request, route] = inputsFromV2(captured);
  const authorizer = authorizerShapeV2({
    kind: "lambda",
    principalId: undefined,
    context: null,
    latencyMs: 12,
  });
  assert.deepEqual(asJson(buildEventV2(request, { ...route, authorizer })), captured);
});

test("2.0 JWT authorizer: claims (all strings) and null scopes as captured from a Cognito ID token", () => {
  const captured = readAwsFixture("events-v2/v2-post-jwt-authorizer-cognito.json") as Json;
  const { claims, scopes } = captured.requestContext.authorizer.jwt;
  assert.deepEqual(
    asJson(authorizerShapeV2({ kind: "jwt", claims, scopes })),
    captured.requestContext.authorizer,
  );
});

test("REST: a TOKEN authorizer's context in the integration event is `{principalId, integrationLatency}`", () => {
  const captured = readAwsFixture("events-rest/rest-post-token-authorizer-context.json") as Json;
  const expected = captured.requestContext.authorizer;
  const shaped = authorizerShapeV1({ kind: "lambda", principalId: "user", context: null, latencyMs: 422 });
  assert.deepEqual(asJson(shaped), expected);
});

test("REST REQUEST payload: absent maps are {} (not null), no body, type and methodArn first", () => {
  const captured = readAwsFixture("authorizer/authorizer-rest-request-captured.json") as Json;
  const context = captured.requestContext;
  const request: GatewayRequest = {
    method: captured.httpMethod,
    path: context.path,
    rawQueryString: "",
    headers: Object.entries(captured.headers as Record<string, string>).filter(
      ([name]) => !GATEWAY_ADDED.has(name.toLowerCase()),
    ),
    body: null,
    sourceIp: context.identity.sourceIp,
    receivedAt: context.requestTimeEpoch,
    requestId: context.requestId,
    extendedRequestId: context.extendedRequestId,
    traceId: captured.headers["X-Amzn-Trace-Id"],
    forwardedProto: "https",
    forwardedPort: "443",
  };
  const route: RouteContext = {
    routeKey: `POST ${captured.resource}`,
    resourcePath: captured.resource,
    resourceId: context.resourceId,
    pathParameters: null,
    stage: context.stage,
    stagePath: `/${context.stage}`,
    stageVariables: null,
    apiId: context.apiId,
    deploymentId: context.deploymentId,
    accountId: context.accountId,
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
  };
  const methodArn = executeApiArn(
    `arn:aws:execute-api:eu-west-1:${context.accountId}:${context.apiId}`,
    route,
    "POST",
    context.path,
  );
  assert.equal(methodArn, captured.methodArn);
  const built = asJson(authorizerEventRestRequest(request, route, methodArn));
  assert.deepEqual(Object.keys(built).sort(), Object.keys(captured).sort());
  for (const key of [
    "type",
    "methodArn",
    "resource",
    "path",
    "httpMethod",
    "queryStringParameters",
    "multiValueQueryStringParameters",
    "pathParameters",
    "stageVariables",
  ]) {
    assert.deepEqual(built[key], captured[key], key);
  }
  assert.deepEqual(built.requestContext, captured.requestContext);
  assert.equal(built.headers.Authorization, "Bearer foo");
});

test("REST TOKEN payload: only type, authorizationToken and methodArn", () => {
  assert.deepEqual(authorizerEventRestToken("Bearer abc", "arn:aws:execute-api:us-east-1:1:a/prod/GET/x"), {
    type: "TOKEN",
    authorizationToken: "Bearer abc",
    methodArn: "arn:aws:execute-api:us-east-1:1:a/prod/GET/x",
  });
});
