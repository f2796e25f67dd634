import assert from "node:assert/strict";
import { test } from "node:test";
import { APIGatewayProxyEventSchema } from "@aws-lambda-powertools/parser/schemas";
import { buildEventRest, type GatewayRequest, type RouteContext } from "../../../src/aws/index.js";

const ROUTE: RouteContext = {
  routeKey: "GET /items/{id}",
  resourcePath: "/items/{id}",
  resourceId: "3nq1cq",
  pathParameters: { id: "42" },
  stage: "Prod",
  stagePath: "/Prod",
  stageVariables: null,
  apiId: "puhdx84jy9",
  deploymentId: "v99qix",
  accountId: "123456789012",
  domainName: "puhdx84jy9.execute-api.eu-west-1.amazonaws.com",
  domainPrefix: "puhdx84jy9",
};

function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: "GET",
    path: "/Prod/items/42",
    rawQueryString: "",
    headers: [
      ["Host", ROUTE.domainName],
      ["User-Agent", "HTTPie/3.2.2"],
      ["Accept", "*/*"],
    ],
    body: null,
    sourceIp: "15.248.3.126",
    receivedAt: 1718635693506,
    requestId: "f88e38e3-2060-4a56-93c0-9efbc6a659a0",
    extendedRequestId: "ZhDrKF5dDoEEHfA=",
    traceId: "Root=1-66704cad-0fbaf1491365339d168b2a7d",
    forwardedProto: "https",
    forwardedPort: "443",
    ...overrides,
  };
}

function eventJson(req: GatewayRequest, route: RouteContext = ROUTE): Record<string, unknown> {
  return JSON.parse(JSON.stringify(buildEventRest(req, route))) as Record<string, unknown>;
}

test("REST: no version; path leaves out the stage, requestContext.path keeps it", () => {
  const event = eventJson(request());
  assert.equal("version" in event, false);
  assert.equal(event.path, "/items/42");
  assert.equal(event.resource, "/items/{id}");
  const context = event.requestContext as Record<string, unknown>;
  assert.equal(context.path, "/Prod/items/42");
  assert.equal(context.resourcePath, "/items/{id}");
  assert.equal(context.stage, "Prod");
});

test("REST: the stage's own root is `/`; a stage served without a segment leaves the path whole", () => {
  assert.equal(eventJson(request({ path: "/Prod" })).path, "/");
  assert.equal(eventJson(request({ path: "/Prod/" })).path, "/");
  const atRoot = eventJson(request({ path: "/items/42" }), { ...ROUTE, stagePath: "" });
  assert.equal(atRoot.path, "/items/42");
  assert.equal((atRoot.requestContext as Record<string, unknown>).path, "/items/42");
  assert.equal((atRoot.requestContext as Record<string, unknown>).stage, "Prod");
  // Decoded, as for every other path member.
  assert.equal(eventJson(request({ path: "/Prod/items/John Doe" })).path, "/items/John Doe");
});

test("REST requestContext: UUID requestId, 16-char extendedRequestId, resourceId, deploymentId, no cognitoAmr", () => {
  const event = buildEventRest(request(), ROUTE);
  assert.deepEqual(event.requestContext, {
    accountId: "123456789012",
    apiId: "puhdx84jy9",
    deploymentId: "v99qix",
    domainName: "puhdx84jy9.execute-api.eu-west-1.amazonaws.com",
    domainPrefix: "puhdx84jy9",
    extendedRequestId: "ZhDrKF5dDoEEHfA=",
    httpMethod: "GET",
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: "15.248.3.126",
      user: null,
      userAgent: "HTTPie/3.2.2",
      userArn: null,
    },
    path: "/Prod/items/42",
    protocol: "HTTP/1.1",
    requestId: "f88e38e3-2060-4a56-93c0-9efbc6a659a0",
    requestTime: "17/Jun/2024:14:48:13 +0000",
    requestTimeEpoch: 1718635693506,
    resourceId: "3nq1cq",
    resourcePath: "/items/{id}",
    stage: "Prod",
  });
});

test("REST headers: no Content-Length without a body, the body's length with one; other members as 1.0", () => {
  const bodiless = eventJson(request({ method: "POST", headers: [["Content-Length", "0"]] }));
  assert.deepEqual(bodiless.headers, {
    "X-Amzn-Trace-Id": "Root=1-66704cad-0fbaf1491365339d168b2a7d",
    "X-Forwarded-For": "15.248.3.126",
    "X-Forwarded-Port": "443",
    "X-Forwarded-Proto": "https",
  });
  const withBody = eventJson(
    request({
      method: "POST",
      headers: [["Content-Type", "application/json"]],
      body: Buffer.from('{"a":1}'),
    }),
  );
  assert.equal((withBody.headers as Record<string, string>)["Content-Length"], "7");
  assert.deepEqual((withBody.multiValueHeaders as Record<string, string[]>)["Content-Length"], ["7"]);
  assert.equal(withBody.body, '{"a":1}');
  const query = eventJson(request({ rawQueryString: "a=1&a=2" }));
  assert.deepEqual(query.queryStringParameters, { a: "2" }, "the last value, as REST reports it");
  assert.deepEqual(query.multiValueQueryStringParameters, { a: ["1", "2"] });
  const empty = eventJson(request(), { ...ROUTE, pathParameters: null });
  for (const key of [
    "queryStringParameters",
    "multiValueQueryStringParameters",
    "pathParameters",
    "stageVariables",
    "body",
  ]) {
    assert.equal(empty[key], null, key);
  }
});

test("REST events pass the Powertools APIGatewayProxyEventSchema", () => {
  const cases: Array<[label: string, req: GatewayRequest, route: RouteContext]> = [
    ["GET without body", request(), ROUTE],
    [
      "POST JSON",
      request({ method: "POST", headers: [["Content-Type", "application/json"]], body: Buffer.from("{}") }),
      ROUTE,
    ],
    ["binary body", request({ method: "PUT", body: Buffer.from([0, 1, 2]) }), ROUTE],
    ["query and cookies", request({ rawQueryString: "a=1&a=2&b", headers: [["Cookie", "a=1"]] }), ROUTE],
    [
      "stage variables, served at the root",
      request({ path: "/items/42" }),
      { ...ROUTE, stagePath: "", stageVariables: { MODE: "live" } },
    ],
    ["IPv6 client", request({ sourceIp: "2001:db8::1" }), ROUTE],
  ];
  for (const [label, req, route] of cases) {
    const result = APIGatewayProxyEventSchema.safeParse(buildEventRest(req, route));
    assert.ok(result.success, `${label}: ${result.error?.message}`);
  }
});
