import assert from "node:assert/strict";
import { test } from "node:test";
import { routeLabel, statusClass, UNMATCHED_ROUTE } from "../../../src/observability/metrics/labels.js";

test("a status becomes its class; anything outside 100..599 is other", () => {
  assert.deepEqual([100, 200, 204, 299, 301, 404, 429, 500, 503, 599].map(statusClass), [
    "1xx",
    "2xx",
    "2xx",
    "2xx",
    "3xx",
    "4xx",
    "4xx",
    "5xx",
    "5xx",
    "5xx",
  ]);
  assert.deepEqual([0, 99, 600, 999, -1, 200.5, Number.NaN].map(statusClass), Array(7).fill("other"));
});

test("a request no route matched is one fixed route label, a route key is kept as it is", () => {
  assert.equal(routeLabel(undefined), UNMATCHED_ROUTE);
  assert.equal(routeLabel(""), UNMATCHED_ROUTE);
  assert.equal(routeLabel("GET /items/{id}"), "GET /items/{id}");
  assert.equal(routeLabel("$default"), "$default");
});
