/**
 * `GET /metrics` on the admin listener through `portico dev`: known traffic (successes, a function error,
 * timeouts, a route throttle, a function at its reserved concurrency, an unmatched path, service requests) shows
 * up as exact counters under route keys, with consistent histograms, scrape-time gauges and process metrics,
 * behind the admin token.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";
import {
  type Exposition,
  histogramOf,
  parsePrometheusText,
  samplesOf,
  sampleValue,
} from "../helpers/prometheus-text.js";

const TOKEN = "e2e-metrics-token-0123456789abcdef";

const PROJECT = `
functions:
  ok: { runtime: nodejs20.x, handler: fns/ok.handler }
  fail: { runtime: nodejs20.x, handler: fns/fail.handler }
  slow: { runtime: nodejs20.x, handler: fns/slow.handler, timeout: 1 }
  solo: { runtime: nodejs20.x, handler: fns/hold.handler, concurrency: 1, timeout: 30 }
apis:
  shop:
    routes:
      GET /ok: ok
      GET /items/{id}: ok
      GET /fail: fail
      GET /slow: slow
      GET /solo: solo
      # One request, then one a second: of two sent at once, one is throttled.
      GET /limited: { function: ok, throttling: { rateLimit: 1, burstLimit: 1 } }
services:
  web: { source: web }
`;

let dir: string;
let portico: PorticoProcess;
let port: number;
let adminPort: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "portico-metrics-"));
  await mkdir(join(dir, "fns"));
  await mkdir(join(dir, "web"));
  await writeFile(join(dir, "portico.yaml"), PROJECT);
  await writeFile(join(dir, "fns", "ok.mjs"), `export const handler = async () => ({ ok: true });\n`);
  await writeFile(
    join(dir, "fns", "fail.mjs"),
    `export const handler = async () => { throw new TypeError("broken"); };\n`,
  );
  await writeFile(
    join(dir, "fns", "slow.mjs"),
    `export const handler = () => new Promise((resolve) => setTimeout(resolve, 10_000));\n`,
  );
  // Holds its one instance past the 5 s a second invocation waits for room before it is throttled.
  await writeFile(
    join(dir, "fns", "hold.mjs"),
    `export const handler = () => new Promise((resolve) => setTimeout(() => resolve({ held: true }), 6_500));\n`,
  );
  await writeFile(join(dir, "web", "package.json"), JSON.stringify({ scripts: { start: "node server.js" } }));
  await writeFile(
    join(dir, "web", "server.js"),
    `require("node:http").createServer((q, s) => s.end("hi")).listen(Number(process.env.PORT));\n`,
  );
  ({ portico, port, adminPort } = await startDev(dir, [], { env: { PORTICO_ADMIN_TOKEN: TOKEN } }));
});
after(async () => {
  await portico?.stop();
  await rm(dir, { recursive: true, force: true });
});

const api = (path: string) => send({ port, path, headers: { host: `shop.localhost:${port}` } });
const scrape = () =>
  send({ port: adminPort, path: "/metrics", headers: { authorization: `Bearer ${TOKEN}` } });

async function sendTraffic(): Promise<void> {
  // Two at once at a function with reserved concurrency 1: the second waits 5 s for room, then is throttled.
  const solo = Promise.all([api("/solo"), api("/solo")]);
  for (let i = 0; i < 3; i++) assert.equal((await api("/ok")).status, 200);
  assert.equal((await api("/items/123")).status, 200);
  assert.equal((await api("/fail")).status, 500);
  // A timeout ends its instance: the second invocation starts a new one.
  for (let i = 0; i < 2; i++) assert.equal((await api("/slow")).status, 500);
  assert.deepEqual(
    (await Promise.all([api("/limited"), api("/limited")])).map((r) => r.status).sort(),
    [200, 429],
  );
  assert.equal((await api("/nowhere/42")).status, 404);
  for (let i = 0; i < 3; i++) {
    const answer = await send({ port, path: "/", headers: { host: `web.localhost:${port}` } });
    assert.equal(answer.status, 200, answer.text);
  }
  const soloStatuses = (await solo).map((response) => response.status);
  assert.ok(soloStatuses.includes(200), `one of the two is served: ${soloStatuses}`);
}

let metrics: Exposition;

test("GET /metrics needs the admin token and answers Prometheus's text format", async () => {
  const refused = await send({ port: adminPort, path: "/metrics" });
  assert.equal(refused.status, 401);
  await sendTraffic();
  const answer = await scrape();
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  metrics = parsePrometheusText(answer.text);
  assert.equal(metrics.types.get("portico_api_requests_total"), "counter");
  assert.equal(metrics.types.get("portico_api_request_duration_seconds"), "histogram");
  assert.equal(metrics.types.get("portico_function_instances"), "gauge");
  assert.ok(sampleValue(metrics, "process_cpu_seconds_total") > 0, "process metrics are there");
  assert.ok(samplesOf(metrics, "nodejs_heap_size_total_bytes").length > 0);
});

test("API requests are counted by route key and status class, never by raw path", () => {
  const requests = (route: string, status_class: string) =>
    sampleValue(metrics, "portico_api_requests_total", {
      api: "shop",
      stage: "$default",
      route,
      status_class,
    });
  assert.equal(requests("GET /ok", "2xx"), 3);
  assert.equal(requests("GET /items/{id}", "2xx"), 1);
  assert.equal(requests("GET /fail", "5xx"), 1);
  assert.equal(requests("GET /slow", "5xx"), 2);
  assert.equal(requests("GET /limited", "2xx"), 1);
  assert.equal(requests("GET /limited", "4xx"), 1);
  assert.equal(requests("$unmatched", "4xx"), 1);
  const solo = samplesOf(metrics, "portico_api_requests_total", { route: "GET /solo" });
  assert.equal(
    solo.reduce((sum, sample) => sum + sample.value, 0),
    2,
  );
  const routes = new Set(
    metrics.samples.map((sample) => sample.labels.route).filter((route) => route !== undefined),
  );
  assert.deepEqual([...routes].sort(), [
    "$unmatched",
    "GET /fail",
    "GET /items/{id}",
    "GET /limited",
    "GET /ok",
    "GET /slow",
    "GET /solo",
  ]);
  const throttles = samplesOf(metrics, "portico_api_throttles_total");
  assert.deepEqual(
    throttles.map((sample) => [sample.labels.route, sample.value]),
    [["GET /limited", 1]],
  );
});

test("latency histograms are cumulative and count every request; integration only when a function ran", () => {
  const labels = { api: "shop", stage: "$default", route: "GET /ok" };
  for (const name of ["portico_api_request_duration_seconds", "portico_api_integration_duration_seconds"]) {
    const histogram = histogramOf(metrics, name, labels);
    assertCumulative(histogram.buckets, histogram.count);
    assert.equal(histogram.count, 3, name);
    assert.ok(histogram.sum > 0, name);
  }
  const unmatched = { api: "shop", stage: "$default", route: "$unmatched" };
  assert.equal(histogramOf(metrics, "portico_api_request_duration_seconds", unmatched).count, 1);
  assert.equal(histogramOf(metrics, "portico_api_integration_duration_seconds", unmatched).count, 0);
  // The timeouts ran for their function's 1 s timeout.
  const slow = histogramOf(metrics, "portico_api_integration_duration_seconds", {
    ...labels,
    route: "GET /slow",
  });
  assert.equal(slow.count, 2);
  assert.equal(slow.buckets.find((bucket) => bucket.le === 0.5)?.count, 0);
});

test("function invocations, errors, timeouts, throttles and cold starts", () => {
  const count = (name: string, fn: string) =>
    sampleValue(metrics, `portico_function_${name}_total`, { function: fn });
  const expected = {
    ok: { invocations: 5, errors: 0, timeouts: 0, throttles: 0, cold_starts: 1, instance_starts: 1 },
    fail: { invocations: 1, errors: 1, timeouts: 0, throttles: 0, cold_starts: 1, instance_starts: 1 },
    slow: { invocations: 2, errors: 2, timeouts: 2, throttles: 0, cold_starts: 2, instance_starts: 2 },
    solo: { invocations: 1, errors: 0, timeouts: 0, throttles: 1, cold_starts: 1, instance_starts: 1 },
  };
  for (const [fn, counts] of Object.entries(expected)) {
    const actual = Object.fromEntries(Object.keys(counts).map((name) => [name, count(name, fn)]));
    assert.deepEqual(actual, counts, fn);
    const duration = histogramOf(metrics, "portico_function_duration_seconds", { function: fn });
    assertCumulative(duration.buckets, duration.count);
    assert.equal(duration.count, counts.invocations, fn);
    const init = histogramOf(metrics, "portico_function_init_duration_seconds", { function: fn });
    assertCumulative(init.buckets, init.count);
    assert.equal(init.count, counts.instance_starts, fn);
  }
  const slow = histogramOf(metrics, "portico_function_duration_seconds", { function: "slow" });
  assert.ok(slow.sum >= 2, `two 1 s timeouts: ${slow.sum}`);
});

test("GET /v1/metrics/history: the last hour of each function and route, minute by minute", async () => {
  const answer = await send({
    port: adminPort,
    path: "/v1/metrics/history",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(answer.status, 200, answer.text);
  const history = answer.json() as {
    minutes: number[];
    functions: Record<
      string,
      { t: number; requests: number; errors: number; coldStarts?: number; p99?: number }[]
    >;
    routes: Record<string, { requests: number; errors: number; clientErrors?: number }[]>;
  };
  assert.equal(history.minutes.length, 60);
  assert.equal((history.minutes.at(-1) as number) % 60_000, 0);
  assert.ok(Date.now() - (history.minutes.at(-1) as number) < 60_000, "the minute under way comes last");
  // The traffic may straddle a minute's end: summed over the hour, the counts are /metrics' own.
  type Point = { requests: number; errors: number; coldStarts?: number; clientErrors?: number };
  const total = (points: Point[]) =>
    points.reduce<{ requests: number; errors: number; other: number }>(
      (sum, point) => ({
        requests: sum.requests + point.requests,
        errors: sum.errors + point.errors,
        other: sum.other + (point.coldStarts ?? point.clientErrors ?? 0),
      }),
      { requests: 0, errors: 0, other: 0 },
    );
  assert.deepEqual(total(history.functions.ok ?? []), { requests: 5, errors: 0, other: 1 });
  assert.deepEqual(total(history.functions.fail ?? []), { requests: 1, errors: 1, other: 1 });
  assert.deepEqual(total(history.functions.slow ?? []), { requests: 2, errors: 2, other: 2 });
  assert.deepEqual(total(history.routes["shop $default $unmatched"] ?? []), {
    requests: 1,
    errors: 0,
    other: 1,
  });
  const slowest = Math.max(...(history.functions.slow ?? []).map((point) => point.p99 ?? 0));
  assert.ok(slowest >= 1000, `the slow function's p99 is past its 1 s timeout: ${slowest} ms`);
});

test("gauges read at scrape time: instances by state and concurrent executions", () => {
  assert.equal(sampleValue(metrics, "portico_function_instances", { function: "ok", state: "idle" }), 1);
  assert.equal(sampleValue(metrics, "portico_function_instances", { function: "ok", state: "busy" }), 0);
  assert.equal(sampleValue(metrics, "portico_function_concurrent_executions", { function: "ok" }), 0);
});

test("service requests by revision and status class, instances and queue depth", () => {
  const [counted, ...others] = samplesOf(metrics, "portico_service_requests_total", { service: "web" });
  assert.equal(others.length, 0);
  assert.match(counted?.labels.revision ?? "", /^web-00001-[a-z]{3}$/);
  assert.equal(counted?.labels.status_class, "2xx");
  assert.equal(counted?.value, 3);
  const revision = { service: "web", revision: counted?.labels.revision as string };
  const duration = histogramOf(metrics, "portico_service_request_duration_seconds", revision);
  assertCumulative(duration.buckets, duration.count);
  assert.equal(duration.count, 3);
  assert.equal(sampleValue(metrics, "portico_service_instances", { ...revision, state: "idle" }), 1);
  assert.equal(sampleValue(metrics, "portico_service_pending_requests", revision), 0);
});

function assertCumulative(buckets: readonly { le: number; count: number }[], count: number): void {
  assert.ok(buckets.length > 1, "has buckets");
  for (let i = 1; i < buckets.length; i++) {
    assert.ok(
      (buckets[i] as { count: number }).count >= (buckets[i - 1] as { count: number }).count,
      "cumulative",
    );
  }
  const last = buckets.at(-1);
  assert.equal(last?.le, Number.POSITIVE_INFINITY);
  assert.equal(last?.count, count, "+Inf bucket equals _count");
}
