/** Functions: Lambda-style instances (one OS process each), their pools, runtimes and logs. */

export { DEBUG_TIMEOUT_SECONDS } from "./debug-port.js";
export { FunctionHost, type FunctionHostOptions } from "./function-host.js";
export { FunctionInitError } from "./function-init-error.js";
export type { FunctionLogSink, LogTags } from "./function-logs.js";
export { InstancePool, type InvokeOptions, type PoolStats } from "./instance-pool.js";
export type { InvocationOutcome } from "./invocation.js";
export { TENANT_ID_ERROR } from "./lambda-errors.js";
