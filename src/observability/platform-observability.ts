/**
 * What a platform observes of itself, each part a subscriber to the channels: Prometheus metrics, the log store's
 * recorder, access and request logs, and traces (when Portico's environment names an OTLP endpoint). With
 * `enabled: false` (`--no-observability`) nothing subscribes, so the request path publishes nothing.
 */
import type { LogStore } from "../control/store/index.js";
import { type RequestLogOptions, subscribeRequestLogs } from "./access/index.js";
import { LogRecorder } from "./logs/log-recorder.js";
import { StoreLogWriter } from "./logs/log-writer.js";
import { ThreadLogWriter } from "./logs/thread-log-writer.js";
import { type MetricsHistoryAnswer, type MetricsText, PlatformMetrics } from "./metrics/index.js";
import type { RunningParts } from "./metrics/running-gauges.js";
import { startTracing } from "./tracing/tracing.js";

export interface ObservabilityOptions extends RequestLogOptions {
  readonly enabled: boolean;
  /** Where function, service and access-log lines are kept. */
  readonly logs: LogStore;
  /** The pools and revisions running now, read when metrics are scraped. */
  readonly running: () => RunningParts;
}

export class PlatformObservability {
  readonly #options: ObservabilityOptions;
  /** Made by `start`: its process metrics sample the event loop and the collector from the moment they exist. */
  #metrics: PlatformMetrics | undefined;
  /** What `stop` undoes, in the order `start` did it. */
  #started: (() => void | Promise<void>)[] = [];

  constructor(options: ObservabilityOptions) {
    this.#options = options;
  }

  get enabled(): boolean {
    return this.#options.enabled;
  }

  /** Subscribes every part. Subscriptions are process-wide: one platform per process observes. */
  async start(): Promise<void> {
    if (!this.#options.enabled) return;
    const tracing = await startTracing();
    if (tracing) this.#started.push(() => tracing.stop());
    const metrics = new PlatformMetrics(this.#options.running);
    this.#metrics = metrics;
    metrics.start();
    this.#started.push(() => metrics.stop());
    const logs = this.#options.logs;
    const inThread = new StoreLogWriter(logs);
    const recorder = new LogRecorder(logs.location ? new ThreadLogWriter(logs.location, inThread) : inThread);
    recorder.start();
    this.#started.push(() => recorder.stop());
    this.#started.push(subscribeRequestLogs(this.#options));
  }

  /** Unsubscribes, last started first, so the recorder stores the last access lines, then spans are exported. */
  async stop(): Promise<void> {
    const started = this.#started.reverse();
    this.#started = [];
    for (const stop of started) await stop();
  }

  /** Prometheus's text format; undefined when observability is off. */
  async metrics(): Promise<MetricsText | undefined> {
    return this.#metrics?.scrape();
  }

  /** The last hour of each function and route, minute by minute; undefined when observability is off. */
  async metricsHistory(): Promise<MetricsHistoryAnswer | undefined> {
    return this.#metrics?.history();
  }
}
