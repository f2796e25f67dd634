/**
 * The data plane: one node:http server that checks each request's line and Host, dispatches it by host to an API
 * (answered as an HTTP API or a REST API does, see api-request.ts) or a service, and bounds what a connection may
 * cost: time to send a request, bytes of bodies held at once, and the drain when Portico stops. The deployment
 * it serves is swapped in one assignment; requests in flight finish on the one they began on.
 */
import { createServer, type IncomingMessage, type Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { badRequest, HTTP_API } from "../aws/index.js";
import { listen } from "../http/index.js";
import { ApiRequestHandler, type GatewayLog } from "./api-request.js";
import { BareHostRouting } from "./bare-host.js";
import { BodyBudget, defaultBodyBudgetBytes } from "./body-budget.js";
import { answerClientError, type ClientError, clientErrorAnswer } from "./client-error.js";
import type { CompiledApi } from "./compiled-api.js";
import { gatewayIds, sendAnswer } from "./gateway-answer.js";
import { HostDispatch, isBareHost } from "./host-dispatch.js";
import { checkRequestTarget } from "./request-target.js";
import type { ServiceBackend } from "./service-backend.js";

export type { GatewayLog } from "./api-request.js";

export interface GatewayOptions {
  /**
   * Bytes of API request bodies, and the events built from them, held at once across all requests; past it
   * requests are throttled. Default: 1/16 of the machine's memory, clamped to 128 MiB - 1 GiB.
   */
  readonly maxBufferedBodyBytes?: number;
  /**
   * A Host naming no API or service is answered as the bare host is (`portico serve` behind a cloud's own host
   * names, such as Cloud Run's `NAME-HASH.a.run.app`), instead of as an unknown host.
   */
  readonly everyHostIsBare?: boolean;
}

/** A request's line and headers must arrive within this (slow-header clients hold no connection longer). */
export const HEADERS_TIMEOUT_MS = 10_000;
/**
 * An API request must arrive whole, body included, within this: API Gateway's integration timeout, and time for
 * 10 MB at 3 Mbit/s. A service's request streams its body to the instance instead, under the service's own
 * `timeout` (Cloud Run's request timeout, up to an hour), so this does not cut it.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How often Node looks for requests past those times: a late one is cut within this much. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export class GatewayServer {
  readonly #server: Server;
  readonly #log: GatewayLog;
  readonly #apiRequests: ApiRequestHandler;
  readonly #everyHostIsBare: boolean;
  #hosts = new HostDispatch([]);
  /** With several APIs: which one a request on the bare host is for, by its route. */
  #bareHost: BareHostRouting | null = null;
  /** `METHOD path` of ambiguous bare-host requests already logged, so a page's retries log once. */
  readonly #ambiguousLogged = new Set<string>();
  /** The response under way on each connection, so a client error knows whether it may still answer. */
  readonly #responses = new WeakMap<Duplex, ServerResponse>();
  /** Responses to service requests, whose bodies stream under the service's own timeout. */
  readonly #streaming = new WeakSet<ServerResponse>();
  /** Upgraded connections (WebSockets), which the HTTP server no longer tracks, to cut when a drain ends. */
  readonly #upgraded = new Set<Duplex>();

  constructor(log: GatewayLog, options: GatewayOptions = {}) {
    this.#log = log;
    this.#everyHostIsBare = options.everyHostIsBare === true;
    const budget = new BodyBudget(options.maxBufferedBodyBytes ?? defaultBodyBudgetBytes());
    this.#apiRequests = new ApiRequestHandler(log, budget);
    const timeouts = {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    };
    this.#server = createServer(timeouts, (request, response) => {
      this.#responses.set(request.socket, response);
      this.#handle(request, response).catch((error: unknown) => {
        this.#log(
          `gateway: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
        );
        if (!response.headersSent) {
          sendAnswer(response, HTTP_API.responses.integrationFailed(), HTTP_API, gatewayIds(Date.now()), []);
        } else response.destroy();
      });
    });
    this.#server.keepAliveTimeout = 65_000;
    this.#server.on("clientError", (error: ClientError, socket: Duplex) => this.#clientError(error, socket));
    this.#server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#upgrade(request, socket, head),
    );
  }

  /** Serves these APIs and services from now on. */
  deploy(apis: readonly CompiledApi[], services: readonly ServiceBackend[] = []): void {
    this.#hosts = new HostDispatch(apis, services);
    this.#bareHost = apis.length > 1 ? new BareHostRouting(apis) : null;
    this.#ambiguousLogged.clear();
  }

  async listen(port: number, host: string): Promise<number> {
    const actual = await listen(this.#server, port, host);
    this.#apiRequests.port = String(actual);
    return actual;
  }

  /**
   * Stops taking connections and resolves once every request in flight has been answered. With `drainMs`, the
   * connections of requests still running after that long are cut.
   */
  async close(drainMs?: number): Promise<void> {
    // Connections busy now close as soon as their last answer is sent, not after the keep-alive time.
    this.#server.keepAliveTimeout = 1;
    const cut =
      drainMs === undefined
        ? undefined
        : setTimeout(() => {
            this.#server.closeAllConnections();
            for (const socket of this.#upgraded) socket.destroy();
          }, drainMs);
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
    clearTimeout(cut);
  }

  /**
   * Node's parser gave up on a connection. A service request whose body is still streaming is not cut by the
   * request timeout (the service's own timeout bounds it); everything else is answered, if it still can be, and
   * closed.
   */
  #clientError(error: ClientError, socket: Duplex): void {
    const response = this.#responses.get(socket);
    const underWay = response !== undefined && !response.writableFinished;
    if (error.code === "ERR_HTTP_REQUEST_TIMEOUT" && underWay && this.#streaming.has(response)) return;
    answerClientError(socket, clientErrorAnswer(error), underWay && response.headersSent);
  }

  /**
   * Upgrades (WebSockets) pass through to services. APIs do not upgrade: their request is answered as
   * a plain one, as API Gateway does, on a connection that then closes.
   */
  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    this.#upgraded.add(socket);
    socket.once("close", () => this.#upgraded.delete(socket));
    const problem = checkRequestTarget(request);
    if (problem !== undefined) {
      answerClientError(socket, badRequest(problem), false);
      return;
    }
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
    const problem = checkRequestTarget(request);
    if (problem !== undefined) {
      const answer = badRequest(problem);
      const closing = { ...answer, headers: [...answer.headers, ["Connection", "close"] as const] };
      sendAnswer(response, closing, HTTP_API, gatewayIds(Date.now()), []);
      return;
    }
    const target = this.#hosts.resolve(request.headers.host);
    if (target && "service" in target) {
      this.#streaming.add(response);
      return target.service.handle(request, response, target.tag);
    }
    if (target) return this.#apiRequests.handle(request, response, target.api);
    if (this.#bareHost !== null && (this.#everyHostIsBare || isBareHost(request.headers.host))) {
      return this.#handleBareHost(request, response, this.#bareHost);
    }
    // A Host that names no API (possible with none or several): no API's rules apply, so answer as HTTP APIs do.
    sendAnswer(response, HTTP_API.responses.noRoute(), HTTP_API, gatewayIds(Date.now()), []);
  }

  /**
   * Several APIs share the bare host: the one whose route matches answers. When none does, the APIs' own kind
   * answers if they share one (REST's 403, HTTP's 404); when several do, the request is answered as one for an
   * unknown host, and the log says which routes compete.
   */
  async #handleBareHost(
    request: IncomingMessage,
    response: ServerResponse,
    apis: BareHostRouting,
  ): Promise<void> {
    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
    const method = request.method ?? "GET";
    const choice = apis.choose(method, rawPath);
    if ("api" in choice) return this.#apiRequests.handle(request, response, choice.api);
    const kinds = new Set(apis.apis.map((api) => api.rules));
    const rules = "none" in choice && kinds.size === 1 ? (apis.apis[0] as CompiledApi).rules : HTTP_API;
    if ("ambiguous" in choice) this.#logAmbiguous(method, rawPath, choice.ambiguous, request.headers.host);
    sendAnswer(response, rules.responses.noRoute(), rules, gatewayIds(Date.now(), rules), []);
  }

  #logAmbiguous(method: string, rawPath: string, routes: readonly string[], host: string | undefined): void {
    const key = `${method} ${rawPath}`;
    if (this.#ambiguousLogged.has(key) || this.#ambiguousLogged.size >= 1000) return;
    this.#ambiguousLogged.add(key);
    const names = routes.map((route) => route.slice(0, route.indexOf(":")));
    this.#log(
      `gateway: ${key} on ${host ?? "(no Host)"} matches a route in several APIs (${routes.join("; ")}); answered 404. Send it to one API's host instead: ${names.map((name) => `${name}.localhost`).join(", ")}`,
    );
  }
}
