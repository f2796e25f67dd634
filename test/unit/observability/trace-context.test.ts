import assert from "node:assert/strict";
import { describe, test } from "node:test";
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
    const trace = requestTrace(`00-${TRACE}-${SPAN}-01`, undefined, Date.now(), false);
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
      false,
    );
    assert.equal(fromXray.traceId, TRACE);
    assert.equal(fromXray.parentSpanId, SPAN);
    const at = Date.UTC(2016, 11, 1, 18, 0, 0);
    const fresh = requestTrace(`00-${"0".repeat(32)}-${SPAN}-01`, undefined, at, true);
    assert.match(fresh.traceId, /^58406520/);
    assert.equal(fresh.parentSpanId, undefined);
    assert.equal(fresh.sampled, true);
    assert.equal(requestTrace(undefined, undefined, at, false).sampled, false);
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
