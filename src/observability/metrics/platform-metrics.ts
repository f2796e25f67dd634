/**
 * A platform's metrics: a registry of its own (two platforms in one process never share one), with the process
 * metrics, counters fed from the observability channels while the platform runs, and gauges read when scraped.
 */
import { collectDefaultMetrics, Registry } from "prom-client";
import type { Unsubscribe } from "../subscription.js";
import { functionMetrics } from "./function-metrics.js";
import { gatewayMetrics } from "./gateway-metrics.js";
import type { MetricsHistoryAnswer } from "./history-point.js";
import { MetricBatches } from "./labelled-children.js";
import { MetricsHistory } from "./metrics-history.js";
import { type RunningParts, runningGauges } from "./running-gauges.js";
import { serviceMetrics } from "./service-metrics.js";

export interface MetricsText {
  readonly contentType: string;
  readonly text: string;
}

export class PlatformMetrics {
  readonly #registry = new Registry();
  readonly #batches = new MetricBatches();
  readonly #subscribers: (() => Unsubscribe[])[];
  readonly #history = new MetricsHistory(this.#registry, () => this.#batches.flush());
  #subscriptions: Unsubscribe[] = [];

  constructor(running: () => RunningParts) {
    collectDefaultMetrics({ register: this.#registry });
    this.#subscribers = [
      gatewayMetrics(this.#registry, this.#batches),
      functionMetrics(this.#registry, this.#batches),
      serviceMetrics(this.#registry, this.#batches),
    ];
    runningGauges(this.#registry, running);
  }

  /** Subscribes to the channels (process-wide): call when the platform starts. */
  start(): void {
    if (this.#subscriptions.length > 0) return;
    this.#subscriptions = this.#subscribers.flatMap((subscribe) => subscribe());
    this.#history.start();
  }

  stop(): void {
    this.#history.stop();
    for (const unsubscribe of this.#subscriptions.splice(0)) unsubscribe();
  }

  /** The last hour, minute by minute, of each function and route (the console's charts). */
  history(): Promise<MetricsHistoryAnswer> {
    return this.#history.read();
  }

  /** The Prometheus text exposition of every metric. */
  async scrape(): Promise<MetricsText> {
    this.#batches.flush();
    return { contentType: this.#registry.contentType, text: await this.#registry.metrics() };
  }
}
