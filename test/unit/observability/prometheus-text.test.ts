/** The tests' Prometheus text parser: labels with escapes, special values, histogram series. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { histogramOf, parsePrometheusText, sampleValue } from "../../helpers/prometheus-text.js";

test("labels are unescaped and special values parsed", () => {
  const text = parsePrometheusText(
    [
      "# HELP x_total A counter",
      "# TYPE x_total counter",
      'x_total{route="GET /a{b}",path="q\\"uote \\\\ back\\nline"} 3',
      "y 1.5e+3",
      'z{a="1"} NaN',
      "w Nan",
      "",
    ].join("\n"),
  );
  assert.equal(text.types.get("x_total"), "counter");
  assert.deepEqual(text.samples[0]?.labels, { route: "GET /a{b}", path: 'q"uote \\ back\nline' });
  assert.equal(sampleValue(text, "x_total", { route: "GET /a{b}", path: 'q"uote \\ back\nline' }), 3);
  assert.equal(sampleValue(text, "y"), 1500);
  assert.ok(Number.isNaN(sampleValue(text, "z", { a: "1" })));
  assert.ok(Number.isNaN(sampleValue(text, "w")));
  assert.equal(sampleValue(text, "absent"), 0);
  assert.throws(() => parsePrometheusText('bad{a="1} 2'));
});

test("a histogram's buckets come back in order of le, with +Inf, _count and _sum", () => {
  const text = parsePrometheusText(
    [
      'h_bucket{le="+Inf",f="a"} 3',
      'h_bucket{le="0.1",f="a"} 1',
      'h_bucket{le="1",f="a"} 2',
      'h_bucket{le="1",f="b"} 9',
      'h_count{f="a"} 3',
      'h_sum{f="a"} 1.25',
    ].join("\n"),
  );
  assert.deepEqual(histogramOf(text, "h", { f: "a" }), {
    buckets: [
      { le: 0.1, count: 1 },
      { le: 1, count: 2 },
      { le: Number.POSITIVE_INFINITY, count: 3 },
    ],
    count: 3,
    sum: 1.25,
  });
});
