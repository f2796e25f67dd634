/**
 * One request to an API, from stage and route selection through CORS, throttling and its authorizer, the body
 * (within the payload quota and the gateway's body budget), the Lambda event and integration, to the answer its
 * API's kind gives.
 */

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiKindRules, GatewayRequest, HttpResponse, RouteContext } from "../aws/index.js";
import { clientAddress, firstHeaderValue } from "../http/index.js";
import { AWS_ACCOUNT_ID } from "../model/index.js";
import { type GatewayRequestEnd, gatewayRequestEnd, gatewayThrottle } from "../observability/channels.js";
import { newSpanId, requestTrace, xrayHeader, xrayRoot } from "../observability/tracing/trace-context.js";
import type { RouteGuard } from "./authorizers/authorization.js";
import { type BodyBudget, heldForEvent } from "./body-budget.js";
import { type BodyRead, hasBody, readBody } from "./body-reader.js";
import type { CompiledApi, CompiledRoute, CompiledStage } from "./compiled-api.js";
import type { HeaderPairs } from "./cors.js";
import { gatewayIds, sendAnswer } from "./gateway-answer.js";
import { hostName } from "./host-dispatch.js";
import { type IntegrationOutcome, invokeWithin } from "./integration.js";

/** Where the gateway reports what only an operator should see (malformed responses, failures). */
export type GatewayLog = (message: string) => void;

/** A throttled route's refusals are logged at most this often. */
const THROTTLE_LOG_INTERVAL_MS = 1000;

export class ApiRequestHandler {
  readonly #log: GatewayLog;
  readonly #budget: BodyBudget;
  /** The gateway's port, as events' `x-forwarded-port` tells it. */
  port = "0";

  constructor(log: GatewayLog, budget: BodyBudget) {
    this.#log = log;
    this.#budget = budget;
  }

