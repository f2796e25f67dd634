import assert from "node:assert/strict";
import { test } from "node:test";
import { APIGatewayProxyEventSchema } from "@aws-lambda-powertools/parser/schemas";
import { buildEventV1, type GatewayRequest, type RouteContext } from "../../../src/aws/index.js";

const ROUTE: RouteContext = {
  routeKey: "ANY /handler/{proxy+}",
  resourcePath: "/handler/{proxy+}",
  resourceId: "ANY /handler/{proxy+}",
  pathParameters: { proxy: "x" },
  stage: "$default",
  stagePath: "",
  stageVariables: null,
  apiId: "9pyofn5yi9",
  deploymentId: "v99qix",
  accountId: "123456789012",
  domainName: "9pyofn5yi9.execute-api.eu-central-1.amazonaws.com",
  domainPrefix: "9pyofn5yi9",
};

function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: "POST",
    path: "/handler/x",
    rawQueryString: "",
    headers: [
      ["host", ROUTE.domainName],
      ["user-agent", "curl/7.77.0"],
      ["accept", "*/*"],
    ],
    body: null,
    sourceIp: "93.136.72.29",
    receivedAt: 1644163454741,
    requestId: "NIKr1jmIFiAEJmw=",
    extendedRequestId: "NIKr1jmIFiAEJmw=",
    traceId: "Root=1-61fff17e-5b8496e96e81bed7494730a7",
    forwardedProto: "https",
    forwardedPort: "443",
    ...overrides,
  };
}

function eventJson(req: GatewayRequest, route: RouteContext = ROUTE): Record<string, unknown> {
  return JSON.parse(JSON.stringify(buildEventV1(req, route))) as Record<string, unknown>;
}

const GATEWAY_ADDED = {
  "Content-Length": "0",
  "X-Amzn-Trace-Id": "Root=1-61fff17e-5b8496e96e81bed7494730a7",
  "X-Forwarded-For": "93.136.72.29",
  "X-Forwarded-Port": "443",
  "X-Forwarded-Proto": "https",
};

test("v1 headers keep the client's case, title-case the ones AWS does, keep the last value", () => {
  const cases: Array<[label: string, headers: Array<[string, string]>, expected: Record<string, string>]> = [
    [
      "client case kept",
      [
        ["accept", "*/*"],
        ["X-Custom", "A"],
      ],
      { accept: "*/*", "X-Custom": "A", ...GATEWAY_ADDED },
    ],
    [
      "Host, User-Agent, Content-Type and Cookie title-cased as captured",
      [
        ["host", "h"],
        ["user-agent", "ua"],
        ["content-type", "text/plain"],
        ["cookie", "a=1; b=2"],
      ],
      { Host: "h", "User-Agent": "ua", "Content-Type": "text/plain", Cookie: "a=1; b=2", ...GATEWAY_ADDED },
    ],
    [
      "duplicates: last value wins, under the first spelling",
      [
        ["x-multi", "one"],
        ["X-Multi", "two"],
      ],
      { "x-multi": "two", ...GATEWAY_ADDED },
    ],
    [
      "client copies of gateway headers are replaced; X-Forwarded-For is appended to",
      [
        ["content-length", "5"],
        ["x-amzn-trace-id", "Root=client"],
        ["x-forwarded-for", "198.51.100.1"],
        ["x-forwarded-proto", "http"],
        ["connection", "keep-alive"],
      ],
      { ...GATEWAY_ADDED, "X-Forwarded-For": "198.51.100.1, 93.136.72.29" },
    ],
  ];
  for (const [label, headers, expected] of cases) {
    assert.deepEqual(eventJson(request({ headers })).headers, expected, label);
  }
});

test("v1 multiValueHeaders holds every value under the same names as headers", () => {
  const event = eventJson(
    request({
      headers: [
        ["x-multi", "one"],
        ["X-Multi", "two"],
        ["Cookie", "a=1"],
        ["cookie", "b=2"],
      ],
    }),
  );
  assert.deepEqual(event.multiValueHeaders, {
    "x-multi": ["one", "two"],
    Cookie: ["a=1", "b=2"],
    "Content-Length": ["0"],
    "X-Amzn-Trace-Id": ["Root=1-61fff17e-5b8496e96e81bed7494730a7"],
    "X-Forwarded-For": ["93.136.72.29"],
    "X-Forwarded-Port": ["443"],
    "X-Forwarded-Proto": ["https"],
  });
  assert.equal((event.headers as Record<string, string>).Cookie, "b=2");
  assert.equal("cookies" in event, false);
});

