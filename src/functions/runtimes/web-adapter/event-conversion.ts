/**
 * API Gateway events to HTTP requests and HTTP responses to Lambda responses, as AWS's Lambda Web Adapter
 * converts them: payload 2.0 (HTTP APIs) and 1.0 (REST APIs, HTTP APIs' 1.0 routes).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";

type Json = Record<string, unknown>;

export interface AppRequest {
  readonly method: string;
  /** Path and query string. */
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
}

export interface AppResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Connection-level headers: they describe the hop to the app, not the answer. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade"]);

export function requestOf(event: Json): AppRequest {
  const context = (event.requestContext ?? {}) as Json;
  const body =
    typeof event.body === "string"
      ? Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8")
      : Buffer.alloc(0);
  const headers: OutgoingHttpHeaders = { "x-amzn-request-context": JSON.stringify(context) };
  if (event.version === "2.0") {
    Object.assign(headers, event.headers as Json | undefined);
    const cookies = event.cookies as string[] | undefined;
    if (cookies !== undefined && cookies.length > 0) headers.cookie = cookies.join("; ");
    const query =
      typeof event.rawQueryString === "string" && event.rawQueryString !== ""
        ? `?${event.rawQueryString}`
        : "";
    const http = (context.http ?? {}) as Json;
    return {
      method: String(http.method ?? "GET"),
      path: `${String(event.rawPath ?? "/")}${query}`,
      headers,
      body,
    };
  }
  const multi = (event.multiValueHeaders ?? {}) as Record<string, string[]>;
  for (const [name, value] of Object.entries((event.headers ?? {}) as Record<string, string>))
    headers[name] = value;
  for (const [name, values] of Object.entries(multi)) headers[name] = values.join(", ");
  return {
    method: String(event.httpMethod ?? "GET"),
    path: `${String(event.path ?? "/")}${queryOf(event)}`,
    headers,
    body,
  };
}

/** A 1.0 event's query string, rebuilt from its (already decoded) parameters. */
function queryOf(event: Json): string {
  const multi = event.multiValueQueryStringParameters as Record<string, string[]> | null | undefined;
  const single = event.queryStringParameters as Record<string, string> | null | undefined;
  const pairs = multi
    ? Object.entries(multi).flatMap(([name, values]) =>
        values.map((value): [string, string] => [name, value]),
      )
    : Object.entries(single ?? {});
  return pairs.length === 0 ? "" : `?${new URLSearchParams(pairs).toString()}`;
}

export function lambdaResponse(event: Json, response: AppResponse): Json {
  const binary = !isText(response.headers);
  const body = response.body.toString(binary ? "base64" : "utf8");
  const kept = Object.entries(response.headers).filter(
    ([name, value]) => value !== undefined && !HOP_BY_HOP.has(name),
  ) as [string, string | string[]][];
  if (event.version === "2.0") {
    const cookies = kept.filter(([name]) => name === "set-cookie").flatMap(([, value]) => value);
    const headers = Object.fromEntries(
      kept
        .filter(([name]) => name !== "set-cookie")
        .map(([name, value]) => [name, [value].flat().join(", ")]),
    );
    return {
      statusCode: response.statusCode,
      headers,
      ...(cookies.length > 0 ? { cookies } : {}),
      body,
      isBase64Encoded: binary,
    };
  }
  return {
    statusCode: response.statusCode,
    multiValueHeaders: Object.fromEntries(kept.map(([name, value]) => [name, [value].flat()])),
    body,
    isBase64Encoded: binary,
  };
}

/** Text travels as is; anything compressed, or of a type that is not text, travels base64-encoded. */
function isText(headers: IncomingHttpHeaders): boolean {
  if (headers["content-encoding"] !== undefined) return false;
  const type = headers["content-type"]?.toLowerCase();
  if (type === undefined) return true;
  return /^text\/|json|xml|javascript|x-www-form-urlencoded/.test(type);
}
