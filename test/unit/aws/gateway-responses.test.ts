import assert from "node:assert/strict";
import { test } from "node:test";
import {
  badRequest,
  endpointRequestTimedOut,
  forbidden,
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
  restAccessDenied,
  restAuthorizerFailed,
  restInternalServerError,
  restTooManyRequests,
  restUnauthorized,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
} from "../../../src/aws/index.js";

test("gateway error responses have AWS's exact status and body", () => {
  const cases: Array<[build: () => HttpResponse, status: number, body: string]> = [
    [notFound, 404, '{"message":"Not Found"}'],
    [internalServerError, 500, '{"message":"Internal Server Error"}'],
    [serviceUnavailable, 503, '{"message":"Service Unavailable"}'],
    [requestEntityTooLarge, 413, '{"message":"Request Entity Too Large"}'],
    [tooManyRequests, 429, '{"message":"Too Many Requests"}'],
    [unauthorized, 401, '{"message":"Unauthorized"}'],
    [forbidden, 403, '{"message":"Forbidden"}'],
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

test("REST API error responses have REST's exact status and body, and name the error in x-amzn-ErrorType", () => {
  const cases: Array<[build: () => HttpResponse, status: number, body: string, errorType: string]> = [
    // Note the space after the colon and the lower-case "server error" in the 502 and 504 bodies.
    [
      missingAuthenticationToken,
      403,
      '{"message":"Missing Authentication Token"}',
      "MissingAuthenticationTokenException",
    ],
    [restInternalServerError, 502, '{"message": "Internal server error"}', "InternalServerErrorException"],
    [
      endpointRequestTimedOut,
      504,
      '{"message": "Endpoint request timed out"}',
      "InternalServerErrorException",
    ],
    [requestTooLong, 413, '{"message":"Request Too Long"}', "RequestTooLargeException"],
    [restTooManyRequests, 429, '{"message":"Too Many Requests"}', "TooManyRequestsException"],
    [restUnauthorized, 401, '{"message":"Unauthorized"}', "UnauthorizedException"],
    // Capital M, as captured: the ACCESS_DENIED body is the odd one out.
    [
      restAccessDenied,
      403,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
      "AccessDeniedException",
    ],
    [
      () => restAccessDenied(false),
      403,
      '{"Message":"User is not authorized to access this resource"}',
      "AccessDeniedException",
    ],
    [restAuthorizerFailed, 500, '{"message":null}', "AuthorizerConfigurationException"],
  ];
  for (const [build, statusCode, body, errorType] of cases) {
    const headers = [
      ["Content-Type", "application/json"],
      ["x-amzn-ErrorType", errorType],
    ];
    assert.deepEqual(build(), { statusCode, headers, body });
    assert.notEqual(build(), build(), "each call returns its own object");
  }
});

test("each API kind answers with its own responses, authorizer answers included", () => {
  const cases: Array<[kind: string, responses: GatewayResponses, expected: Array<[number, string]>]> = [
    [
      "HTTP API",
      HTTP_API_RESPONSES,
      [
        [404, '{"message":"Not Found"}'],
        [500, '{"message":"Internal Server Error"}'],
        [503, '{"message":"Service Unavailable"}'],
        [413, '{"message":"Request Entity Too Large"}'],
        [429, '{"message":"Too Many Requests"}'],
        [401, '{"message":"Unauthorized"}'],
        [403, '{"message":"Forbidden"}'],
        [403, '{"message":"Forbidden"}'],
        [500, '{"message":"Internal Server Error"}'],
        [403, '{"message":"Forbidden"}'],
      ],
    ],
    [
      "REST API",
      REST_API_RESPONSES,
      [
        [403, '{"message":"Missing Authentication Token"}'],
        [502, '{"message": "Internal server error"}'],
        [504, '{"message": "Endpoint request timed out"}'],
        [413, '{"message":"Request Too Long"}'],
        [429, '{"message":"Too Many Requests"}'],
        [401, '{"message":"Unauthorized"}'],
        [403, '{"Message":"User is not authorized to access this resource with an explicit deny"}'],
        [403, '{"Message":"User is not authorized to access this resource"}'],
        [500, '{"message":null}'],
        [403, '{"message":"Missing Authentication Token"}'],
      ],
    ],
  ];
  for (const [kind, responses, expected] of cases) {
    const actual = [
      responses.noRoute(),
      responses.integrationFailed(),
      responses.integrationTimedOut(),
      responses.payloadTooLarge(),
      responses.throttled(),
      responses.unauthorized(),
      responses.forbidden(),
      responses.forbidden(false),
      responses.authorizerFailed(),
      responses.iamUnauthenticated(),
    ].map((response) => [response.statusCode, response.body]);
    assert.deepEqual(actual, expected, kind);
  }
  const errorTypes = [REST_API_RESPONSES.noRoute(), REST_API_RESPONSES.throttled()].map((response) =>
    response.headers.find(([name]) => name === "x-amzn-ErrorType"),
  );
  assert.ok(
    errorTypes.every((header) => header !== undefined),
    "REST answers name their error type",
  );
  const httpHeaders = HTTP_API_RESPONSES.throttled().headers.map(([name]) => name);
  assert.deepEqual(httpHeaders, ["Content-Type"], "HTTP APIs send no x-amzn-ErrorType");
});
