/** Services: Cloud Run-style apps (from source or an image), their instances, revision pools and proxy. */
export { resolveImageCommand } from "./image-start-command.js";
export { CONTAINER_FAILED_TO_START, InstanceStartError, type StartFailure } from "./instance-start-error.js";
export type { InstanceExit, InstanceState } from "./instance-state.js";
export {
  type Lease,
  NO_AVAILABLE_INSTANCE,
  type PoolableInstance,
  RevisionPool,
  type RevisionPoolSettings,
} from "./revision-pool.js";
export { RevisionRuntime, type ServiceLogSink } from "./revision-runtime.js";
export { type DeployOptions, Service, type TrafficChange } from "./service.js";
export {
  describeRevisions,
  describeService,
  type RevisionDescription,
  type ServiceDescription,
  type TrafficTargetDescription,
  type UrlFor,
} from "./service-description.js";
export {
  DEFAULT_STARTUP_TIMEOUT_MS,
  DEFAULT_STOP_GRACE_MS,
  type LogStream,
  ServiceInstance,
  type ServiceInstanceOptions,
} from "./service-instance.js";
export { connectionPool, PLATFORM_MESSAGES, type ProxyOptions, proxyRequest } from "./service-proxy.js";
export { resolveStartCommand, type StartCommand, type StartOrigin } from "./start-command.js";
export { LATEST, type Traffic, type TrafficShare } from "./traffic.js";
