/**
 * What `GET /v1/metrics/history` answers: the wire shape the console reads too, which imports this file (it has
 * no imports of its own, so it type-checks in the browser's build as well).
 */

/** One minute of one function or route. Latencies in ms; absent when nothing was measured in the minute. */
export interface HistoryPoint {
  /** The minute's start, epoch ms. */
  readonly t: number;
  readonly requests: number;
  /** Functions: Lambda's Errors (timeouts included). Routes: 5xx answers. */
  readonly errors: number;
  /** Functions: invocations that started an instance. */
  readonly coldStarts?: number;
  /** Routes: 4xx answers. */
  readonly clientErrors?: number;
  readonly p50?: number;
  readonly p99?: number;
}

export interface MetricsHistoryAnswer {
  /** Oldest first, the minute under way last. */
  readonly minutes: readonly number[];
  /** By function name; each array aligned with `minutes`. */
  readonly functions: Readonly<Record<string, readonly HistoryPoint[]>>;
  /** By `API STAGE ROUTE-KEY`. */
  readonly routes: Readonly<Record<string, readonly HistoryPoint[]>>;
}
