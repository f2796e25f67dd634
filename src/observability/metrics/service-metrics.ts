/** Cloud Run's request_count and request_latencies, per service and revision. */
import { Counter, Histogram, type Registry } from "prom-client";
import { type ServiceRequestEnd, serviceRequestEnd } from "../channels.js";
import { subscribe, type Unsubscribe } from "../subscription.js";
import { REQUEST_BUCKETS } from "./buckets.js";
import { statusClass } from "./labels.js";

export function serviceMetrics(registry: Registry): () => Unsubscribe[] {
  const requests = new Counter({
    name: "portico_service_requests_total",
    help: "Requests a service answered through the proxy (429s for want of an instance included)",
    labelNames: ["service", "revision", "status_class"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "portico_service_request_duration_seconds",
    help: "From a request reaching the revision to its answer's end",
    labelNames: ["service", "revision"],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  return () => [
    subscribe<ServiceRequestEnd>(serviceRequestEnd, (end) => {
      const labels = { service: end.service, revision: end.revision };
      requests.inc({ ...labels, status_class: statusClass(end.status) });
      duration.observe(labels, end.latencyMs / 1000);
    }),
  ];
}
