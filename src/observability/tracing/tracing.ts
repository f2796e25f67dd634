/**
 * Spans over OTLP/HTTP, only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set:
 * the OpenTelemetry packages are then loaded, and the gateway, function and service events become spans. Without
 * it nothing is loaded or subscribed, and new traces are not sampled. Which traces are sampled follows
 * `OTEL_TRACES_SAMPLER` (see trace-sampler.ts).
 */
import { functionInvokeEnd, gatewayRequestEnd, serviceRequestEnd } from "../channels.js";
import { subscribe } from "../subscription.js";
import { traceSamplerFromEnv } from "./trace-sampler.js";
import { tracingState } from "./tracing-state.js";

export interface Tracing {
  /** Unsubscribes and exports the spans still pending. */
  stop(): Promise<void>;
}

export function tracingConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Starts exporting spans when the environment names an endpoint; undefined when it does not. */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<Tracing | undefined> {
  if (!tracingConfigured(env) || env.OTEL_SDK_DISABLED === "true") return undefined;
  // Before anything loads: a sampler that cannot be is a startup error, not a surprise later.
  const sampler = traceSamplerFromEnv(env);
  const { OtelSpans } = await import("./otel-spans.js");
  const spans = new OtelSpans(env);
  const subscriptions = [
    subscribe(gatewayRequestEnd, spans.onGatewayRequest),
    subscribe(functionInvokeEnd, spans.onFunctionInvoke),
    subscribe(serviceRequestEnd, spans.onServiceRequest),
  ];
  tracingState.sampler = sampler;
  return {
    async stop() {
      tracingState.sampler = undefined;
      for (const unsubscribe of subscriptions) unsubscribe();
      await spans.shutdown();
    },
  };
}