  /**
   * Answers `request` for `api`, in steps: route, throttle, authorize (before the body is read, so a refused
   * caller's body is never buffered), then read the body and invoke.
   */
  async handle(request: IncomingMessage, response: ServerResponse, api: CompiledApi): Promise<void> {
    const receivedAt = Date.now();
    const { rules } = api;
    const trace = requestTrace(
      firstHeaderValue(request.headers.traceparent),
      firstHeaderValue(request.headers["x-amzn-trace-id"]),
      receivedAt,
    );
    const ids = gatewayIds(receivedAt, rules, xrayRoot(trace.traceId));
    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
    const { stage, routePath } = selectStage(api, rawPath);
    const method = request.method ?? "GET";
    const origin = request.headers.origin;
    const cors = corsHeaders(api, origin);
    // What the request-end event reports, filled in as the request goes.
    let routeKey: string | undefined;
    let integration: GatewayRequestEnd["integration"];
    let authorizerError: string | undefined;
    let authorizer: GatewayRequestEnd["authorizer"];
    const send = (answer: HttpResponse, headers = cors, dropIntegrationCors = false) => {
      const responseLength = sendAnswer(response, answer, rules, ids, headers, dropIntegrationCors);
      if (!gatewayRequestEnd.hasSubscribers) return;
      gatewayRequestEnd.publish({
        api: api.spec.name,
        apiId: api.spec.apiId,
        stage: stage.name,
        routeKey,
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        status: answer.statusCode,
        responseLength,
        requestId: ids.requestId,
        extendedRequestId: ids.extendedRequestId,
        traceId: ids.traceId,
        sourceIp: clientAddress(request),
        userAgent: request.headers["user-agent"] ?? "",
        receivedAt,
        durationMs: Date.now() - receivedAt,
        integration,
        authorizerError,
        trace,
        authorizer,
      } satisfies GatewayRequestEnd);
    };

    const preflight = api.restPreflight(method, routePath);
    if (preflight) return send(preflight, []);
    const match = api.match(method, routePath);
    if (!match) {
      if (method === "OPTIONS" && api.cors) {
        return send({ statusCode: 204, headers: [], body: "" }, api.cors.preflightHeaders(origin));
      }
      return send(rules.responses.noRoute());
    }
    const route = api.routes.get(match.route) as CompiledRoute;
    routeKey = route.spec.routeKey;
    if (!this.#admitted(api, stage, route)) return send(rules.responses.throttled());

    const head: GatewayRequest = {
      method,
      path: decodePath(rawPath),
      rawQueryString: queryStart < 0 ? "" : url.slice(queryStart + 1),
      headers: pairHeaders(request.rawHeaders),
      body: null,
      sourceIp: clientAddress(request),
      receivedAt,
      requestId: ids.requestId,
      extendedRequestId: ids.extendedRequestId,
      traceId: ids.traceId,
      forwardedProto: "http",
      forwardedPort: this.port,
    };
    const domainName = request.headers.host ? hostName(request.headers.host) : "localhost";
    const context: RouteContext = {
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
      authorizer: undefined,
    };
    let refusal: { readonly answer: HttpResponse; readonly error: string } | undefined;
    if (route.guard !== null) {
      // The authorizer's span is the gateway's child; a Lambda authorizer's invocation names it as parent.
      const spanId = newSpanId();
      const startedAt = Date.now();
      const authorizing = { ...head, invokeTraceId: xrayHeader(trace.traceId, spanId, trace.sampled) };
      refusal = await this.#authorize(api, route, route.guard, authorizing, context);
      if (gatewayRequestEnd.hasSubscribers) {
        const kind =
          api.spec.authorizers?.find((spec) => spec.name === route.spec.authorizer)?.type ?? "lambda";
        authorizer = { kind, startedAt, durationMs: Date.now() - startedAt, spanId };
      }
    }
    if (refusal !== undefined) {
      authorizerError = refusal.error;
      return send(refusal.answer);
    }

    const hold = hasBody(request) ? this.#budget.hold() : undefined;
    try {
      const body = hold ? await readBody(request, hold) : null;
      if (body !== null && !Buffer.isBuffer(body)) {
        const answer = this.#bodyRefused(body, rules, request, rawPath);
        if (answer) send(answer);
        return;
      }
      const event = JSON.stringify(route.buildEvent(body === null ? head : { ...head, body }, context));
      // Count what the built event really takes: a text body escaped in JSON can outgrow the base64 estimate.
      if (body) hold?.setTo(heldForEvent(body.length, event.length));
      const invokedAt = performance.now();
      const invokeIds = {
        traceId: xrayHeader(trace.traceId, trace.spanId, trace.sampled),
        requestId: randomUUID(),
      };
      const outcome = await invokeWithin(route.integration, event, invokeIds, route.timeoutMs);
      if (gatewayRequestEnd.hasSubscribers) {
        integration = integrationReport(route, invokeIds.requestId, outcome, invokedAt);
      }
      const answer = this.#answer(rules, route, outcome, request.headers.accept);
      send(answer, cors, api.cors !== null);
    } finally {
      hold?.release();
    }
  }

  /**
   * Asks the route's authorizer: what it learnt goes into `context`, or the answer to a refused request is
   * returned. Authorizer failures are logged for the operator.
   */
  async #authorize(
    api: CompiledApi,
    route: CompiledRoute,
    guard: RouteGuard,
    head: GatewayRequest,
    context: RouteContext,
  ): Promise<{ readonly answer: HttpResponse; readonly error: string } | undefined> {
    const authorization = await guard(head, context);
    if (authorization.allowed) {
      context.authorizer = route.authorizerShape(authorization.result);
      return undefined;
    }
    if (authorization.problem !== undefined) {
      this.#log(
        `gateway: ${authorization.problem}; answered ${authorization.answer.statusCode} to ${route.spec.routeKey} on API ${api.spec.name}`,
      );
    }
    const { answer } = authorization;
    return { answer, error: authorization.problem ?? `refused with ${answer.statusCode}` };
  }

  /**
   * Takes a token from the route's bucket in `stage`, if it has one. A refusal is logged at most once a second per
   * bucket, with the count so far, so a flood of refused requests does not flood the log.
   */
  #admitted(api: CompiledApi, stage: CompiledStage, route: CompiledRoute): boolean {
    const throttle = stage.throttles?.get(route.spec);
    if (throttle === undefined) return true;
    const now = performance.now();
    if (throttle.bucket.take(now)) return true;
    if (gatewayThrottle.hasSubscribers) {
      gatewayThrottle.publish({ api: api.spec.name, stage: stage.name, routeKey: route.spec.routeKey });
    }
    if (now - throttle.loggedAt >= THROTTLE_LOG_INTERVAL_MS) {
      throttle.loggedAt = now;
      const { rateLimit, burstLimit } = throttle.limit;
      this.#log(
        `gateway: throttled ${route.spec.routeKey} on API ${api.spec.name}, stage ${stage.name} (rateLimit ${rateLimit}/s, burstLimit ${burstLimit}): answered 429; ${throttle.bucket.refused} request(s) refused so far`,
      );
    }
    return false;
  }

  /** The answer to a body the gateway would not or could not read; null when the client is gone. */
  #bodyRefused(
    read: Exclude<BodyRead, Buffer | null>,
    rules: ApiKindRules,
    request: IncomingMessage,
    rawPath: string,
  ): HttpResponse | null {
    if (read === "aborted") return null;
    if (read === "too-large") return rules.responses.payloadTooLarge();
    const answer = rules.responses.throttled();
    const budget = this.#budget;
    this.#log(
      `gateway: answered ${answer.statusCode} to ${request.method} ${rawPath} on ${request.headers.host ?? "(no Host)"}: its body would take request bodies held at once past the gateway's budget (${megabytes(budget.heldBytes)} of ${megabytes(budget.limitBytes)} MB held by ${budget.holders} request(s); see --max-buffered-body-mb)`,
    );
    return answer;
  }

  /** Maps the integration's outcome to the client's response, as the API's kind does. */
  #answer(
    rules: ApiKindRules,
    route: CompiledRoute,
    outcome: IntegrationOutcome | "timeout",
    accept: string | undefined,
  ): HttpResponse {
    const name = route.spec.functionName;
    if (outcome === "timeout") {
      const answer = rules.responses.integrationTimedOut();
      this.#log(`${name}: integration timed out after ${route.timeoutMs} ms; answered ${answer.statusCode}`);
      return answer;
    }
    if (outcome.type === "error") {
      if (outcome.errorType === "RequestTooLargeException") return rules.responses.payloadTooLarge();
      const answer = rules.responses.integrationFailed();
      if (outcome.errorType === "TooManyRequestsException") {
        this.#log(
          `${name}: invocation throttled (${describeError(outcome.payload)}); answered ${answer.statusCode}`,
        );
      }
      return answer;
    }
    const mapped = route.mapResponse(outcome.payload, accept);
    if (!mapped.ok) {
      const answer = rules.responses.integrationFailed();
      this.#log(`${name}: malformed Lambda proxy response (${mapped.reason}); answered ${answer.statusCode}`);
      return answer;
    }
    return mapped.response;
  }
}

export function selectStage(api: CompiledApi, rawPath: string): { stage: CompiledStage; routePath: string } {
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

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/** `errorType: errorMessage` of a Lambda error payload. */
function describeError(payload: Buffer): string {
  try {
    const { errorType, errorMessage } = JSON.parse(payload.toString("utf8")) as Record<string, unknown>;
    return [errorType, errorMessage].filter((part) => typeof part === "string").join(": ");
  } catch {
    return "unreadable error payload";
  }
}

/** The integration's part of the request-end event. */
function integrationReport(
  route: CompiledRoute,
  requestId: string,
  outcome: IntegrationOutcome | "timeout",
  invokedAt: number,
): GatewayRequestEnd["integration"] {
  const latencyMs = performance.now() - invokedAt;
  const functionName = route.spec.functionName;
  if (outcome === "timeout") return { functionName, requestId, latencyMs, error: "timeout" };
  if (outcome.type === "success") return { functionName, requestId, latencyMs, status: 200 };
  const status =
    outcome.errorType === "TooManyRequestsException"
      ? 429
      : outcome.errorType === "RequestTooLargeException"
        ? 413
        : 200;
  return { functionName, requestId, latencyMs, status, error: outcome.errorType };
}
