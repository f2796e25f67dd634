import assert from "node:assert/strict";
import { test } from "node:test";
import {
  badRequest,
  endpointRequestTimedOut,
  type GatewayResponses,
  HTTP_API_RESPONSES,
  type HttpResponse,
  internalServerError,
  missingAuthenticationToken,
  notFound,
  REST_API_RESPONSES,
  requestEntityTooLarge,
  requestHeaderFieldsTooLarge,
  requestTimeout,
  requestTooLong,
  restInternalServerError,
  serviceUnavailable,
  tooManyRequests,
} from "../../../src/aws/index.js";

test("gateway error responses have AWS's exact status and body", () => {
  const cases: Array<[build: () => HttpResponse, status: number, body: string]> = [
    [notFound, 404, '{"message":"Not Found"}'],
    [internalServerError, 500, '{"message":"Internal Server Error"}'],
    [serviceUnavailable, 503, '{"message":"Service Unavailable"}'],
    [requestEntityTooLarge, 413, '{"message":"Request Entity Too Large"}'],
    [tooManyRequests, 429, '{"message":"Too Many Requests"}'],
    // REST APIs: note the space after the colon and the lower-case "server error" in the 502 and 504 bodies.
    [missingAuthenticationToken, 403, '{"message":"Missing Authentication Token"}'],
    [restInternalServerError, 502, '{"message": "Internal server error"}'],
    [endpointRequestTimedOut, 504, '{"message": "Endpoint request timed out"}'],
    [requestTooLong, 413, '{"message":"Request Too Long"}'],
    // Answers to requests the gateway cannot take, in the shape of the others.
    [() => badRequest('two "Host" headers'), 400, '{"message":"Bad Request: two \\"Host\\" headers"}'],
    [requestTimeout, 408, '{"message":"Request Timeout"}'],
    [requestHeaderFieldsTooLarge, 431, '{"message":"Request Header Fields Too Large"}'],
  ];
  for (const [build, statusCode, body] of cases) {
    assert.deepEqual(build(), { statusCode, headers: [["Content-Type", "application/json"]], body });
    assert.notEqual(build(), build(), "each call returns its own object");
  }
});

test("each API kind answers with its own responses", () => {
  const cases: Array<[kind: string, responses: GatewayResponses, statuses: number[]]> = [
    ["HTTP API", HTTP_API_RESPONSES, [404, 500, 503, 413, 429]],
    ["REST API", REST_API_RESPONSES, [403, 502, 504, 413, 429]],
  ];
  for (const [kind, responses, statuses] of cases) {
    const actual = [
      responses.noRoute(),
      responses.integrationFailed(),
      responses.integrationTimedOut(),
      responses.payloadTooLarge(),
      responses.throttled(),
    ].map((response) => response.statusCode);
    assert.deepEqual(actual, statuses, kind);
  }
});
