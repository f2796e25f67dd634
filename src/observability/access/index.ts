/** Access logs: API Gateway `$context` formats, Cloud Run request lines, and their subscriber. */

export type { AccessLogRender, CompiledFormat } from "./access-log-format.js";
export { accessLogFormatProblem, compileAccessLogFormat, defaultAccessLog } from "./access-log-format.js";
export { type RequestLogOptions, subscribeRequestLogs } from "./request-logs.js";
export { serviceRequestLine } from "./service-request-log.js";
