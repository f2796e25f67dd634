export type { HistoryPoint, MetricsHistoryAnswer } from "./history-point.js";
export { type MetricsText, PlatformMetrics } from "./platform-metrics.js";
