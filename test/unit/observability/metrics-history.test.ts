import assert from "node:assert/strict";
import { test } from "node:test";
import { quantile } from "../../../src/observability/metrics/metrics-history.js";

const bounds = [0.005, 0.01, 0.025, 0.05, Number.POSITIVE_INFINITY];

test("a quantile is interpolated within its bucket, as Prometheus's histogram_quantile does", () => {
  // 10 observations: 4 up to 5 ms, 4 more up to 10 ms, 2 more up to 25 ms.
  const cumulative = [4, 8, 10, 10, 10];
  assert.equal(quantile(0.5, bounds, cumulative), 0.005 + (0.005 * (5 - 4)) / 4);
  assert.equal(quantile(0.2, bounds, cumulative), (0.005 * 2) / 4);
  assert.equal(quantile(0.9, bounds, cumulative), 0.01 + (0.015 * (9 - 8)) / 2);
});

test("in the +Inf bucket it is the highest finite bound; without observations there is none", () => {
  assert.equal(quantile(0.99, bounds, [0, 0, 0, 1, 100]), 0.05);
  assert.equal(quantile(0.5, bounds, [0, 0, 0, 0, 0]), undefined);
});
