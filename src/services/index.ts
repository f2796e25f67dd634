/** Services: Cloud Run-style apps (from source or an image), their instances, revision pools and proxy. */
export { ServicePorts } from "./free-port.js";
export { ContainerImages } from "./image-start-command.js";
export { CONTAINER_FAILED_TO_START, InstanceStartError, type StartFailure } from "./instance-start-error.js";
export type { InstanceExit, InstanceState } from "./instance-state.js";
export { revisionName } from "./revision-name.js";
export {
  type Lease,
  NO_AVAILABLE_INSTANCE,
  type PoolableInstance,
  RevisionPool,
  type RevisionPoolSettings,
} from "./revision-pool.js";
export { type RevisionIdentity, RevisionRuntime, type ServiceLogSink } from "./revision-runtime.js";
export {
  describeRevisions,
  describeService,
  type RevisionDescription,
  type RunningRevisionInfo,
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
export { ServiceRouter } from "./service-router.js";
export { resolveStartCommand, type StartCommand, type StartOrigin } from "./start-command.js";
export {
  ALL_TO_LATEST,
  checkTagName,
  LATEST,
  percentOf,
  pinLatest,
  removeTags,
  type Traffic,
  type TrafficChange,
  type TrafficShare,
  tagsOf,
  toLatest,
  toRevisions,
  toTags,
  trafficOf,
  trafficRecord,
  updateTags,
} from "./traffic.js";
