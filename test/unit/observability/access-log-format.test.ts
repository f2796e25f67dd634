/** API Gateway `$context` access-log formats, the default JSON line, and Cloud Run's service request line. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  accessLogFormatProblem,
  compileAccessLogFormat,
  defaultAccessLog,
  serviceRequestLine,
} from "../../../src/observability/access/index.js";
import type { GatewayRequestEnd, ServiceRequestEnd } from "../../../src/observability/channels.js";

const RECEIVED = Date.UTC(2020, 3, 1, 5, 8, 21, 67);

const REQUEST: GatewayRequestEnd = {
  api: "shop",
  apiId: "abcde12345",
  stage: "prod",
  routeKey: "GET /items/{id}",
  method: "GET",
  path: "/prod/items/7",
  protocol: "HTTP/1.1",
  status: 200,
  responseLength: 42,
  requestId: "LV7fzho-PHcEJPw=",
  extendedRequestId: "LV7fzho-PHcEJPw=",
  traceId: "0af7651916cd43dd8448eb211c80319c",
  sourceIp: "127.0.0.1",
  userAgent: "curl/8.0",
  receivedAt: RECEIVED,
  durationMs: 12.6,
  integration: {
    functionName: "items",
    requestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
    latencyMs: 9.4,
    status: 200,
  },
};

const BARE: GatewayRequestEnd = { ...REQUEST, routeKey: undefined, status: 404, integration: undefined };

function render(format: string, request: GatewayRequestEnd = REQUEST): string {
  const compiled = compileAccessLogFormat(format);
  assert.ok(compiled.ok, compiled.ok ? "" : compiled.problem);
  return compiled.render(request);
}

describe("access-log variables", () => {
  const cases: [string, string, string][] = [
    // variable, value for REQUEST, value without a route or integration
    ["requestId", "LV7fzho-PHcEJPw=", "LV7fzho-PHcEJPw="],
    ["extendedRequestId", "LV7fzho-PHcEJPw=", "LV7fzho-PHcEJPw="],
    ["identity.sourceIp", "127.0.0.1", "127.0.0.1"],
    ["identity.userAgent", "curl/8.0", "curl/8.0"],
    ["requestTime", "01/Apr/2020:05:08:21 +0000", "01/Apr/2020:05:08:21 +0000"],
    ["requestTimeEpoch", String(RECEIVED), String(RECEIVED)],
    ["httpMethod", "GET", "GET"],
    ["routeKey", "GET /items/{id}", "-"],
    ["path", "/prod/items/7", "/prod/items/7"],
    ["status", "200", "404"],
    ["protocol", "HTTP/1.1", "HTTP/1.1"],
    ["responseLength", "42", "42"],
    ["responseLatency", "13", "13"],
    ["integrationLatency", "9", "-"],
    ["integration.latency", "9", "-"],
    ["integrationStatus", "200", "-"],
    ["integration.status", "200", "-"],
    ["integration.integrationStatus", "200", "-"],
    ["integration.requestId", "c6af9ac6-7b61-11e6-9a41-93e812345678", "-"],
    ["awsEndpointRequestId", "c6af9ac6-7b61-11e6-9a41-93e812345678", "-"],
    ["integrationErrorMessage", "-", "-"],
    ["integration.error", "-", "-"],
    ["authorizer.error", "-", "-"],
    ["apiId", "abcde12345", "abcde12345"],
    ["stage", "prod", "prod"],
    ["domainName", "-", "-"],
    ["accountId", "-", "-"],
    ["authorizer.claims.sub", "-", "-"],
  ];
  for (const [name, value, bare] of cases) {
    test(`$context.${name}`, () => {
      assert.equal(render(`$context.requestId [$context.${name}]`), `LV7fzho-PHcEJPw= [${value}]`);
      assert.equal(render(`$context.requestId [$context.${name}]`, BARE), `LV7fzho-PHcEJPw= [${bare}]`);
    });
  }

  test("errors: the integration's and the authorizer's", () => {
    const failed: GatewayRequestEnd = {
      ...REQUEST,
      status: 500,
      integration: { functionName: "items", requestId: "r-1", latencyMs: 3000, error: "timeout" },
      authorizerError: "authorizer timed out",
    };
    assert.equal(
      render(
        "$context.requestId $context.integrationErrorMessage $context.integration.error $context.integrationStatus ($context.authorizer.error)",
        failed,
      ),
      "LV7fzho-PHcEJPw= timeout timeout - (authorizer timed out)",
    );
  });

  test("a JSON-shaped format stays JSON when a value holds a quote", () => {
    const line = render(
      '{ "requestId":"$context.requestId", "ua":"$context.identity.userAgent", "status": $context.status }',
      {
        ...REQUEST,
        userAgent: 'say "hi"\\',
      },
    );
    assert.deepEqual(JSON.parse(line), { requestId: "LV7fzho-PHcEJPw=", ua: 'say "hi"\\', status: 200 });
  });
});

describe("access-log formats AWS refuses", () => {
  test("an unknown variable is named", () => {
    assert.equal(
      accessLogFormatProblem("$context.requestId $context.statusCode"),
      "names $context.statusCode, which is not an access-log variable",
    );
  });
  test("a format without $context.requestId or $context.extendedRequestId", () => {
    assert.equal(
      accessLogFormatProblem("$context.status"),
      "must include $context.requestId or $context.extendedRequestId, as on AWS",
    );
    assert.equal(accessLogFormatProblem("$context.extendedRequestId"), undefined);
  });
  test("an empty format", () => {
    assert.equal(accessLogFormatProblem("  "), "is empty");
  });
});

describe("the default access-log line", () => {
  test("JSON with API Gateway's usual fields", () => {
    assert.deepEqual(JSON.parse(defaultAccessLog(REQUEST)), {
      requestId: "LV7fzho-PHcEJPw=",
      ip: "127.0.0.1",
      requestTime: "01/Apr/2020:05:08:21 +0000",
      httpMethod: "GET",
      routeKey: "GET /items/{id}",
      path: "/prod/items/7",
      status: "200",
      protocol: "HTTP/1.1",
      responseLength: "42",
      integrationLatency: "9",
      integrationStatus: "200",
      integrationErrorMessage: "-",
    });
  });
  test("authorizerError only when the authorizer failed", () => {
    const refused = JSON.parse(defaultAccessLog({ ...BARE, status: 403, authorizerError: "denied" }));
    assert.equal(refused.authorizerError, "denied");
    assert.equal(refused.routeKey, "-");
    assert.equal(refused.integrationLatency, "-");
    assert.equal("authorizerError" in JSON.parse(defaultAccessLog(REQUEST)), false);
  });

  test("stays JSON whatever the client, the configuration or the function chose", () => {
    const hostile = 'a"b\\c\n\u0001é\u2028';
    const line = defaultAccessLog({
      ...REQUEST,
      path: `/${hostile}`,
      routeKey: `GET /${hostile}`,
      integration: { functionName: "f", requestId: "r", latencyMs: 1, error: hostile },
      authorizerError: hostile,
    });
    assert.equal(line.includes("\n"), false);
    const entry = JSON.parse(line);
    assert.equal(entry.path, `/${hostile}`);
    assert.equal(entry.routeKey, `GET /${hostile}`);
    assert.equal(entry.integrationErrorMessage, hostile);
    assert.equal(entry.authorizerError, hostile);
  });
});

describe("service request line", () => {
  const request: ServiceRequestEnd = {
    service: "web",
    revision: "web-00002",
    method: "POST",
    url: "http://web.localhost:8080/a?b=1",
    status: 503,
    latencyMs: 123.4567,
    responseSize: 1024,
    userAgent: "curl/8.0",
    remoteIp: "127.0.0.1",
    protocol: "HTTP/1.1",
  };
  test("Cloud Run's httpRequest fields, severity by status", () => {
    const entry = JSON.parse(serviceRequestLine(request, Date.UTC(2024, 0, 2, 3, 4, 5, 6)));
    assert.deepEqual(entry.httpRequest, {
      requestMethod: "POST",
      requestUrl: "http://web.localhost:8080/a?b=1",
      status: 503,
      responseSize: "1024",
      userAgent: "curl/8.0",
      remoteIp: "127.0.0.1",
      protocol: "HTTP/1.1",
      latency: "0.123457s",
    });
    assert.equal(entry.severity, "ERROR");
    assert.equal(entry.timestamp, "2024-01-02T03:04:05.006Z");
    assert.equal(JSON.parse(serviceRequestLine({ ...request, status: 404 }, 0)).severity, "WARNING");
    assert.equal(JSON.parse(serviceRequestLine({ ...request, status: 204 }, 0)).severity, "INFO");
  });

  test("written as JSON.stringify writes the same entry, whatever its text values hold", () => {
    const hostile = {
      ...request,
      url: 'http://w/"q"\\\n\u0001é',
      userAgent: 'a"b\u2028c</script>',
      revision: "r\t1",
    };
    for (const time of [
      0,
      5,
      999,
      Date.UTC(2024, 0, 2, 3, 4, 5, 60),
      Date.UTC(2030, 11, 31, 23, 59, 59, 999),
    ]) {
      const expected = JSON.stringify({
        httpRequest: {
          requestMethod: hostile.method,
          requestUrl: hostile.url,
          status: hostile.status,
          responseSize: String(hostile.responseSize),
          userAgent: hostile.userAgent,
          remoteIp: hostile.remoteIp,
          protocol: hostile.protocol,
          latency: `${(hostile.latencyMs / 1000).toFixed(6)}s`,
        },
        severity: "ERROR",
        timestamp: new Date(time).toISOString(),
        labels: { service: hostile.service, revision: hostile.revision },
      });
      assert.equal(serviceRequestLine(hostile, time), expected);
    }
  });
});
