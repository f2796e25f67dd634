/** Writes an answer the gateway has settled on, with the API kind's id headers and the CORS headers it earned. */
import type { ServerResponse } from "node:http";
import {
  type ApiKindRules,
  type HttpResponse,
  newApiGatewayRequestId,
  newTraceId,
  type RequestIds,
} from "../aws/index.js";
import { type HeaderPairs, isCorsHeader } from "./cors.js";

/**
 * `dropIntegrationCors`: the API has a CORS policy, so the function's own `Access-Control-*` headers go. Returns
 * the body's length in bytes.
 */
export function sendAnswer(
  response: ServerResponse,
  answer: HttpResponse,
  rules: ApiKindRules,
  ids: RequestIds,
  cors: HeaderPairs,
  dropIntegrationCors = false,
): number {
  const headers: string[] = [];
  for (const [name, value] of answer.headers) {
    if (dropIntegrationCors && isCorsHeader(name)) continue;
    headers.push(name, value);
  }
  for (const [name, value] of cors) headers.push(name, value);
  rules.appendIdHeaders(headers, ids);
  const body = answer.body;
  const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  headers.push("Content-Length", String(length));
  response.writeHead(answer.statusCode, headers);
  response.end(response.req.method === "HEAD" ? undefined : body);
  return length;
}

/**
 * Ids for a request no API's rules apply to (an unknown host, or a failure of the gateway itself), or, given
 * `rules`, for one a kind of API answers before any one API is chosen. `traceId`: the request's X-Ray root, when
 * its trace is known.
 */
export function gatewayIds(receivedAt: number, rules?: ApiKindRules, traceId?: string): RequestIds {
  const extendedRequestId = newApiGatewayRequestId();
  const requestId = rules === undefined ? extendedRequestId : rules.newRequestId(extendedRequestId);
  return { requestId, extendedRequestId, traceId: traceId ?? newTraceId(receivedAt) };
}
