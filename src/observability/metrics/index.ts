export type { HistoryPoint, MetricsHistoryAnswer } from "./metrics-history.js";
export { type MetricsText, PlatformMetrics } from "./platform-metrics.js";
