/** Functions: Lambda-style instances (one OS process each), their pools, runtimes and logs. */
export { FunctionHost } from "./function-host.js";
export { FunctionInitError } from "./function-init-error.js";
export type { FunctionLogSink } from "./function-logs.js";
export { InstancePool, type InvokeOptions, type PoolStats } from "./instance-pool.js";
export type { InvocationOutcome } from "./invocation.js";
