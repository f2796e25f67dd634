/** The header list API Gateway forwards to a Lambda integration, shared by both payload formats. */
import type { GatewayRequest } from "./http-types.js";

/** Receives forwarded headers one at a time; each payload format folds them into its own shape. */
export interface HeaderSink {
  /** `lowerName` is `name` lower-cased. Gateway-added headers arrive with canonical names (`Content-Length`). */
  add(name: string, lowerName: string, value: string): void;
}

/**
 * Client copies of these are dropped: the gateway sets the first five itself, and the hop-by-hop ones
 * (RFC 9110 §7.6.1) describe the client's connection, which a proxy must not forward.
 */
const GATEWAY_OWNED = new Set([
  "content-length",
  "x-amzn-trace-id",
  "x-forwarded-for",
  "x-forwarded-port",
  "x-forwarded-proto",
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Feeds `sink` the client's headers in arrival order, then the ones the gateway adds: `Content-Length` (also `0`
 * without a body), `X-Amzn-Trace-Id`, `X-Forwarded-For` (incoming list plus the source IP), `-Port` and `-Proto`.
 */
export function forwardRequestHeaders(request: GatewayRequest, sink: HeaderSink): void {
  let incomingForwardedFor: string | undefined;
  for (const [name, value] of request.headers) {
    const lowerName = name.toLowerCase();
    if (!GATEWAY_OWNED.has(lowerName)) {
      sink.add(name, lowerName, value);
    } else if (lowerName === "x-forwarded-for") {
      incomingForwardedFor = incomingForwardedFor === undefined ? value : `${incomingForwardedFor}, ${value}`;
    }
  }
  const contentLength = request.body === null ? "0" : String(request.body.length);
  sink.add("Content-Length", "content-length", contentLength);
  sink.add("X-Amzn-Trace-Id", "x-amzn-trace-id", request.traceId);
  const forwardedFor =
    incomingForwardedFor === undefined ? request.sourceIp : `${incomingForwardedFor}, ${request.sourceIp}`;
  sink.add("X-Forwarded-For", "x-forwarded-for", forwardedFor);
  sink.add("X-Forwarded-Port", "x-forwarded-port", request.forwardedPort);
  sink.add("X-Forwarded-Proto", "x-forwarded-proto", request.forwardedProto);
}
