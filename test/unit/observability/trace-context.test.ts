import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PorticoError } from "../../../src/model/index.js";
import {
  cloudTraceContext,
  newSpanId,
  newW3cTraceId,
  parseTraceparent,
  parseXrayHeader,
  requestTrace,
  traceparent,
  xrayHeader,
  xrayRoot,
} from "../../../src/observability/tracing/trace-context.js";
import { type TraceSampler, traceSamplerFromEnv } from "../../../src/observability/tracing/trace-sampler.js";
import { tracingState } from "../../../src/observability/tracing/tracing-state.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

describe("parseTraceparent", () => {
  test("reads a valid version 00 header", () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-01`), {
      traceId: TRACE,
      spanId: SPAN,
      sampled: true,
    });
    assert.equal(parseTraceparent(`00-${TRACE}-${SPAN}-00`)?.sampled, false);
    // Only bit 0 of the flags means sampled.
    assert.equal(parseTraceparent(`00-${TRACE}-${SPAN}-03`)?.sampled, true);
    assert.equal(parseTraceparent(`00-${TRACE}-${SPAN}-02`)?.sampled, false);
  });

  test("refuses what the spec calls invalid", () => {
    const invalid = [
      undefined,
      "",
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `00-${"0".repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${"0".repeat(16)}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
      `00-${TRACE}-${SPAN}-0`,
      `ff-${TRACE}-${SPAN}-01`,
      `0g-${TRACE}-${SPAN}-01`,
      `00_${TRACE}-${SPAN}-01`,
      `00-${TRACE.slice(1)}x-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-zz`,
    ];
    for (const value of invalid) assert.equal(parseTraceparent(value), undefined, String(value));
  });

  test("reads a later version by its first fields", () => {
    assert.equal(parseTraceparent(`01-${TRACE}-${SPAN}-01-more`)?.traceId, TRACE);
    assert.equal(parseTraceparent(`01-${TRACE}-${SPAN}-01`)?.traceId, TRACE);
    assert.equal(parseTraceparent(`01-${TRACE}-${SPAN}-01x`), undefined);
  });
});

describe("X-Ray forms", () => {
  test("the root splits the W3C id after 8 hex digits", () => {
    assert.equal(xrayRoot(TRACE), "Root=1-4bf92f35-77b34da6a3ce929d0e0e4736");
    assert.equal(
      xrayHeader(TRACE, SPAN, true),
      `Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=${SPAN};Sampled=1`,
    );
    assert.equal(xrayHeader(TRACE, SPAN, false).endsWith(";Sampled=0"), true);
  });

  test("parses an X-Amzn-Trace-Id back to the W3C ids", () => {
    assert.deepEqual(parseXrayHeader(xrayHeader(TRACE, SPAN, true)), {
      traceId: TRACE,
      spanId: SPAN,
      sampled: true,
    });
    assert.deepEqual(parseXrayHeader("Root=1-5759e988-bd862e3fe1be46a994272793"), {
      traceId: "5759e988bd862e3fe1be46a994272793",
      spanId: undefined,
      sampled: false,
    });
    assert.equal(parseXrayHeader("Root=2-5759e988-bd862e3fe1be46a994272793"), undefined);
    assert.equal(parseXrayHeader("Self=1-5759e988-bd862e3fe1be46a994272793"), undefined);
    assert.equal(parseXrayHeader(undefined), undefined);
  });

  test("a new trace id starts with the epoch seconds", () => {
    const id = newW3cTraceId(Date.UTC(2016, 11, 1, 18, 0, 0));
    assert.match(id, /^58406520[0-9a-f]{24}$/);
    assert.notEqual(newW3cTraceId(0), newW3cTraceId(0));
    assert.match(newSpanId(), /^[0-9a-f]{16}$/);
  });
});

