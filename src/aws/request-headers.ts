/** The header list API Gateway forwards to a Lambda integration, shared by every event format. */
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
 * When the gateway sends `Content-Length`: HTTP APIs `always`, `0` for a request without a body (captured GETs);
 * REST APIs only `with-body` (a captured bodiless REST POST has none, though its authorizer saw the client's `0`).
 */
export type ContentLengthRule = "always" | "with-body";

/**
 * Feeds `sink` the client's headers in arrival order, then the ones the gateway adds: `Content-Length` (see
 * ContentLengthRule), `X-Amzn-Trace-Id`, `X-Forwarded-For` (incoming list plus the source IP), `-Port` and `-Proto`.
 */
export function forwardRequestHeaders(
  request: GatewayRequest,
  sink: HeaderSink,
  contentLength: ContentLengthRule,
): void {
  let incomingForwardedFor: string | undefined;
  for (const [name, value] of request.headers) {
    const lowerName = name.toLowerCase();
    if (!GATEWAY_OWNED.has(lowerName)) {
      sink.add(name, lowerName, value);
    } else if (lowerName === "x-forwarded-for") {
      incomingForwardedFor = incomingForwardedFor === undefined ? value : `${incomingForwardedFor}, ${value}`;
    }
  }
  if (request.body !== null) {
    sink.add("Content-Length", "content-length", String(request.body.length));
  } else if (contentLength === "always") {
    sink.add("Content-Length", "content-length", "0");
  }
  sink.add("X-Amzn-Trace-Id", "x-amzn-trace-id", request.traceId);
  const forwardedFor =
    incomingForwardedFor === undefined ? request.sourceIp : `${incomingForwardedFor}, ${request.sourceIp}`;
  sink.add("X-Forwarded-For", "x-forwarded-for", forwardedFor);
  sink.add("X-Forwarded-Port", "x-forwarded-port", request.forwardedPort);
  sink.add("X-Forwarded-Proto", "x-forwarded-proto", request.forwardedProto);
}
