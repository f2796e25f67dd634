import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type HttpResponse,
  internalServerError,
  notFound,
  requestEntityTooLarge,
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
  ];
  for (const [build, statusCode, body] of cases) {
    assert.deepEqual(build(), { statusCode, headers: [["Content-Type", "application/json"]], body });
    assert.notEqual(build(), build(), "each call returns its own object");
  }
});
