/**
 * The HTTP/1.1 request head an instance receives, as Cloud Run sends it (cloudrun.md §1.8): the client's
 * end-to-end headers as they came, plus X-Forwarded-For/Proto/Host, Forwarded (RFC 7239), traceparent and
 * X-Cloud-Trace-Context, without hop-by-hop headers. Built as one string, written
 * to the connection in one call: names and values were already checked by the gateway's parser. The trace headers
 * name the proxy's span as parent (proxy-trace.ts).
 */
import type { IncomingMessage } from "node:http";
import { clientAddress } from "../http/index.js";
import { serviceRequestEnd } from "../observability/channels.js";
import { proxyTraceHeaders } from "./proxy-trace.js";

/** RFC 9110 §7.6.1 hop-by-hop headers, which describe one connection and are never forwarded. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Not passed on as sent: the forwarding headers are rebuilt below, and `Expect: 100-continue` was
 * already answered by the gateway, which then reads the body on its own.
 */
const REPLACED = new Set([
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "forwarded",
  "expect",
  "traceparent",
  "x-cloud-trace-context",
]);

export interface RequestHead {
  readonly text: string;
  /** The body goes out in chunked framing: the client sent it chunked, so its length is unknown. */
  readonly chunked: boolean;
  readonly hasBody: boolean;
}

export function requestHead(request: IncomingMessage, proto: string): RequestHead {
  const { headers } = request;
  const dropped = connectionTokens(headers.connection);
  const raw = request.rawHeaders;
  let text = `${request.method} ${request.url} HTTP/1.1\r\n`;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (isPassedOn(name.toLowerCase(), dropped)) text += `${name}: ${raw[i + 1]}\r\n`;
  }
  const client = clientAddress(request);
  const host = headers.host;
  text += `x-forwarded-for: ${forwardedFor(request, client)}\r\nx-forwarded-proto: ${proto}\r\n`;
  if (host) text += `x-forwarded-host: ${host}\r\n`;
  text += `forwarded: ${forwarded(request, client, proto)}\r\n`;
  text += proxyTraceHeaders(request, serviceRequestEnd.hasSubscribers);
  const chunked = headers["transfer-encoding"] !== undefined;
  if (chunked) text += "transfer-encoding: chunked\r\n";
  return { text: `${text}\r\n`, chunked, hasBody: chunked || (headers["content-length"] ?? "0") !== "0" };
}

/** Whether the client's header named `lower` (lower-cased) goes to the instance as it came. */
export function isPassedOn(lower: string, dropped: ReadonlySet<string> | undefined): boolean {
  return !(HOP_BY_HOP.has(lower) || REPLACED.has(lower) || dropped?.has(lower));
}

/** X-Forwarded-For: the chain the client sent, if any, then the client. */
export function forwardedFor(request: IncomingMessage, client: string): string {
  const incoming = request.headers["x-forwarded-for"];
  return incoming ? `${incoming}, ${client}` : client;
}

/** Forwarded (RFC 7239): the elements the client sent, if any, then this hop's. */
export function forwarded(request: IncomingMessage, client: string, proto: string): string {
  const { host, forwarded } = request.headers;
  const element = `for=${client.includes(":") ? `"[${client}]"` : client};proto=${proto}${host ? `;host=${host}` : ""}`;
  return forwarded ? `${forwarded}, ${element}` : element;
}

/** Header names a Connection header lists are hop-by-hop too; undefined when it lists none. */
export function connectionTokens(connection: string | string[] | undefined): Set<string> | undefined {
  if (connection === undefined) return undefined;
  const text = Array.isArray(connection) ? connection.join(",") : connection.toLowerCase();
  // The common values name no other header.
  if (text === "keep-alive" || text === "close") return undefined;
  const tokens = new Set<string>();
  for (const token of text.split(",")) {
    const name = token.trim().toLowerCase();
    if (name) tokens.add(name);
  }
  return tokens;
}
