/**
 * Forwards one client request to a service instance over a keep-alive connection pool, streaming the
 * body both ways (SSE and chunked answers flow as written), with the headers Cloud Run adds
 * (X-Forwarded-*, Forwarded, traceparent) and without hop-by-hop headers.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { Pool } from "undici";
import { clientAddress } from "../http/index.js";

/** RFC 9110 §7.6.1 hop-by-hop headers, which describe one connection and are never forwarded. */
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

/** Cloud Run's wording for the answers the platform itself gives (cloudrun.md §1.9). */
export const PLATFORM_MESSAGES = {
  timeout: "The request has been terminated because it has reached the maximum request timeout.",
  connectionError:
    "The request failed because either the HTTP response was malformed or connection to the instance had an error.",
} as const;

export interface ProxyOptions {
  /** Scheme the client used to reach Portico. */
  readonly forwardedProto: string;
  /** Milliseconds the whole request may take (the service's request timeout). */
  readonly timeoutMs: number;
}

/** Keep-alive connections to one instance; `close` waits for requests in flight, `destroy` cuts them. */
export type InstanceConnections = Pool;

/** A pool of keep-alive connections to one instance. */
export function connectionPool(port: number, connections: number): InstanceConnections {
  return new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
}

/**
 * Proxies `request` to `pool`. A failure before the answer started becomes Cloud Run's 503 or 504;
 * after it, the client connection is cut.
 */
export async function proxyRequest(
  pool: InstanceConnections,
  request: IncomingMessage,
  response: ServerResponse,
  options: ProxyOptions,
): Promise<void> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const upstream = await pool.request({
      method: request.method as "GET",
      path: request.url ?? "/",
      headers: forwardedHeaders(request, options.forwardedProto),
      body: hasBody(request) ? request : null,
      signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    response.writeHead(upstream.statusCode, responseHeaders(upstream.headers));
    response.flushHeaders();
    await pipeline(upstream.body, response);
  } catch {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const text = `${signal.aborted ? PLATFORM_MESSAGES.timeout : PLATFORM_MESSAGES.connectionError}\n`;
    response.writeHead(signal.aborted ? 504 : 503, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
    });
    response.end(text);
  }
}

function hasBody(request: IncomingMessage): boolean {
  const { headers } = request;
  return headers["transfer-encoding"] !== undefined || (headers["content-length"] ?? "0") !== "0";
}

function forwardedHeaders(request: IncomingMessage, proto: string): Record<string, string | string[]> {
  const raw = request.rawHeaders;
  const dropped = connectionTokens(request.headers.connection);
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(name) || dropped.has(name)) continue;
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

function responseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const dropped = connectionTokens(headers.connection);
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name)) continue;
    result[name] = value;
  }
  return result;
}

/** Headers named in a Connection header are hop-by-hop too. */
function connectionTokens(connection: string | string[] | undefined): Set<string> {
  if (connection === undefined) return new Set();
  const text = Array.isArray(connection) ? connection.join(",") : connection;
  return new Set(
    text
      .split(",")
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}
