/**
 * The request headers an instance receives, as Cloud Run sends them (cloudrun.md §1.8): the client's own
 * end-to-end headers, plus X-Forwarded-For/Proto/Host, Forwarded (RFC 7239) and a traceparent when the
 * client sent none; hop-by-hop headers (RFC 9110 §7.6.1, and any the Connection header names) removed.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { clientAddress } from "../http/index.js";

const HOP_BY_HOP = new Set([
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

export function isHopByHop(name: string, connectionTokens: ReadonlySet<string>): boolean {
  return HOP_BY_HOP.has(name) || connectionTokens.has(name);
}

export function forwardedHeaders(request: IncomingMessage, proto: string): Record<string, string | string[]> {
  const raw = request.rawHeaders;
  const dropped = connectionTokens(request.headers.connection);
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (isHopByHop(name, dropped)) continue;
    const value = raw[i + 1] as string;
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else headers[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const client = clientAddress(request);
  const host = request.headers.host;
  const incomingFor = request.headers["x-forwarded-for"];
  headers["x-forwarded-for"] = incomingFor ? `${incomingFor}, ${client}` : client;
  headers["x-forwarded-proto"] = proto;
  if (host) headers["x-forwarded-host"] = host;
  const forwardedFor = client.includes(":") ? `"[${client}]"` : client;
  const element = `for=${forwardedFor};proto=${proto}${host ? `;host=${host}` : ""}`;
  headers.forwarded = request.headers.forwarded ? `${request.headers.forwarded}, ${element}` : element;
  if (!request.headers.traceparent) {
    headers.traceparent = `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-00`;
  }
  return headers;
}

/** Headers named in a Connection header are hop-by-hop too. */
export function connectionTokens(connection: string | string[] | undefined): Set<string> {
  if (connection === undefined) return new Set();
  const text = Array.isArray(connection) ? connection.join(",") : connection;
  return new Set(
    text
      .split(",")
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}