describe("requestTrace", () => {
  test("keeps a valid client traceparent, with a new gateway span", () => {
    const trace = requestTrace(`00-${TRACE}-${SPAN}-01`, undefined, Date.now());
    assert.equal(trace.traceId, TRACE);
    assert.equal(trace.parentSpanId, SPAN);
    assert.equal(trace.sampled, true);
    assert.notEqual(trace.spanId, SPAN);
  });

  test("falls back to the client's X-Amzn-Trace-Id, then to a new trace", () => {
    const fromXray = requestTrace(
      "garbage",
      `Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=${SPAN};Sampled=1`,
      0,
    );
    assert.equal(fromXray.traceId, TRACE);
    assert.equal(fromXray.parentSpanId, SPAN);
    const at = Date.UTC(2016, 11, 1, 18, 0, 0);
    const fresh = requestTrace(`00-${"0".repeat(32)}-${SPAN}-01`, undefined, at);
    assert.match(fresh.traceId, /^58406520/);
    assert.equal(fresh.parentSpanId, undefined);
    assert.equal(fresh.sampled, false, "not sampled while nothing exports spans");
    tracingState.sampler = traceSamplerFromEnv({});
    try {
      assert.equal(requestTrace(undefined, undefined, at).sampled, true, "sampled once spans are exported");
      assert.equal(
        requestTrace(`00-${TRACE}-${SPAN}-00`, undefined, at).sampled,
        false,
        "the client said no",
      );
    } finally {
      tracingState.sampler = undefined;
    }
  });
});

describe("OTEL_TRACES_SAMPLER", () => {
  const ids = Array.from({ length: 2000 }, () => newW3cTraceId(Date.now()));
  const share = (sampler: TraceSampler, parent?: boolean) =>
    ids.filter((id) => sampler(parent, id)).length / ids.length;

  test("parentbased_always_on by default: a client's flag wins, new traces are sampled", () => {
    const sampler = traceSamplerFromEnv({});
    assert.equal(share(sampler), 1);
    assert.equal(share(sampler, false), 0);
    assert.equal(share(sampler, true), 1);
  });

  test("always_off and always_on ignore the client's flag; parentbased_always_off follows it", () => {
    assert.equal(share(traceSamplerFromEnv({ OTEL_TRACES_SAMPLER: "always_off" }), true), 0);
    assert.equal(share(traceSamplerFromEnv({ OTEL_TRACES_SAMPLER: "always_on" }), false), 1);
    const parentOff = traceSamplerFromEnv({ OTEL_TRACES_SAMPLER: "parentbased_always_off" });
    assert.equal(share(parentOff), 0);
    assert.equal(share(parentOff, true), 1);
  });

  test("traceidratio samples about its share, the same answer for the same trace id", () => {
    const quarter = traceSamplerFromEnv({
      OTEL_TRACES_SAMPLER: "traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
    });
    const measured = share(quarter, true);
    assert.ok(measured > 0.18 && measured < 0.32, `sampled ${measured}`);
    for (const id of ids.slice(0, 50)) assert.equal(quarter(undefined, id), quarter(undefined, id));
    assert.equal(
      share(traceSamplerFromEnv({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0" })),
      0,
    );
    const parentRatio = traceSamplerFromEnv({
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0",
    });
    assert.equal(share(parentRatio, true), 1, "a sampled client's trace stays sampled");
  });

  test("a bad ratio says what a ratio is", () => {
    assert.throws(
      () => traceSamplerFromEnv({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "half" }),
      (error: unknown) =>
        error instanceof PorticoError &&
        error.isUserError &&
        /OTEL_TRACES_SAMPLER_ARG=half is not a ratio: give a number from 0 to 1/.test(error.message),
    );
  });
});

describe("service headers", () => {
  test("traceparent names the given span", () => {
    assert.equal(traceparent(TRACE, SPAN, true), `00-${TRACE}-${SPAN}-01`);
    assert.equal(traceparent(TRACE, SPAN, false), `00-${TRACE}-${SPAN}-00`);
  });

  test("X-Cloud-Trace-Context carries the span id in decimal", () => {
    assert.equal(cloudTraceContext(TRACE, SPAN, true), `${TRACE}/${BigInt(`0x${SPAN}`)};o=1`);
    assert.equal(cloudTraceContext(TRACE, "ffffffffffffffff", false), `${TRACE}/18446744073709551615;o=0`);
    assert.equal(cloudTraceContext(TRACE, "0000000000000001", true), `${TRACE}/1;o=1`);
  });
});
