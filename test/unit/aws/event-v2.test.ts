import assert from "node:assert/strict";
import { test } from "node:test";
import { APIGatewayProxyEventV2Schema } from "@aws-lambda-powertools/parser/schemas";
import { buildEventV2, type GatewayRequest, type RouteContext } from "../../../src/aws/index.js";

const ROUTE: RouteContext = {
  routeKey: "$default",
  resourcePath: "$default",
  resourceId: "$default",
  pathParameters: null,
  stage: "$default",
  stagePath: "",
  stageVariables: null,
  apiId: "aaaaaaaaaa",
  deploymentId: "v99qix",
  accountId: "123456789012",
  domainName: "aaaaaaaaaa.execute-api.us-east-1.amazonaws.com",
  domainPrefix: "aaaaaaaaaa",
};

function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: "GET",
    path: "/",
    rawQueryString: "",
    headers: [
      ["Host", ROUTE.domainName],
      ["User-Agent", "curl/8.5.0"],
      ["Accept", "*/*"],
    ],
    body: null,
    sourceIp: "203.0.113.7",
    receivedAt: 1587481701067,
    requestId: "LV7fzho-PHcEJPw=",
    extendedRequestId: "LV7fzho-PHcEJPw=",
    traceId: "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c",
    forwardedProto: "https",
    forwardedPort: "443",
    ...overrides,
  };
}

/** The event as the function receives it: JSON text parsed back. */
function eventJson(req: GatewayRequest, route: RouteContext = ROUTE): Record<string, unknown> {
  return JSON.parse(JSON.stringify(buildEventV2(req, route))) as Record<string, unknown>;
}

function headersOf(req: GatewayRequest): Record<string, string> {
  return eventJson(req).headers as Record<string, string>;
}

const GATEWAY_ADDED = {
  "content-length": "0",
  "x-amzn-trace-id": "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c",
  "x-forwarded-for": "203.0.113.7",
  "x-forwarded-port": "443",
  "x-forwarded-proto": "https",
};

test("v2 headers: lower-cased, duplicates joined with a bare comma, gateway headers added", () => {
  const cases: Array<[label: string, headers: Array<[string, string]>, expected: Record<string, string>]> = [
    ["names lower-cased", [["X-Custom-Header", "A"]], { "x-custom-header": "A", ...GATEWAY_ADDED }],
    [
      "duplicates joined in order, whatever their case",
      [
        ["X-Multi", "one"],
        ["x-multi", "two"],
        ["X-MULTI", "three"],
      ],
      { "x-multi": "one,two,three", ...GATEWAY_ADDED },
    ],
    ["a value with its own comma is kept", [["Accept", "a, b"]], { accept: "a, b", ...GATEWAY_ADDED }],
    [
      "client Content-Length and trace id are replaced",
      [
        ["Content-Length", "999"],
        ["X-Amzn-Trace-Id", "Root=client"],
      ],
      GATEWAY_ADDED,
    ],
    [
      "incoming X-Forwarded-For gets the source IP appended",
      [["X-Forwarded-For", "198.51.100.1, 198.51.100.2"]],
      { ...GATEWAY_ADDED, "x-forwarded-for": "198.51.100.1, 198.51.100.2, 203.0.113.7" },
    ],
    [
      "several incoming X-Forwarded-For lines form one list",
      [
        ["X-Forwarded-For", "198.51.100.1"],
        ["x-forwarded-for", "198.51.100.2"],
      ],
      { ...GATEWAY_ADDED, "x-forwarded-for": "198.51.100.1, 198.51.100.2, 203.0.113.7" },
    ],
    [
      "client X-Forwarded-Port/Proto are replaced by the gateway's",
      [
        ["X-Forwarded-Port", "8080"],
        ["X-Forwarded-Proto", "http"],
      ],
      GATEWAY_ADDED,
    ],
    [
      "hop-by-hop headers are not forwarded",
      [
        ["Connection", "keep-alive"],
        ["Keep-Alive", "timeout=5"],
        ["Transfer-Encoding", "chunked"],
        ["Upgrade", "h2c"],
        ["TE", "trailers"],
      ],
      GATEWAY_ADDED,
    ],
    [
      "names that exist on Object.prototype are ordinary headers",
      [
        ["constructor", "c"],
        ["__proto__", "p"],
        ["toString", "t"],
      ],
      // Built from JSON: in an object literal `__proto__` would set the prototype instead of a key.
      Object.assign(JSON.parse('{"constructor":"c","__proto__":"p","tostring":"t"}'), GATEWAY_ADDED),
    ],
  ];
  for (const [label, headers, expected] of cases) {
    const actual = headersOf(request({ headers }));
    assert.deepEqual(actual, expected, label);
  }
});

