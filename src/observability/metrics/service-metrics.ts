/** Cloud Run's request_count and request_latencies, per service and revision. */
import { Counter, type Registry } from "prom-client";
import { type ServiceRequestEnd, serviceRequestEnd } from "../channels.js";
import { subscribe, type Unsubscribe } from "../subscription.js";
import { BucketHistogram } from "./bucket-histogram.js";
import { REQUEST_BUCKETS } from "./buckets.js";
import { LabelledChildren, type MetricBatches } from "./labelled-children.js";
import { statusClass } from "./labels.js";

export function serviceMetrics(registry: Registry, batches: MetricBatches): () => Unsubscribe[] {
  const requests = new Counter({
    name: "portico_service_requests_total",
    help: "Requests a service answered through the proxy (429s for want of an instance included)",
    labelNames: ["service", "revision", "status_class"],
    registers: [registry],
  });
  const duration = new BucketHistogram({
    name: "portico_service_request_duration_seconds",
    help: "From a request reaching the revision to its answer's end",
    labelNames: ["service", "revision"],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const counts = new LabelledChildren(batches, ([service, revision, status], batched) =>
    batched.counter(requests.labels({ service, revision, status_class: status })),
  );
  const timings = new LabelledChildren(batches, ([service, revision]) =>
    duration.labels({ service, revision }),
  );
  return () => [
    subscribe<ServiceRequestEnd>(serviceRequestEnd, (end) => {
      counts.get(end.service, end.revision, statusClass(end.status)).inc();
      timings.get(end.service, end.revision).observe(end.latencyMs / 1000);
    }),
  ];
}
