export { type MetricsText, PlatformMetrics } from "./platform-metrics.js";