test("v2 content-length is the body length, and 0 without a body", () => {
  assert.equal(headersOf(request())["content-length"], "0");
  assert.equal(headersOf(request({ method: "POST", body: Buffer.alloc(0) }))["content-length"], "0");
  assert.equal(headersOf(request({ method: "POST", body: Buffer.from("héllo") }))["content-length"], "6");
});

test("v2 cookies: removed from headers and split on ';' into name=value entries", () => {
  const cases: Array<[label: string, cookieHeaders: string[], expected: string[] | undefined]> = [
    ["no Cookie header, no cookies key", [], undefined],
    ["one pair", ["a=1"], ["a=1"]],
    ["pairs trimmed", ["a=1; b=2;c=3"], ["a=1", "b=2", "c=3"]],
    ["empty pieces dropped", ["a=1; ; b=2;"], ["a=1", "b=2"]],
    ["several Cookie headers (HTTP/2 style) concatenate", ["a=1", "b=2; c=3"], ["a=1", "b=2", "c=3"]],
    ["a value containing = is kept whole", ["token=abc==; x=y"], ["token=abc==", "x=y"]],
  ];
  for (const [label, cookieHeaders, expected] of cases) {
    const event = eventJson(
      request({ headers: cookieHeaders.map((value) => ["Cookie", value] as [string, string]) }),
    );
    assert.deepEqual(event.cookies, expected, label);
    assert.equal("cookie" in (event.headers as object), false, label);
  }
});

test("v2 query: decoded, duplicates comma-joined, rawQueryString untouched, omitted when empty", () => {
  const cases: Array<[raw: string, expected: Record<string, string> | undefined]> = [
    ["", undefined],
    ["a=1", { a: "1" }],
    ["tag=a&tag=b&tag=c", { tag: "a,b,c" }],
    ["q=Hello%20World&x=a+b", { q: "Hello World", x: "a b" }],
    ["na%20me=v%26w", { "na me": "v&w" }],
    ["flag", { flag: "" }],
    ["a=&b=2", { a: "", b: "2" }],
    ["bad=%zz", { bad: "%zz" }],
    ["utf=%C3%A9", { utf: "é" }],
    [
      "firstName=Lewis&lastName=Meriwether&mv-test=value1&mv-test=value2",
      {
        firstName: "Lewis",
        lastName: "Meriwether",
        "mv-test": "value1,value2",
      },
    ],
    ["constructor=1&__proto__=2", JSON.parse('{"constructor":"1","__proto__":"2"}')],
  ];
  for (const [raw, expected] of cases) {
    const event = eventJson(request({ rawQueryString: raw }));
    assert.equal(event.rawQueryString, raw);
    assert.deepEqual(event.queryStringParameters, expected, raw);
  }
});

test("v2 body: text only for text/*, JSON, XML and JavaScript; everything else base64", () => {
  const text = "request body é";
  const cases: Array<[contentType: string | undefined, base64: boolean]> = [
    ["text/plain", false],
    ["text/html; charset=utf-8", false],
    ["TEXT/CSV", false],
    ["application/json", false],
    ["Application/JSON; charset=UTF-8", false],
    [" application/json ;charset=utf-8", false],
    ["application/xml", false],
    ["application/javascript", false],
    [undefined, true],
    ["", true],
    ["application/x-www-form-urlencoded", true],
    ["application/octet-stream", true],
    ["multipart/form-data; boundary=x", true],
    ["image/png", true],
    ["application/vnd.api+json", true],
    ["application/problem+json", true],
    ["text", true],
    ["text/", true],
  ];
  for (const [contentType, base64] of cases) {
    const headers: Array<[string, string]> = contentType === undefined ? [] : [["Content-Type", contentType]];
    const event = eventJson(request({ method: "POST", headers, body: Buffer.from(text) }));
    assert.equal(event.isBase64Encoded, base64, String(contentType));
    assert.equal(event.body, base64 ? Buffer.from(text).toString("base64") : text, String(contentType));
  }
});

test("v2 body: omitted and isBase64Encoded false without body bytes", () => {
  for (const body of [null, Buffer.alloc(0)]) {
    const event = eventJson(request({ method: "POST", body, headers: [["Content-Type", "image/png"]] }));
    assert.equal("body" in event, false);
    assert.equal(event.isBase64Encoded, false);
  }
});

