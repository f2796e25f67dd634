/**
 * Builds spans from Portico's events once they end, with the ids the request already travelled with: the
 * gateway's span is the parent the function (X-Ray `Parent`) saw, the proxy's span the one a service's
 * `traceparent` named. No OpenTelemetry context is kept per request: every message carries its own ids.
 */
import { type Context, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  type IdGenerator,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import type { FunctionInvokeEnd, GatewayRequestEnd, ServiceRequestEnd } from "../channels.js";
import { newSpanId, newW3cTraceId, parseXrayHeader } from "./trace-context.js";

/** Hands the SDK the ids chosen before a span is started (set and used in one synchronous step). */
class ChosenIds implements IdGenerator {
  traceId: string | undefined;
  spanId: string | undefined;

  generateTraceId(): string {
    const id = this.traceId ?? newW3cTraceId(Date.now());
    this.traceId = undefined;
    return id;
  }

  generateSpanId(): string {
    const id = this.spanId ?? newSpanId();
    this.spanId = undefined;
    return id;
  }
}

interface SpanPlan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** Epoch ms. */
  readonly start: number;
  readonly end: number;
  readonly attributes: Record<string, string | number | boolean>;
  readonly error?: string;
}

export class OtelSpans {
  readonly #ids = new ChosenIds();
  readonly #provider: TracerProvider;
  readonly #tracer;

  constructor(env: NodeJS.ProcessEnv) {
    const resource = resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "portico" }).merge(
      detectResources({ detectors: [envDetector] }),
    );
    this.#provider = new TracerProvider({
      resource,
      idGenerator: this.#ids,
      sampler: new AlwaysOnSampler(),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: tracesUrl(env) }),
          scheduledDelayMillis: numberFrom(env.OTEL_BSP_SCHEDULE_DELAY, 5000),
          exportTimeoutMillis: numberFrom(env.OTEL_BSP_EXPORT_TIMEOUT, 30000),
          maxQueueSize: numberFrom(env.OTEL_BSP_MAX_QUEUE_SIZE, 2048),
          maxExportBatchSize: numberFrom(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 512),
        }),
      ],
    });
    this.#tracer = this.#provider.getTracer("portico");
  }

  readonly onGatewayRequest = (message: GatewayRequestEnd): void => {
    const { trace: ids } = message;
    if (ids === undefined || !ids.sampled) return;
    const route = message.routeKey ?? "(no route)";
    this.#record({
      name: route.startsWith(`${message.method} `) ? route : `${message.method} ${route}`,
      kind: SpanKind.SERVER,
      traceId: ids.traceId,
      spanId: ids.spanId,
      parentSpanId: ids.parentSpanId,
      start: message.receivedAt,
      end: message.receivedAt + message.durationMs,
      attributes: {
        "http.request.method": message.method,
        "http.route": route,
        "url.path": message.path,
        "http.response.status_code": message.status,
        "client.address": message.sourceIp,
        "user_agent.original": message.userAgent,
        "portico.api": message.api,
        "portico.stage": message.stage,
        "portico.request_id": message.requestId,
        ...(message.integration === undefined
          ? {}
          : {
              "faas.invoked_name": message.integration.functionName,
              "faas.invocation_id": message.integration.requestId,
            }),
      },
      ...(message.status >= 500 ? { error: `HTTP ${message.status}` } : {}),
    });
    const { authorizer } = message;
    if (authorizer === undefined) return;
    this.#record({
      name: `authorizer ${authorizer.kind}`,
      kind: SpanKind.INTERNAL,
      traceId: ids.traceId,
      spanId: authorizer.spanId,
      parentSpanId: ids.spanId,
      start: authorizer.startedAt,
      end: authorizer.startedAt + authorizer.durationMs,
      attributes: { "portico.authorizer.kind": authorizer.kind },
      ...(message.authorizerError === undefined ? {} : { error: message.authorizerError }),
    });
  };

  readonly onFunctionInvoke = (message: FunctionInvokeEnd): void => {
    const header = parseXrayHeader(message.traceId);
    if (header === undefined || !header.sampled || message.startedAt === undefined) return;
    const initMs = message.initDurationMs ?? 0;
    const start = message.startedAt - initMs;
    const spanId = newSpanId();
    this.#record({
      name: message.functionName,
      kind: SpanKind.SERVER,
      traceId: header.traceId,
      spanId,
      parentSpanId: header.spanId,
      start,
      end: message.startedAt + message.durationMs,
      attributes: {
        "faas.name": message.functionName,
        "faas.invocation_id": message.requestId,
        "faas.coldstart": message.coldStart,
        "portico.outcome": message.outcome,
      },
      ...(message.outcome === "success" ? {} : { error: message.errorType ?? message.outcome }),
    });
    if (!message.coldStart) return;
    this.#record({
      name: "cold start",
      kind: SpanKind.INTERNAL,
      traceId: header.traceId,
      spanId: newSpanId(),
      parentSpanId: spanId,
      start,
      end: message.startedAt,
      attributes: { "faas.name": message.functionName, "portico.init_duration_ms": initMs },
    });
  };

  readonly onServiceRequest = (message: ServiceRequestEnd): void => {
    const ids = message.trace;
    if (ids === undefined || !ids.sampled || message.startedAt === undefined) return;
    this.#record({
      name: `${message.method} ${message.service}`,
      kind: SpanKind.SERVER,
      traceId: ids.traceId,
      spanId: ids.spanId,
      parentSpanId: ids.parentSpanId,
      start: message.startedAt,
      end: message.startedAt + message.latencyMs,
      attributes: {
        "http.request.method": message.method,
        "url.full": message.url,
        "http.response.status_code": message.status,
        "client.address": message.remoteIp,
        "user_agent.original": message.userAgent,
        "portico.service": message.service,
        "portico.revision": message.revision,
      },
      ...(message.status >= 500 ? { error: `HTTP ${message.status}` } : {}),
    });
  };

  shutdown(): Promise<void> {
    return this.#provider.shutdown();
  }

  #record(plan: SpanPlan): void {
    this.#ids.traceId = plan.traceId;
    this.#ids.spanId = plan.spanId;
    const span = this.#tracer.startSpan(
      plan.name,
      { kind: plan.kind, startTime: plan.start, attributes: plan.attributes },
      parentContext(plan.traceId, plan.parentSpanId),
    );
    this.#ids.traceId = undefined;
    this.#ids.spanId = undefined;
    if (plan.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: plan.error });
    span.end(plan.end);
  }
}

function parentContext(traceId: string, parentSpanId: string | undefined): Context {
  if (parentSpanId === undefined) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: parentSpanId,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/** The signal's own endpoint as given, else the base endpoint's `/v1/traces` (OTLP exporter spec). */
function tracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined;
}

function numberFrom(text: string | undefined, fallback: number): number {
  const value = text === undefined || text === "" ? Number.NaN : Number(text);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}
