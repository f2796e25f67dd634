/**
 * Gauges of what runs now, read from the pools when scraped (prom-client's `collect`), so the hot path keeps
 * nothing up to date for them.
 */
import { Gauge, type Registry } from "prom-client";

interface InstanceCounts {
  readonly starting: number;
  readonly idle: number;
  readonly busy: number;
}

/** What the platform runs: its function pools and its ready revisions. */
export interface RunningParts {
  readonly pools: Iterable<{ readonly fn: { readonly name: string }; readonly stats: InstanceCounts }>;
  readonly revisions: Iterable<{
    readonly spec: { readonly name: string };
    readonly name: string;
    readonly stats: InstanceCounts & { readonly pending: number };
  }>;
}

const STATES = ["starting", "idle", "busy"] as const;

export function runningGauges(registry: Registry, running: () => RunningParts): void {
  const concurrent = new Gauge({
    name: "portico_function_concurrent_executions",
    help: "Instances serving an invocation now (Lambda's ConcurrentExecutions)",
    labelNames: ["function"],
    registers: [registry],
    // One scrape reads the pools once: the first of these gauges to be collected fills all four.
    collect: () => collectAll(),
  });
  const functionInstances = new Gauge({
    name: "portico_function_instances",
    help: "Function instances by state: starting (in init), idle, busy",
    labelNames: ["function", "state"],
    registers: [registry],
  });
  const serviceInstances = new Gauge({
    name: "portico_service_instances",
    help: "Service instances of each ready revision by state: starting, idle, busy (serving a request)",
    labelNames: ["service", "revision", "state"],
    registers: [registry],
  });
  const pending = new Gauge({
    name: "portico_service_pending_requests",
    help: "Requests waiting for an instance with room (the revision's queue)",
    labelNames: ["service", "revision"],
    registers: [registry],
  });
  const collectAll = () => {
    for (const gauge of [concurrent, functionInstances, serviceInstances, pending]) gauge.reset();
    const { pools, revisions } = running();
    for (const pool of pools) {
      const { stats } = pool;
      concurrent.inc({ function: pool.fn.name }, stats.busy);
      for (const state of STATES) functionInstances.inc({ function: pool.fn.name, state }, stats[state]);
    }
    for (const revision of revisions) {
      const { stats } = revision;
      const labels = { service: revision.spec.name, revision: revision.name };
      pending.set(labels, stats.pending);
      for (const state of STATES) serviceInstances.set({ ...labels, state }, stats[state]);
    }
  };
}
