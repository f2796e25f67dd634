/**
 * A Prometheus histogram whose observation is a bucket search and three additions, shown by prom-client's registry
 * as it shows its own. prom-client's Histogram turns a child's labels into its key again, and a bucket's bound into
 * a property name, on every observation: about 0.5 µs each (measured), three times per API request. Here each label
 * set is a series made once, which the request path keeps (LabelledChildren).
 */
import type { Metric, Registry } from "prom-client";

export interface BucketHistogramConfig {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Upper bounds, ascending; `+Inf` is added. */
  readonly buckets: readonly number[];
  readonly registers: readonly Registry[];
}

/** One sample of the exposition, as prom-client's registry formats it. */
interface HistogramSample {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

export class BucketHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = "histogram";
  readonly aggregator = "sum";
  readonly #labelNames: readonly string[];
  readonly #bounds: Float64Array;
  readonly #series = new Map<string, HistogramSeries>();

  constructor(config: BucketHistogramConfig) {
    this.name = config.name;
    this.help = config.help;
    this.#labelNames = config.labelNames;
    this.#bounds = Float64Array.from(config.buckets);
    // The registry reads a metric through `name` and `get()` alone.
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these label values: the same one for the same values. */
  labels(labels: Readonly<Record<string, string>>): HistogramSeries {
    const values = this.#labelNames.map((name) => labels[name] ?? "");
    const key = JSON.stringify(values);
    let series = this.#series.get(key);
    if (series === undefined) {
      series = new HistogramSeries(labels, this.#bounds);
      this.#series.set(key, series);
    }
    return series;
  }

  /** Every series as cumulative `_bucket` samples (`le` last), then `_sum` and `_count`. */
  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: HistogramSample[];
  }> {
    const values: HistogramSample[] = [];
    for (const series of this.#series.values()) series.samples(this.name, values);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

export class HistogramSeries {
  readonly #labels: Readonly<Record<string, string>>;
  readonly #bounds: Float64Array;
  /** Observations per bucket, not cumulative; the last is past every bound (`+Inf`). */
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  constructor(labels: Readonly<Record<string, string>>, bounds: Float64Array) {
    this.#labels = labels;
    this.#bounds = bounds;
    this.#counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    // Durations computed by Portico: never NaN in practice, and a NaN must not poison `_sum`.
    if (!Number.isFinite(value)) return;
    const bounds = this.#bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++;
    const counts = this.#counts;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
    this.#sum += value;
    this.#count++;
  }

  samples(name: string, into: HistogramSample[]): void {
    const bounds = this.#bounds;
    let cumulative = 0;
    for (let bucket = 0; bucket < bounds.length; bucket++) {
      cumulative += this.#counts[bucket] as number;
      into.push({
        metricName: `${name}_bucket`,
        labels: { ...this.#labels, le: bounds[bucket] as number },
        value: cumulative,
      });
    }
    into.push({ metricName: `${name}_bucket`, labels: { ...this.#labels, le: "+Inf" }, value: this.#count });
    into.push({ metricName: `${name}_sum`, labels: this.#labels, value: this.#sum });
    into.push({ metricName: `${name}_count`, labels: this.#labels, value: this.#count });
  }
}
