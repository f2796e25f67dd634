/** API Gateway's Count, 4XX/5XX, Latency and IntegrationLatency, per API, stage and route key. */
import { Counter, Histogram, type Registry } from "prom-client";
import {
  type GatewayRequestEnd,
  type GatewayThrottle,
  gatewayRequestEnd,
  gatewayThrottle,
} from "../channels.js";
import { REQUEST_BUCKETS } from "./buckets.js";
import { routeLabel, statusClass } from "./labels.js";
import { subscribe, type Unsubscribe } from "./subscription.js";

export function gatewayMetrics(registry: Registry): () => Unsubscribe[] {
  const requests = new Counter({
    name: "portico_api_requests_total",
    help: "API requests answered, gateway answers included, by route key and status class",
    labelNames: ["api", "stage", "route", "status_class"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "portico_api_request_duration_seconds",
    help: "From a request's arrival to its answer (API Gateway's Latency)",
    labelNames: ["api", "stage", "route"],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const integration = new Histogram({
    name: "portico_api_integration_duration_seconds",
    help: "The function's part of a request, when one was invoked (API Gateway's IntegrationLatency)",
    labelNames: ["api", "stage", "route"],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const throttles = new Counter({
    name: "portico_api_throttles_total",
    help: "API requests refused with 429 by a stage or route throttle",
    labelNames: ["api", "stage", "route"],
    registers: [registry],
  });
  return () => [
    subscribe<GatewayRequestEnd>(gatewayRequestEnd, (end) => {
      const labels = { api: end.api, stage: end.stage, route: routeLabel(end.routeKey) };
      requests.inc({ ...labels, status_class: statusClass(end.status) });
      duration.observe(labels, end.durationMs / 1000);
      if (end.integration) integration.observe(labels, end.integration.latencyMs / 1000);
    }),
    subscribe<GatewayThrottle>(gatewayThrottle, (throttle) => {
      throttles.inc({ api: throttle.api, stage: throttle.stage, route: routeLabel(throttle.routeKey) });
    }),
  ];
}
