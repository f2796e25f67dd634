/**
 * What happens in Portico, published on `node:diagnostics_channel` as undici publishes its requests: logging,
 * metrics and tracing subscribe, and the hot path knows none of them. A channel without subscribers costs one
 * property read (`hasSubscribers`), so every publisher checks it before building a message.
 */
import { channel } from "node:diagnostics_channel";

/** An API request the gateway answered (any status, gateway answers included). */
export interface GatewayRequestEnd {
  readonly api: string;
  readonly apiId: string;
  readonly stage: string;
  /** The matched route key, or undefined when no route matched (bounded label: never the raw path). */
  readonly routeKey: string | undefined;
  readonly method: string;
  /** The request's path as sent (for logs only, never a metric label). */
  readonly path: string;
  readonly protocol: string;
  readonly status: number;
  readonly responseLength: number;
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly traceId: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** Epoch ms the request arrived. */
  readonly receivedAt: number;
  /** From arrival to the answer being written. */
  readonly durationMs: number;
  /** The function's part, when it was invoked. */
  readonly integration?: {
    readonly functionName: string;
    /** Lambda's request id for the invocation (`$context.integration.requestId`). */
    readonly requestId: string;
    readonly latencyMs: number;
    /** Lambda's Invoke status (200, function errors included; 429 or 413 when it refused); absent on a timeout. */
    readonly status?: number;
    /** The function's error type, or `timeout`. */
    readonly error?: string;
  };
  /** Why the authorizer refused or failed, when it did. */
  readonly authorizerError?: string;
  /** The request's trace: the gateway's span, the client's parent span, whether it is sampled. */
  readonly trace?: TraceSpanIds;
  /** When the route's authorizer ran (Lambda or JWT), and its span. */
  readonly authorizer?: {
    readonly kind: string;
    /** Epoch ms. */
    readonly startedAt: number;
    readonly durationMs: number;
    readonly spanId: string;
  };
}

/** A span's place in its trace (W3C ids: 32 and 16 lowercase hex digits). */
export interface TraceSpanIds {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly sampled: boolean;
}

/** A request the gateway throttled (a stage or route limit). */
export interface GatewayThrottle {
  readonly api: string;
  readonly stage: string;
  readonly routeKey: string;
}

/** One invocation of a function, however it ended. */
export interface FunctionInvokeEnd {
  readonly functionName: string;
  readonly requestId: string;
  readonly durationMs: number;
  /** `success`, a function `error`, a `timeout`, or `throttled` (no instance could take it). */
  readonly outcome: "success" | "error" | "timeout" | "throttled";
  readonly errorType?: string;
  /** The invocation started an instance; `initDurationMs` is its init phase. */
  readonly coldStart: boolean;
  readonly initDurationMs?: number;
  /** The X-Ray header the invocation carried (`Root=…;Parent=…;Sampled=…`), when it had one. */
  readonly traceId?: string;
  /** Epoch ms the invocation began (its cold start included). */
  readonly startedAt?: number;
}

/** A function instance changed state: `started` once its init finished (it is ready), `stopped` once it exited. */
export interface FunctionInstanceChange {
  readonly functionName: string;
  readonly instance: string;
  readonly state: "started" | "stopped";
  /** With `started`: its init phase. */
  readonly initDurationMs?: number;
}

/**
 * Text a function or service instance wrote (its output, or the platform's lines about it), or an API's access-log
 * line (`kind: "api"`, one line per request).
 */
export interface LogText {
  readonly kind: "function" | "service" | "api";
  /** The function, service or API. */
  readonly name: string;
  readonly text: string;
  /** Epoch ms. */
  readonly time: number;
  /** The function version key, or the service revision, that wrote it. */
  readonly revision?: string;
  /** The instance that wrote it. */
  readonly instance?: string;
  /** The request being served when it was written (a function's invocation, an API request). */
  readonly requestId?: string;
  /** Another request the line belongs to: an access-log line's Lambda request id (`$context.integration.requestId`). */
  readonly relatedRequestId?: string;
}

/** A request a service answered through the proxy. */
export interface ServiceRequestEnd {
  readonly service: string;
  readonly revision: string;
  readonly method: string;
  /** Scheme, host, path and query, as Cloud Run's `requestUrl`. */
  readonly url: string;
  readonly status: number;
  readonly latencyMs: number;
  /** Bytes of the answer, head and body. */
  readonly responseSize: number;
  readonly userAgent: string;
  readonly remoteIp: string;
  /** The proxy's span: the instance got `traceparent` naming it as parent. */
  readonly trace?: TraceSpanIds;
  /** Epoch ms the request arrived. */
  readonly startedAt?: number;
  /** `HTTP/1.1`, as Cloud Run's `protocol`. */
  readonly protocol?: string;
}

export const gatewayRequestEnd = channel("portico:gateway.request.end");
export const gatewayThrottle = channel("portico:gateway.throttle");
export const functionInvokeEnd = channel("portico:function.invoke.end");
export const functionInstanceChange = channel("portico:function.instance");
export const logText = channel("portico:log.text");
export const serviceRequestEnd = channel("portico:service.request.end");
