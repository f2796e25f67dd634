/**
 * The data plane: one node:http server that takes a request through host dispatch, stage and route
 * selection, CORS, the Lambda integration and response mapping, answering exactly as an HTTP API or a REST
 * API does (each CompiledApi carries its kind's rules). The deployment it serves is swapped in one
 * assignment; requests in flight finish on the one they began on.
 */
import { createServer, type IncomingMessage, type Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import {
  type ApiKindRules,
  type GatewayRequest,
  HTTP_API,
  type HttpResponse,
  newApiGatewayRequestId,
  newTraceId,
  type RequestIds,
  type RouteContext,
} from "../aws/index.js";
import { clientAddress, listen } from "../http/index.js";
import { AWS_ACCOUNT_ID } from "../model/index.js";
import type { CompiledApi, CompiledRoute, CompiledStage } from "./compiled-api.js";
import { type HeaderPairs, isCorsHeader } from "./cors.js";
import { HostDispatch, hostName } from "./host-dispatch.js";
import type { IntegrationOutcome } from "./integration.js";
import type { ServiceBackend } from "./service-backend.js";

/** API Gateway's payload quota (HTTP and REST APIs). */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** Where the gateway reports what only an operator should see (malformed responses, failures). */
export type GatewayLog = (message: string) => void;

export class GatewayServer {
  readonly #server: Server;
  readonly #log: GatewayLog;
  #hosts = new HostDispatch([]);
  #port = "0";

  constructor(log: GatewayLog) {
    this.#log = log;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        this.#log(
          `gateway: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
        );
        if (!response.headersSent) {
          this.#send(response, HTTP_API.responses.integrationFailed(), HTTP_API, newIds(Date.now()), []);
        } else response.destroy();
      });
    });
    this.#server.keepAliveTimeout = 65_000;
    this.#server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#upgrade(request, socket, head),
    );
  }

  /** Serves these APIs and services from now on. */
  deploy(apis: readonly CompiledApi[], services: readonly ServiceBackend[] = []): void {
    this.#hosts = new HostDispatch(apis, services);
  }

  async listen(port: number, host: string): Promise<number> {
    const actual = await listen(this.#server, port, host);
    this.#port = String(actual);
    return actual;
  }

  async close(): Promise<void> {
    // Connections busy now close as soon as their last answer is sent, not after the keep-alive time.
    this.#server.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }

  /**
   * Upgrades (WebSockets) pass through to services. APIs do not upgrade: their request is answered as
   * a plain one, as API Gateway does, on a connection that then closes.
   */
  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    const target = this.#hosts.resolve(request.headers.host);
    if (target && "service" in target) {
      target.service.upgrade(request, socket, head, target.tag).catch((error: unknown) => {
        this.#log(`gateway: upgrade failed: ${error instanceof Error ? error.message : error}`);
        socket.destroy();
      });
      return;
    }
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    response.assignSocket(socket as Socket);
    response.once("finish", () => socket.end());
    this.#server.emit("request", request, response);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = this.#hosts.resolve(request.headers.host);
    if (target && "service" in target) return target.service.handle(request, response, target.tag);
    const receivedAt = Date.now();
    // A Host that names no API (possible with none or several): no API's rules apply, so answer as HTTP APIs do.
    if (!target) return this.#send(response, HTTP_API.responses.noRoute(), HTTP_API, newIds(receivedAt), []);
    const { api } = target;
    const { rules } = api;
    const extendedRequestId = newApiGatewayRequestId();
    const ids: RequestIds = {
      requestId: rules.newRequestId(extendedRequestId),
      extendedRequestId,
      traceId: newTraceId(receivedAt),
    };

    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
    const { stage, routePath } = selectStage(api, rawPath);
    const method = request.method ?? "GET";
    const origin = request.headers.origin;
    const match = api.match(method, routePath);
    if (!match) {
      if (method === "OPTIONS" && api.cors) {
        return this.#send(
          response,
          { statusCode: 204, headers: [], body: "" },
          rules,
          ids,
          api.cors.preflightHeaders(origin),
        );
      }
      return this.#send(response, rules.responses.noRoute(), rules, ids, corsHeaders(api, origin));
    }
    const route = api.routes.get(match.route) as CompiledRoute;

    const declaredLength = Number(request.headers["content-length"] ?? 0);
    if (declaredLength > MAX_REQUEST_BODY_BYTES) {
      return this.#send(response, rules.responses.payloadTooLarge(), rules, ids, corsHeaders(api, origin));
    }
    const body = await readBody(request);
    if (body === "too-large") {
      return this.#send(response, rules.responses.payloadTooLarge(), rules, ids, corsHeaders(api, origin));
    }

    const gatewayRequest: GatewayRequest = {
      method,
      path: decodePath(rawPath),
      rawQueryString: queryStart < 0 ? "" : url.slice(queryStart + 1),
      headers: pairHeaders(request.rawHeaders),
      body,
      sourceIp: clientAddress(request),
      receivedAt,
      requestId: ids.requestId,
      extendedRequestId,
      traceId: ids.traceId,
      forwardedProto: "http",
      forwardedPort: this.#port,
    };
    const domainName = request.headers.host ? hostName(request.headers.host) : "localhost";
    const routeContext: RouteContext = {
      routeKey: route.spec.routeKey,
      resourcePath: route.resourcePath,
      resourceId: route.resourceId,
      pathParameters: match.pathParameters,
      stage: stage.name,
      stagePath: stage.pathPrefix,
      stageVariables: stage.variables,
      apiId: api.spec.apiId,
      deploymentId: api.deploymentId,
      accountId: AWS_ACCOUNT_ID,
      domainName,
      domainPrefix: domainName.split(".", 1)[0] as string,
    };
    const event = route.buildEvent(gatewayRequest, routeContext);

    const outcome = await invokeWithin(route, JSON.stringify(event), gatewayRequest.traceId);
    const answer = this.#answer(rules, route, outcome);
    this.#send(response, answer, rules, ids, corsHeaders(api, origin), api.cors !== null);
  }

  /** Maps the integration's outcome to the client's response, as the API's kind does. */
  #answer(rules: ApiKindRules, route: CompiledRoute, outcome: IntegrationOutcome | "timeout"): HttpResponse {
    const name = route.spec.functionName;
    if (outcome === "timeout") {
      const answer = rules.responses.integrationTimedOut();
      this.#log(`${name}: integration timed out after ${route.timeoutMs} ms; answered ${answer.statusCode}`);
      return answer;
    }
    if (outcome.type === "error") {
      if (outcome.errorType === "RequestTooLargeException") return rules.responses.payloadTooLarge();
      return rules.responses.integrationFailed();
    }
    const mapped = route.mapResponse(outcome.payload);
    if (!mapped.ok) {
      const answer = rules.responses.integrationFailed();
      this.#log(`${name}: malformed Lambda proxy response (${mapped.reason}); answered ${answer.statusCode}`);
      return answer;
    }
    return mapped.response;
  }

  #send(
    response: ServerResponse,
    answer: HttpResponse,
    rules: ApiKindRules,
    ids: RequestIds,
    cors: HeaderPairs,
    dropIntegrationCors = false,
  ): void {
    const headers: string[] = [];
    for (const [name, value] of answer.headers) {
      if (dropIntegrationCors && isCorsHeader(name)) continue;
      headers.push(name, value);
    }
    for (const [name, value] of cors) headers.push(name, value);
    rules.appendIdHeaders(headers, ids);
    const body = answer.body;
    headers.push("Content-Length", String(typeof body === "string" ? Buffer.byteLength(body) : body.length));
    response.writeHead(answer.statusCode, headers);
    response.end(response.req.method === "HEAD" ? undefined : body);
  }
}

function selectStage(api: CompiledApi, rawPath: string): { stage: CompiledStage; routePath: string } {
  if (api.namedStages.size > 0) {
    const end = rawPath.indexOf("/", 1);
    const first = end < 0 ? rawPath.slice(1) : rawPath.slice(1, end);
    const stage = api.namedStages.get(first);
    if (stage) return { stage, routePath: end < 0 ? "/" : rawPath.slice(end) };
  }
  return { stage: api.defaultStage, routePath: rawPath };
}

/** Ids for a request no API's rules apply to (an unknown host, or a failure of the gateway itself). */
function newIds(receivedAt: number): RequestIds {
  const requestId = newApiGatewayRequestId();
  return { requestId, extendedRequestId: requestId, traceId: newTraceId(receivedAt) };
}

function corsHeaders(api: CompiledApi, origin: string | undefined): HeaderPairs {
  return api.cors ? api.cors.responseHeaders(origin) : [];
}

async function invokeWithin(
  route: CompiledRoute,
  event: string,
  traceId: string,
): Promise<IntegrationOutcome | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), route.timeoutMs);
  });
  try {
    // The function keeps running after an integration timeout, as Lambda does behind API Gateway.
    return await Promise.race([route.integration.invoke(event, { traceId }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer | null | "too-large"> {
  // Most requests (GETs) declare no body: skip the stream machinery for them.
  const { headers } = request;
  if (headers["transfer-encoding"] === undefined && (headers["content-length"] ?? "0") === "0") return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) return "too-large";
    chunks.push(chunk);
  }
  if (size === 0) return null;
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

function pairHeaders(raw: string[]): Array<readonly [string, string]> {
  const pairs: Array<readonly [string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string]);
  return pairs;
}

/** API Gateway passes the path decoded; a malformed escape is passed through as sent. */
function decodePath(rawPath: string): string {
  if (!rawPath.includes("%")) return rawPath;
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}
