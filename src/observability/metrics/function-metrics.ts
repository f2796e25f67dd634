/**
 * Lambda's Invocations, Errors, Throttles, Duration and init duration, per function. As in Lambda, a throttled
 * invocation is not an invocation, and a timeout is an error as well as a timeout.
 */
import { Counter, type Registry } from "prom-client";
import {
  type FunctionInstanceChange,
  type FunctionInvokeEnd,
  functionInstanceChange,
  functionInvokeEnd,
} from "../channels.js";
import { subscribe, type Unsubscribe } from "../subscription.js";
import { BucketHistogram } from "./bucket-histogram.js";
import { INIT_BUCKETS, INVOCATION_BUCKETS } from "./buckets.js";
import { LabelledChildren, type MetricBatches } from "./labelled-children.js";

export function functionMetrics(registry: Registry, batches: MetricBatches): () => Unsubscribe[] {
  const counter = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ["function"], registers: [registry] });
  const invocations = counter(
    "portico_function_invocations_total",
    "Invocations that ran, however they ended",
  );
  const errors = counter(
    "portico_function_errors_total",
    "Invocations that ended in a function error or timeout",
  );
  const timeouts = counter(
    "portico_function_timeouts_total",
    "Invocations stopped at the function's timeout",
  );
  const throttles = counter(
    "portico_function_throttles_total",
    "Invocations refused: no instance could take them",
  );
  const coldStarts = counter(
    "portico_function_cold_starts_total",
    "Invocations that waited for a new instance's init",
  );
  const starts = counter(
    "portico_function_instance_starts_total",
    "Instances whose init finished (warm-ups included)",
  );
  const duration = new BucketHistogram({
    name: "portico_function_duration_seconds",
    help: "Invocation duration, init excluded (Lambda's Duration)",
    labelNames: ["function"],
    buckets: INVOCATION_BUCKETS,
    registers: [registry],
  });
  const initDuration = new BucketHistogram({
    name: "portico_function_init_duration_seconds",
    help: "Init phase of each instance that became ready (Lambda's Init Duration)",
    labelNames: ["function"],
    buckets: INIT_BUCKETS,
    registers: [registry],
  });
  const perFunction = new LabelledChildren(batches, ([name], batched) => {
    const labels = { function: name };
    return {
      invocations: batched.counter(invocations.labels(labels)),
      errors: batched.counter(errors.labels(labels)),
      throttles: batched.counter(throttles.labels(labels)),
      timeouts: batched.counter(timeouts.labels(labels)),
      coldStarts: batched.counter(coldStarts.labels(labels)),
      duration: duration.labels(labels),
    };
  });
  return () => [
    subscribe<FunctionInvokeEnd>(functionInvokeEnd, (end) => {
      const fn = perFunction.get(end.functionName);
      if (end.outcome === "throttled") return fn.throttles.inc();
      fn.invocations.inc();
      fn.duration.observe(end.durationMs / 1000);
      if (end.outcome === "error" || end.outcome === "timeout") fn.errors.inc();
      if (end.outcome === "timeout") fn.timeouts.inc();
      if (end.coldStart) fn.coldStarts.inc();
    }),
    subscribe<FunctionInstanceChange>(functionInstanceChange, (change) => {
      if (change.state !== "started") return;
      const labels = { function: change.functionName };
      starts.inc(labels);
      if (change.initDurationMs !== undefined)
        initDuration.labels(labels).observe(change.initDurationMs / 1000);
    }),
  ];
}
