/**
 * The last hour of the metrics the console draws, minute by minute, for each function and each route: read from
 * the registry's own counters and histograms at each minute's end (and at each read, for the minute under way), so
 * the request path does nothing more for it. Quantiles come from the histogram buckets as Prometheus's
 * `histogram_quantile` computes them, so the console agrees with a Grafana panel over the same metrics.
 */
import type { MetricObject, MetricValue, Registry } from "prom-client";
import type { HistoryPoint, MetricsHistoryAnswer } from "./history-point.js";

/** A histogram's values carry the name of their series (`..._bucket`, `..._sum`, `..._count`). */
type Sample = MetricValue<string> & { readonly metricName?: string };

const MINUTE_MS = 60_000;
/** Minutes kept: the console's last hour. */
const HISTORY_MINUTES = 60;

/** Cumulative values of one series at one moment. */
interface Totals {
  count: number;
  errors: number;
  other: number;
  /** Cumulative bucket counts, `le` ascending (+Inf last). */
  buckets: number[];
  bounds: number[];
}

type Snapshot = Map<string, Totals>;

export class MetricsHistory {
  readonly #registry: Registry;
  readonly #flush: () => void;
  /** Per minute start: the totals at its end minus those at its start, as points. */
  readonly #minutes = new Map<number, Map<string, HistoryPoint>>();
  #last: { minute: number; snapshot: Snapshot } | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** `flush`: puts counts still batched on the request path into the registry. */
  constructor(registry: Registry, flush: () => void) {
    this.#registry = registry;
    this.#flush = flush;
  }

  start(): void {
    void this.#close(Date.now());
    const next = MINUTE_MS - (Date.now() % MINUTE_MS);
    this.#timer = setTimeout(() => {
      this.#timer = setInterval(() => void this.#close(Date.now()), MINUTE_MS);
      this.#timer.unref();
      void this.#close(Date.now());
    }, next);
    this.#timer.unref();
  }

  stop(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
  }

  /** The last hour, the minute under way included (its points so far). */
  async read(now = Date.now()): Promise<MetricsHistoryAnswer> {
    const current = minuteOf(now);
    const snapshot = await this.#snapshot();
    const under = this.#last
      ? difference(snapshot, this.#last.snapshot, current)
      : new Map<string, HistoryPoint>();
    const minutes = Array.from(
      { length: HISTORY_MINUTES },
      (_, i) => current - (HISTORY_MINUTES - 1 - i) * MINUTE_MS,
    );
    const keys = new Set([
      ...under.keys(),
      ...[...this.#minutes.values()].flatMap((points) => [...points.keys()]),
    ]);
    const functions: Record<string, HistoryPoint[]> = {};
    const routes: Record<string, HistoryPoint[]> = {};
    for (const key of keys) {
      const series = minutes.map(
        (t) =>
          (t === current ? under.get(key) : this.#minutes.get(t)?.get(key)) ?? { t, requests: 0, errors: 0 },
      );
      const [kind, name] = splitKey(key);
      (kind === "function" ? functions : routes)[name] = series;
    }
    return { minutes, functions, routes };
  }

  /** At a minute's end: keeps the minute just ended, and forgets what is older than the hour. */
  async #close(now: number): Promise<void> {
    const minute = minuteOf(now);
    const snapshot = await this.#snapshot();
    const last = this.#last;
    this.#last = { minute, snapshot };
    if (last !== undefined && last.minute < minute) {
      this.#minutes.set(last.minute, difference(snapshot, last.snapshot, last.minute));
    }
    for (const kept of this.#minutes.keys()) {
      if (kept <= minute - HISTORY_MINUTES * MINUTE_MS) this.#minutes.delete(kept);
    }
  }

  async #snapshot(): Promise<Snapshot> {
    this.#flush();
    const read = async (name: string) => {
      const metric = this.#registry.getSingleMetric(name);
      return metric ? ((await metric.get()) as MetricObject & { values: Sample[] }).values : [];
    };
    const snapshot: Snapshot = new Map();
    const totals = (key: string) => {
      let found = snapshot.get(key);
      if (found === undefined) {
        found = { count: 0, errors: 0, other: 0, buckets: [], bounds: [] };
        snapshot.set(key, found);
      }
      return found;
    };
    const fn = (labels: Record<string, unknown>) => `function\u0000${labels.function}`;
    const route = (labels: Record<string, unknown>) =>
      `route\u0000${labels.api} ${labels.stage} ${labels.route}`;
    for (const { labels, value } of await read("portico_function_invocations_total"))
      totals(fn(labels)).count += value;
    for (const { labels, value } of await read("portico_function_errors_total"))
      totals(fn(labels)).errors += value;
    for (const { labels, value } of await read("portico_function_cold_starts_total"))
      totals(fn(labels)).other += value;
    for (const { labels, value } of await read("portico_api_requests_total")) {
      const series = totals(route(labels));
      series.count += value;
      if (labels.status_class === "5xx") series.errors += value;
      if (labels.status_class === "4xx") series.other += value;
    }
    const buckets = async (name: string, keyOf: (labels: Record<string, unknown>) => string) => {
      for (const { labels, value, metricName } of await read(name)) {
        if (!metricName?.endsWith("_bucket")) continue;
        const series = totals(keyOf(labels));
        series.bounds.push(labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(labels.le));
        series.buckets.push(value);
      }
    };
    await buckets("portico_function_duration_seconds", fn);
    await buckets("portico_api_request_duration_seconds", route);
    return snapshot;
  }
}

function minuteOf(time: number): number {
  return time - (time % MINUTE_MS);
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf("\u0000");
  return [key.slice(0, at), key.slice(at + 1)];
}

/** Each series' points over the minute starting at `t`: `now` minus `before`. */
function difference(now: Snapshot, before: Snapshot, t: number): Map<string, HistoryPoint> {
  const points = new Map<string, HistoryPoint>();
  for (const [key, totals] of now) {
    const earlier = before.get(key);
    const requests = totals.count - (earlier?.count ?? 0);
    const errors = totals.errors - (earlier?.errors ?? 0);
    const other = totals.other - (earlier?.other ?? 0);
    const buckets = totals.buckets.map((count, i) => count - (earlier?.buckets[i] ?? 0));
    const isFunction = key.startsWith("function");
    const p50 = quantile(0.5, totals.bounds, buckets);
    const p99 = quantile(0.99, totals.bounds, buckets);
    points.set(key, {
      t,
      requests,
      errors,
      ...(isFunction ? { coldStarts: other } : { clientErrors: other }),
      ...(p50 === undefined ? {} : { p50: p50 * 1000, p99: (p99 as number) * 1000 }),
    });
  }
  return points;
}

/**
 * Prometheus's `histogram_quantile`: the bucket holding the q-th observation, interpolated linearly within it (a
 * quantile in the +Inf bucket is the highest finite bound). Undefined with no observations.
 */
export function quantile(
  q: number,
  bounds: readonly number[],
  cumulative: readonly number[],
): number | undefined {
  const total = cumulative.at(-1) ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  const index = cumulative.findIndex((count) => count >= rank);
  const upper = bounds[index] as number;
  const lower = index === 0 ? 0 : (bounds[index - 1] as number);
  if (upper === Number.POSITIVE_INFINITY) return lower;
  const below = index === 0 ? 0 : (cumulative[index - 1] as number);
  const inBucket = (cumulative[index] as number) - below;
  return inBucket === 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
}
