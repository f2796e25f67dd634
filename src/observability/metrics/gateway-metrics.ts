/** API Gateway's Count, 4XX/5XX, Latency and IntegrationLatency, per API, stage and route key. */
import { Counter, type Registry } from "prom-client";
import {
  type GatewayRequestEnd,
  type GatewayThrottle,
  gatewayRequestEnd,
  gatewayThrottle,
} from "../channels.js";
import { subscribe, type Unsubscribe } from "../subscription.js";
import { BucketHistogram } from "./bucket-histogram.js";
import { REQUEST_BUCKETS } from "./buckets.js";
import { LabelledChildren, type MetricBatches } from "./labelled-children.js";
import { routeLabel, statusClass } from "./labels.js";

export function gatewayMetrics(registry: Registry, batches: MetricBatches): () => Unsubscribe[] {
  const requests = new Counter({
    name: "portico_api_requests_total",
    help: "API requests answered, gateway answers included, by route key and status class",
    labelNames: ["api", "stage", "route", "status_class"],
    registers: [registry],
  });
  const duration = new BucketHistogram({
    name: "portico_api_request_duration_seconds",
    help: "From a request's arrival to its answer (API Gateway's Latency)",
    labelNames: ["api", "stage", "route"],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const integration = new BucketHistogram({
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
  const counts = new LabelledChildren(batches, ([api, stage, route, status], batched) =>
    batched.counter(requests.labels({ api, stage, route, status_class: status })),
  );
  const timings = new LabelledChildren(batches, ([api, stage, route]) => {
    const labels = { api, stage, route };
    return { duration: duration.labels(labels), integration: integration.labels(labels) };
  });
  return () => [
    subscribe<GatewayRequestEnd>(gatewayRequestEnd, (end) => {
      const route = routeLabel(end.routeKey);
      counts.get(end.api, end.stage, route, statusClass(end.status)).inc();
      const timing = timings.get(end.api, end.stage, route);
      timing.duration.observe(end.durationMs / 1000);
      if (end.integration) timing.integration.observe(end.integration.latencyMs / 1000);
    }),
    subscribe<GatewayThrottle>(gatewayThrottle, (throttle) => {
      throttles.inc({ api: throttle.api, stage: throttle.stage, route: routeLabel(throttle.routeKey) });
    }),
  ];
}
