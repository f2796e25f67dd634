/** BucketHistogram against prom-client's own Histogram: the same observations give the same exposition. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Histogram, Registry } from "prom-client";
import { BucketHistogram } from "../../../src/observability/metrics/bucket-histogram.js";
import { parsePrometheusText, type Sample } from "../../helpers/prometheus-text.js";

const BUCKETS = [0.005, 0.01, 0.1, 1];
const OBSERVED = [
  { route: "GET /a", values: [0, 0.005, 0.0051, 0.01, 0.5, 1, 2, 1e9] },
  { route: "GET /b", values: [0.002] },
];

async function samples(registry: Registry): Promise<string[]> {
  const key = (sample: Sample) => {
    const labels = Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b));
    return `${sample.name}${JSON.stringify(labels)} ${sample.value}`;
  };
  return parsePrometheusText(await registry.metrics())
    .samples.map(key)
    .sort();
}

test("counts, sums and cumulates buckets as prom-client's Histogram does", async () => {
  const config = { name: "t_seconds", help: "t", labelNames: ["api", "route"], buckets: BUCKETS };
  const ours = new Registry();
  const theirs = new Registry();
  const histogram = new BucketHistogram({ ...config, registers: [ours] });
  const reference = new Histogram({ ...config, registers: [theirs] });
  for (const { route, values } of OBSERVED) {
    const series = histogram.labels({ api: "shop", route });
    for (const value of values) {
      series.observe(value);
      reference.observe({ api: "shop", route }, value);
    }
  }
  const expected = await samples(theirs);
  assert.ok(expected.length > 0);
  assert.deepEqual(await samples(ours), expected);
  const exposition = await ours.metrics();
  assert.match(exposition, /^# TYPE t_seconds histogram$/m);
  assert.match(exposition, /^t_seconds_bucket\{api="shop",route="GET \/a",le="0\.005"\} 2$/m);
  assert.match(exposition, /^t_seconds_bucket\{api="shop",route="GET \/a",le="\+Inf"\} 8$/m);
});

test("the same label values give the same series; a value that is not a number is not counted", async () => {
  const registry = new Registry();
  const histogram = new BucketHistogram({
    name: "u",
    help: "u",
    labelNames: ["fn"],
    buckets: BUCKETS,
    registers: [registry],
  });
  histogram.labels({ fn: "a" }).observe(0.5);
  histogram.labels({ fn: "a" }).observe(Number.NaN);
  histogram.labels({ fn: "a" }).observe(0.5);
  const text = await registry.metrics();
  assert.match(text, /^u_count\{fn="a"\} 2$/m);
  assert.match(text, /^u_sum\{fn="a"\} 1$/m);
  assert.equal(text.match(/^u_count/gm)?.length, 1);
});
