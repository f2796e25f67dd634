/**
 * The trace a gateway request belongs to (W3C Trace Context), and the forms it travels in: `traceparent`, X-Ray's
 * `Root=1-…;Parent=…;Sampled=…` for functions, and Cloud Run's `X-Cloud-Trace-Context` for services. Computed for
 * every request whether or not spans are exported, so each step is a few string slices.
 */
import { randomFillSync } from "node:crypto";
import { traceSampled } from "./tracing-state.js";

export interface TraceContext {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** The caller's span (the client's `traceparent` parent id), when it sent one. */
  readonly parentSpanId: string | undefined;
  /** The gateway's span for this request: 16 lowercase hex digits. */
  readonly spanId: string;
  readonly sampled: boolean;
}

/** Random bytes drawn in bulk: one system call per few hundred ids. */
const pool = Buffer.allocUnsafeSlow(4096);
let poolAt = pool.length;

function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += bytes;
  return pool.toString("hex", at, at + bytes);
}

const ZERO_SPAN = "0000000000000000";
const ZERO_TRACE = "00000000000000000000000000000000";

/** A new span id: 16 hex digits, never all zeros. */
export function newSpanId(): string {
  const id = randomHex(8);
  return id === ZERO_SPAN ? newSpanId() : id;
}

/** A new trace id whose first 8 hex digits are the epoch seconds, so its X-Ray form reads as X-Ray's own ids do. */
export function newW3cTraceId(epochMs: number): string {
  return (
    Math.floor(epochMs / 1000)
      .toString(16)
      .padStart(8, "0") + randomHex(12)
  );
}

const HEX = /^[0-9a-f]+$/;

/**
 * A `traceparent` header parsed strictly (W3C Trace Context §3.2): version 00 is exactly
 * `00-{32 hex}-{16 hex}-{2 hex}` in lowercase; a later version (not `ff`) is read by its first four fields; ids of
 * all zeros are invalid. Undefined when invalid: the gateway then starts a new trace.
 */
export function parseTraceparent(
  value: string | undefined,
): { traceId: string; spanId: string; sampled: boolean } | undefined {
  if (value === undefined || value.length < 55) return undefined;
  const version = value.slice(0, 2);
  if (version === "ff" || !HEX.test(version)) return undefined;
  if (version === "00" ? value.length !== 55 : value.length > 55 && value[55] !== "-") return undefined;
  if (value[2] !== "-" || value[35] !== "-" || value[52] !== "-") return undefined;
  const traceId = value.slice(3, 35);
  const spanId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (!HEX.test(traceId) || !HEX.test(spanId) || !HEX.test(flags)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

const XRAY_ROOT = /(?:^|;)\s*Root=1-([0-9a-fA-F]{8})-([0-9a-fA-F]{24})(?:;|$)/;
const XRAY_PARENT = /(?:^|;)\s*Parent=([0-9a-fA-F]{16})(?:;|$)/;
const XRAY_SAMPLED = /(?:^|;)\s*Sampled=1(?:;|$)/;

/** An `X-Amzn-Trace-Id` header's trace, parent and sampling decision; undefined without a valid Root. */
export function parseXrayHeader(
  value: string | undefined,
): { traceId: string; spanId: string | undefined; sampled: boolean } | undefined {
  if (value === undefined) return undefined;
  const root = XRAY_ROOT.exec(value);
  if (root === null) return undefined;
  const traceId = `${root[1]}${root[2]}`.toLowerCase();
  if (traceId === ZERO_TRACE) return undefined;
  const parent = XRAY_PARENT.exec(value)?.[1]?.toLowerCase();
  return { traceId, spanId: parent === ZERO_SPAN ? undefined : parent, sampled: XRAY_SAMPLED.test(value) };
}

/**
 * The request's trace: the client's `traceparent` when valid, else its `X-Amzn-Trace-Id` (API Gateway keeps a
 * trace header the request already has), else a new trace; sampled as the tracing sampler decides.
 */
export function requestTrace(
  traceparent: string | undefined,
  amznTraceId: string | undefined,
  receivedAt: number,
): TraceContext {
  const client = parseTraceparent(traceparent) ?? parseXrayHeader(amznTraceId);
  if (client !== undefined) {
    return {
      traceId: client.traceId,
      parentSpanId: client.spanId,
      spanId: newSpanId(),
      sampled: traceSampled(client.sampled, client.traceId),
    };
  }
  const traceId = newW3cTraceId(receivedAt);
  return { traceId, parentSpanId: undefined, spanId: newSpanId(), sampled: traceSampled(undefined, traceId) };
}

/** X-Ray's trace id: `Root=1-{first 8 hex}-{remaining 24 hex}`. */
export function xrayRoot(traceId: string): string {
  return `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}

/** The X-Ray header a function sees (`_X_AMZN_TRACE_ID`, `Lambda-Runtime-Trace-Id`), its parent being `spanId`. */
export function xrayHeader(traceId: string, spanId: string, sampled: boolean): string {
  return `${xrayRoot(traceId)};Parent=${spanId};Sampled=${sampled ? 1 : 0}`;
}

/** W3C `traceparent` naming `spanId` as the parent. */
export function traceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}

/** Cloud Run's `X-Cloud-Trace-Context`: `TRACE_ID/SPAN_ID;o=1|0`, the span id in decimal. */
export function cloudTraceContext(traceId: string, spanId: string, sampled: boolean): string {
  return `${traceId}/${BigInt(`0x${spanId}`).toString(10)};o=${sampled ? 1 : 0}`;
}

/** A `traceparent` for a new, unsampled trace. */
export function newTraceparent(): string {
  return traceparent(newW3cTraceId(Date.now()), newSpanId(), false);
}
