/**
 * The trace headers an instance receives, as Cloud Run sends them: `traceparent` and `X-Cloud-Trace-Context`, in
 * the client's trace when it sent a valid `traceparent` (else a new one), their parent being the proxy's span.
 */
import type { IncomingMessage } from "node:http";
import { firstHeaderValue } from "../http/index.js";
import type { TraceSpanIds } from "../observability/channels.js";
import {
  cloudTraceContext,
  newSpanId,
  newW3cTraceId,
  parseTraceparent,
  traceparent,
} from "../observability/tracing/trace-context.js";
import { traceSampled } from "../observability/tracing/tracing-state.js";

/** The proxy's span of each request in flight, for the request-end event (only kept while it is published). */
export const proxySpans = new WeakMap<IncomingMessage, TraceSpanIds>();

/** The header lines (each ending in CRLF) naming the proxy's span of `request`. */
export function proxyTraceHeaders(request: IncomingMessage, keep: boolean): string {
  const client = parseTraceparent(firstHeaderValue(request.headers.traceparent));
  const traceId = client?.traceId ?? newW3cTraceId(Date.now());
  const sampled = traceSampled(client?.sampled, traceId);
  const spanId = newSpanId();
  if (keep) proxySpans.set(request, { traceId, spanId, parentSpanId: client?.spanId, sampled });
  return `traceparent: ${traceparent(traceId, spanId, sampled)}\r\nx-cloud-trace-context: ${cloudTraceContext(traceId, spanId, sampled)}\r\n`;
}