test("v2 binary bodies survive base64 exactly", () => {
  const bytes = Buffer.from([0, 255, 128, 10, 13, 0xc3]);
  const event = buildEventV2(request({ method: "PUT", body: bytes }), ROUTE);
  assert.equal(event.isBase64Encoded, true);
  assert.deepEqual(Buffer.from(event.body as string, "base64"), bytes);
});

test("v2 omits empty optional members and never sends authorizer, authentication or routeId", () => {
  const event = eventJson(request(), { ...ROUTE, pathParameters: {}, stageVariables: {} });
  assert.deepEqual(Object.keys(event).sort(), [
    "headers",
    "isBase64Encoded",
    "rawPath",
    "rawQueryString",
    "requestContext",
    "routeKey",
    "version",
  ]);
  const context = event.requestContext as Record<string, unknown>;
  for (const absent of ["authorizer", "authentication", "routeId"])
    assert.equal(absent in context, false, absent);
});

test("v2 path parameters and stage variables appear when present; named stage stays in rawPath", () => {
  const route: RouteContext = {
    ...ROUTE,
    routeKey: "GET /pets/{id}",
    resourcePath: "/pets/{id}",
    pathParameters: { id: "John Doe" },
    stage: "dev",
    stagePath: "/dev",
    stageVariables: { TABLE: "pets_dev" },
  };
  const event = buildEventV2(request({ path: "/dev/pets/John Doe" }), route);
  assert.deepEqual(event.pathParameters, { id: "John Doe" });
  assert.deepEqual(event.stageVariables, { TABLE: "pets_dev" });
  assert.equal(event.rawPath, "/dev/pets/John Doe");
  assert.equal(event.routeKey, "GET /pets/{id}");
  assert.equal(event.requestContext.routeKey, "GET /pets/{id}");
  assert.equal(event.requestContext.http.path, "/dev/pets/John Doe");
  assert.equal(event.requestContext.stage, "dev");
});

test("v2 requestContext carries the request's facts", () => {
  const event = buildEventV2(request({ method: "DELETE" }), ROUTE);
  assert.deepEqual(event.requestContext, {
    accountId: "123456789012",
    apiId: "aaaaaaaaaa",
    domainName: "aaaaaaaaaa.execute-api.us-east-1.amazonaws.com",
    domainPrefix: "aaaaaaaaaa",
    http: {
      method: "DELETE",
      path: "/",
      protocol: "HTTP/1.1",
      sourceIp: "203.0.113.7",
      userAgent: "curl/8.5.0",
    },
    requestId: "LV7fzho-PHcEJPw=",
    routeKey: "$default",
    stage: "$default",
    time: "21/Apr/2020:15:08:21 +0000",
    timeEpoch: 1587481701067,
  });
  assert.equal(buildEventV2(request({ headers: [] }), ROUTE).requestContext.http.userAgent, "");
});

test("v2 events pass the Powertools APIGatewayProxyEventV2Schema", () => {
  const withParams: RouteContext = {
    ...ROUTE,
    routeKey: "ANY /items/{id}",
    resourcePath: "/items/{id}",
    pathParameters: { id: "42" },
    stage: "prod",
    stageVariables: { TABLE: "items" },
  };
  const cases: Array<[label: string, req: GatewayRequest, route: RouteContext]> = [
    ["GET without body", request(), ROUTE],
    [
      "POST JSON",
      request({
        method: "POST",
        headers: [["Content-Type", "application/json"]],
        body: Buffer.from('{"a":1}'),
      }),
      ROUTE,
    ],
    [
      "binary body",
      request({ method: "PUT", headers: [["Content-Type", "image/png"]], body: Buffer.from([0, 1, 2]) }),
      ROUTE,
    ],
    ["cookies", request({ headers: [["Cookie", "a=1; b=2"]] }), ROUTE],
    ["query", request({ rawQueryString: "a=1&a=2&b" }), ROUTE],
    ["stage variables and path params", request({ path: "/prod/items/42" }), withParams],
    ["IPv6 client", request({ sourceIp: "2001:db8::1" }), ROUTE],
    ["no headers at all", request({ headers: [] }), ROUTE],
  ];
  for (const [label, req, route] of cases) {
    const event = buildEventV2(req, route);
    const result = APIGatewayProxyEventV2Schema.safeParse(event);
    assert.ok(result.success, `${label}: ${result.error?.message}`);
  }
});