test("v1 query: last value wins in queryStringParameters, all in multiValueQueryStringParameters", () => {
  const cases: Array<
    [raw: string, single: Record<string, string> | null, multi: Record<string, string[]> | null]
  > = [
    ["", null, null],
    ["foo=bar&foo=baz", { foo: "baz" }, { foo: ["bar", "baz"] }],
    [
      "q=Hello%20World&x=a+b&flag",
      { q: "Hello World", x: "a b", flag: "" },
      {
        q: ["Hello World"],
        x: ["a b"],
        flag: [""],
      },
    ],
  ];
  for (const [raw, single, multi] of cases) {
    const event = eventJson(request({ rawQueryString: raw }));
    assert.deepEqual(event.queryStringParameters, single, raw);
    assert.deepEqual(event.multiValueQueryStringParameters, multi, raw);
  }
});

test("v1 sends null for every absent part", () => {
  const event = eventJson(request(), { ...ROUTE, pathParameters: null, stageVariables: {} });
  for (const key of [
    "queryStringParameters",
    "multiValueQueryStringParameters",
    "pathParameters",
    "stageVariables",
    "body",
  ]) {
    assert.equal(event[key], null, key);
  }
  assert.equal(event.isBase64Encoded, false);
  assert.equal("authorizer" in (event.requestContext as object), false);
});

test("v1 body follows the same text/base64 rule as v2", () => {
  const text = "a=1&b=2";
  const form = eventJson(
    request({ headers: [["Content-Type", "application/x-www-form-urlencoded"]], body: Buffer.from(text) }),
  );
  assert.equal(form.body, Buffer.from(text).toString("base64"));
  assert.equal(form.isBase64Encoded, true);
  const json = eventJson(
    request({ headers: [["content-type", "application/json"]], body: Buffer.from("{}") }),
  );
  assert.equal(json.body, "{}");
  assert.equal(json.isBase64Encoded, false);
});

test("v1 top level and requestContext name the route and the request", () => {
  const route: RouteContext = { ...ROUTE, stage: "beta", stagePath: "/beta", stageVariables: { foo: "bar" } };
  const event = buildEventV1(request({ path: "/beta/handler/x", method: "GET" }), route);
  assert.equal(event.version, "1.0");
  assert.equal(event.resource, "/handler/{proxy+}");
  assert.equal(event.path, "/beta/handler/x");
  assert.equal(event.httpMethod, "GET");
  assert.deepEqual(event.pathParameters, { proxy: "x" });
  assert.deepEqual(event.stageVariables, { foo: "bar" });
  assert.deepEqual(event.requestContext, {
    accountId: "123456789012",
    apiId: "9pyofn5yi9",
    domainName: "9pyofn5yi9.execute-api.eu-central-1.amazonaws.com",
    domainPrefix: "9pyofn5yi9",
    extendedRequestId: "NIKr1jmIFiAEJmw=",
    httpMethod: "GET",
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAmr: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: "93.136.72.29",
      user: null,
      userAgent: "curl/7.77.0",
      userArn: null,
    },
    path: "/beta/handler/x",
    protocol: "HTTP/1.1",
    requestId: "NIKr1jmIFiAEJmw=",
    requestTime: "06/Feb/2022:16:04:14 +0000",
    requestTimeEpoch: 1644163454741,
    resourceId: "ANY /handler/{proxy+}",
    resourcePath: "/handler/{proxy+}",
    stage: "beta",
  });
});

test("v1 $default route uses $default as resource and resourcePath", () => {
  const route: RouteContext = {
    ...ROUTE,
    routeKey: "$default",
    resourcePath: "$default",
    resourceId: "$default",
    pathParameters: null,
  };
  const event = buildEventV1(request(), route);
  assert.equal(event.resource, "$default");
  assert.equal(event.requestContext.resourcePath, "$default");
  assert.equal(event.requestContext.resourceId, "$default");
  assert.equal(buildEventV1(request({ headers: [] }), route).requestContext.identity.userAgent, "");
});

test("v1 events pass the Powertools APIGatewayProxyEventSchema", () => {
  const cases: Array<[label: string, req: GatewayRequest, route: RouteContext]> = [
    ["GET without body", request({ method: "GET" }), { ...ROUTE, pathParameters: null }],
    [
      "POST JSON",
      request({ headers: [["Content-Type", "application/json"]], body: Buffer.from('{"a":1}') }),
      ROUTE,
    ],
    ["binary body", request({ method: "PUT", body: Buffer.from([0, 1, 2]) }), ROUTE],
    ["cookies", request({ headers: [["Cookie", "a=1; b=2"]] }), ROUTE],
    ["query", request({ rawQueryString: "a=1&a=2&b" }), ROUTE],
    ["stage variables", request(), { ...ROUTE, stage: "prod", stageVariables: { TABLE: "items" } }],
    ["IPv6 client", request({ sourceIp: "2001:db8::1" }), ROUTE],
  ];
  for (const [label, req, route] of cases) {
    const result = APIGatewayProxyEventSchema.safeParse(buildEventV1(req, route));
    assert.ok(result.success, `${label}: ${result.error?.message}`);
  }
});
