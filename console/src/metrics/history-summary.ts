/** An hour of minute points as one row: counts summed, latencies the worst minute's, the last minute with traffic. */
import type { HistoryPoint } from "../admin-types.js";

export interface HistorySummary {
  readonly requests: number;
  readonly errors: number;
  readonly coldStarts: number;
  readonly p50: number | undefined;
  readonly p99: number | undefined;
  /** The start of the last minute with a request, epoch ms. */
  readonly lastActive: number | undefined;
}

export function summaryOf(points: readonly HistoryPoint[]): HistorySummary {
  let requests = 0;
  let errors = 0;
  let coldStarts = 0;
  let p50: number | undefined;
  let p99: number | undefined;
  let lastActive: number | undefined;
  for (const point of points) {
    requests += point.requests;
    errors += point.errors;
    coldStarts += point.coldStarts ?? 0;
    if (point.p50 !== undefined) p50 = Math.max(p50 ?? 0, point.p50);
    if (point.p99 !== undefined) p99 = Math.max(p99 ?? 0, point.p99);
    if (point.requests > 0) lastActive = point.t;
  }
  return { requests, errors, coldStarts, p50, p99, lastActive };
}
