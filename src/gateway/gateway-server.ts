/**
 * The data plane: one node:http server that takes a request through host dispatch, stage and route
 * selection, CORS, the Lambda integration and response mapping, answering exactly as an HTTP API does.
 * The deployment it serves is swapped in one assignment; requests in flight finish on the one they began on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  buildEventV1,
  buildEventV2,
  type GatewayRequest,
  type HttpResponse,
  internalServerError,
  mapResponseV1,
  mapResponseV2,
  newApiGatewayRequestId,
  newTraceId,
  notFound,
  requestEntityTooLarge,
  serviceUnavailable,
} from "../aws/index.js";
import { AWS_ACCOUNT_ID } from "../model/index.js";
import type { CompiledApi, CompiledRoute, CompiledStage } from "./compiled-api.js";
import { type HeaderPairs, isCorsHeader } from "./cors.js";
import { HostDispatch, hostName } from "./host-dispatch.js";
import type { IntegrationOutcome } from "./integration.js";

/** API Gateway's payload quota for HTTP APIs. */
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
        if (!response.headersSent) this.#send(response, internalServerError(), newApiGatewayRequestId(), []);
        else response.destroy();
      });
    });
    this.#server.keepAliveTimeout = 65_000;
  }

  /** Serves these APIs from now on. */
  deploy(apis: readonly CompiledApi[]): void {
    this.#hosts = new HostDispatch(apis);
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => {
        this.#server.off("error", reject);
        resolve();
      });
    });
    const actual = (this.#server.address() as AddressInfo).port;
    this.#port = String(actual);
    return actual;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const requestId = newApiGatewayRequestId();
    const api = this.#hosts.resolve(request.headers.host);
    if (!api) return this.#send(response, notFound(), requestId, []);

    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
    const { stage, routePath } = selectStage(api, rawPath);
    const method = request.method ?? "GET";
    const origin = request.headers.origin;
    const match = api.routeTable.match(method, routePath);
    if (!match) {
      if (method === "OPTIONS" && api.cors) {
        return this.#send(
          response,
          { statusCode: 204, headers: [], body: "" },
          requestId,
          api.cors.preflightHeaders(origin),
        );
      }
      return this.#send(response, notFound(), requestId, corsHeaders(api, origin));
    }
    const route = api.routes.get(match.route) as CompiledRoute;

    const declaredLength = Number(request.headers["content-length"] ?? 0);
    if (declaredLength > MAX_REQUEST_BODY_BYTES) {
      return this.#send(response, requestEntityTooLarge(), requestId, corsHeaders(api, origin));
    }
    const body = await readBody(request);
    if (body === "too-large") {
      return this.#send(response, requestEntityTooLarge(), requestId, corsHeaders(api, origin));
    }

    const gatewayRequest: GatewayRequest = {
      method,
      path: decodePath(rawPath),
      rawQueryString: queryStart < 0 ? "" : url.slice(queryStart + 1),
      headers: pairHeaders(request.rawHeaders),
      body,
      sourceIp: clientAddress(request),
      receivedAt,
      requestId,
      traceId: newTraceId(receivedAt),
      forwardedProto: "http",
      forwardedPort: this.#port,
    };
    const domainName = request.headers.host ? hostName(request.headers.host) : "localhost";
    const routeContext = {
      routeKey: route.spec.routeKey,
      resourcePath: route.resourcePath,
      pathParameters: match.pathParameters,
      stage: stage.name,
      stageVariables: stage.variables,
      apiId: api.spec.apiId,
      accountId: AWS_ACCOUNT_ID,
      domainName,
      domainPrefix: domainName.split(".", 1)[0] as string,
    };
    const event =
      route.payloadFormat === "2.0"
        ? buildEventV2(gatewayRequest, routeContext)
        : buildEventV1(gatewayRequest, routeContext);

    const outcome = await invokeWithin(route, JSON.stringify(event), gatewayRequest.traceId);
    const answer = this.#answer(route, outcome);
    this.#send(response, answer, requestId, corsHeaders(api, origin), api.cors !== null);
  }

  /** Maps the integration's outcome to the client's response, as HTTP APIs do. */
  #answer(route: CompiledRoute, outcome: IntegrationOutcome | "timeout"): HttpResponse {
    const name = route.spec.functionName;
    if (outcome === "timeout") {
      this.#log(`${name}: integration timed out after ${route.timeoutMs} ms; answered 503`);
      return serviceUnavailable();
    }
    if (outcome.type === "error") {
      if (outcome.errorType === "RequestTooLargeException") return requestEntityTooLarge();
      return internalServerError();
    }
    const mapped =
      route.payloadFormat === "2.0" ? mapResponseV2(outcome.payload) : mapResponseV1(outcome.payload);
    if (!mapped.ok) {
      this.#log(`${name}: malformed Lambda proxy response (${mapped.reason}); answered 500`);
      return internalServerError();
    }
    return mapped.response;
  }

  #send(
    response: ServerResponse,
    answer: HttpResponse,
    requestId: string,
    cors: HeaderPairs,
    dropIntegrationCors = false,
  ): void {
    const headers: string[] = [];
    for (const [name, value] of answer.headers) {
      if (dropIntegrationCors && isCorsHeader(name)) continue;
      headers.push(name, value);
    }
    for (const [name, value] of cors) headers.push(name, value);
    headers.push("Apigw-Requestid", requestId);
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

function clientAddress(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? "127.0.0.1";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
