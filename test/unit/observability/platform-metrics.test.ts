/**
 * PlatformMetrics through its scrape: counters follow the channels only while started, each platform has its
 * own registry, and gauges are read from the running parts when scraped.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type FunctionInstanceChange,
  type FunctionInvokeEnd,
  functionInstanceChange,
  functionInvokeEnd,
  type GatewayRequestEnd,
  gatewayRequestEnd,
} from "../../../src/observability/channels.js";
import { PlatformMetrics } from "../../../src/observability/metrics/index.js";
import type { RunningParts } from "../../../src/observability/metrics/running-gauges.js";
import { parsePrometheusText, sampleValue } from "../../helpers/prometheus-text.js";

const NOTHING: RunningParts = { pools: [], revisions: [] };

const request = (routeKey: string | undefined, status: number): GatewayRequestEnd => ({
  api: "shop",
  apiId: "a1",
  stage: "$default",
  routeKey,
  method: "GET",
  path: "/items/123?x=1",
  protocol: "HTTP/1.1",
  status,
  responseLength: 0,
  requestId: "r",
  extendedRequestId: "r",
  traceId: "t",
  sourceIp: "127.0.0.1",
  userAgent: "",
  receivedAt: 0,
  durationMs: 12,
});

const scrape = async (metrics: PlatformMetrics) => parsePrometheusText((await metrics.scrape()).text);

test("counters follow the channels while started, and stop when stopped", async () => {
  const metrics = new PlatformMetrics(() => NOTHING);
  const other = new PlatformMetrics(() => NOTHING);
  metrics.start();
  metrics.start(); // twice: still one subscription
  gatewayRequestEnd.publish(request("GET /items/{id}", 200));
  gatewayRequestEnd.publish(request(undefined, 404));
  metrics.stop();
  gatewayRequestEnd.publish(request("GET /items/{id}", 200));
  const text = await scrape(metrics);
  const labels = { api: "shop", stage: "$default" };
  assert.equal(
    sampleValue(text, "portico_api_requests_total", {
      ...labels,
      route: "GET /items/{id}",
      status_class: "2xx",
    }),
    1,
  );
  assert.equal(
    sampleValue(text, "portico_api_requests_total", { ...labels, route: "$unmatched", status_class: "4xx" }),
    1,
  );
  assert.ok(
    !text.samples.some((sample) =>
      Object.values(sample.labels).some((value) => value.includes("/items/123")),
    ),
  );
  // A platform never started counted nothing: registries are not shared.
  assert.equal(
    (await scrape(other)).samples.filter((s) => s.name === "portico_api_requests_total").length,
    0,
  );
});

test("a timeout is an invocation, an error and a timeout; a throttle is not an invocation", async () => {
  const metrics = new PlatformMetrics(() => NOTHING);
  metrics.start();
  const end = (outcome: FunctionInvokeEnd["outcome"], coldStart = false): FunctionInvokeEnd => ({
    functionName: "f",
    requestId: "r",
    durationMs: 5,
    outcome,
    coldStart,
  });
  for (const message of [end("success", true), end("error"), end("timeout"), end("throttled")]) {
    functionInvokeEnd.publish(message);
  }
  functionInstanceChange.publish({
    functionName: "f",
    instance: "1",
    state: "started",
    initDurationMs: 250,
  } satisfies FunctionInstanceChange);
  functionInstanceChange.publish({
    functionName: "f",
    instance: "1",
    state: "stopped",
  } satisfies FunctionInstanceChange);
  metrics.stop();
  const text = await scrape(metrics);
  const count = (name: string) => sampleValue(text, `portico_function_${name}_total`, { function: "f" });
  assert.deepEqual(
    ["invocations", "errors", "timeouts", "throttles", "cold_starts", "instance_starts"].map(count),
    [3, 2, 1, 1, 1, 1],
  );
  assert.equal(sampleValue(text, "portico_function_init_duration_seconds_sum", { function: "f" }), 0.25);
  assert.equal(
    sampleValue(text, "portico_function_init_duration_seconds_bucket", { function: "f", le: "0.25" }),
    1,
  );
  assert.equal(
    sampleValue(text, "portico_function_init_duration_seconds_bucket", { function: "f", le: "0.1" }),
    0,
  );
});

test("gauges are read from the running parts at each scrape; pools of one function add up", async () => {
  let running: RunningParts = {
    pools: [
      { fn: { name: "f" }, stats: { starting: 1, idle: 2, busy: 3 } },
      { fn: { name: "f" }, stats: { starting: 0, idle: 1, busy: 1 } },
    ],
    revisions: [
      { spec: { name: "web" }, name: "web-00001-abc", stats: { starting: 1, idle: 0, busy: 2, pending: 4 } },
    ],
  };
  const metrics = new PlatformMetrics(() => running);
  let text = await scrape(metrics);
  assert.equal(sampleValue(text, "portico_function_concurrent_executions", { function: "f" }), 4);
  assert.equal(sampleValue(text, "portico_function_instances", { function: "f", state: "starting" }), 1);
  assert.equal(sampleValue(text, "portico_function_instances", { function: "f", state: "idle" }), 3);
  const revision = { service: "web", revision: "web-00001-abc" };
  assert.equal(sampleValue(text, "portico_service_instances", { ...revision, state: "busy" }), 2);
  assert.equal(sampleValue(text, "portico_service_pending_requests", revision), 4);
  running = { pools: [], revisions: [] };
  text = await scrape(metrics);
  assert.equal(text.samples.filter((sample) => sample.name === "portico_function_instances").length, 0);
  assert.equal(text.samples.filter((sample) => sample.name === "portico_service_pending_requests").length, 0);
});

test("counts gathered between scrapes all reach the next scrape, across histogram batches", async () => {
  const metrics = new PlatformMetrics(() => NOTHING);
  metrics.start();
  // More than one batch of observations (256), and some that wait in the next.
  for (let i = 0; i < 300; i++) gatewayRequestEnd.publish({ ...request("GET /a", 200), durationMs: 2 });
  let text = await scrape(metrics);
  const route = { api: "shop", stage: "$default", route: "GET /a" };
  assert.equal(sampleValue(text, "portico_api_requests_total", { ...route, status_class: "2xx" }), 300);
  assert.equal(sampleValue(text, "portico_api_request_duration_seconds_count", route), 300);
  assert.equal(
    sampleValue(text, "portico_api_request_duration_seconds_bucket", { ...route, le: "0.005" }),
    300,
  );
  assert.ok(
    Math.abs((sampleValue(text, "portico_api_request_duration_seconds_sum", route) ?? 0) - 0.6) < 1e-9,
  );
  gatewayRequestEnd.publish({ ...request("GET /a", 500), durationMs: 2000 });
  text = await scrape(metrics);
  metrics.stop();
  assert.equal(sampleValue(text, "portico_api_requests_total", { ...route, status_class: "5xx" }), 1);
  assert.equal(sampleValue(text, "portico_api_request_duration_seconds_count", route), 301);
  assert.equal(
    sampleValue(text, "portico_api_request_duration_seconds_bucket", { ...route, le: "0.005" }),
    300,
  );
});
