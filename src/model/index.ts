/** Domain types shared by every part of Portico. */
export type {
  ApiKind,
  ApiSpec,
  AuthorizerSpec,
  CorsSpec,
  JwtAuthorizerSpec,
  LambdaAuthorizerSpec,
  PayloadFormat,
  RouteSpec,
  StageSpec,
  ThrottleSpec,
  UnservedAuthorizerSpec,
} from "./api-spec.js";
export { AWS_ACCOUNT_ID, AWS_REGION } from "./aws-identity.js";
export {
  type FunctionLogging,
  type FunctionSpec,
  LOG_LEVELS,
  type LogLevel,
  type RuntimeKind,
} from "./function-spec.js";
export { isoTime } from "./iso-time.js";
export { PorticoError } from "./portico-error.js";
export type { Project } from "./project.js";
export {
  type ApiRecord,
  applyChange,
  type CodeRef,
  type DesiredState,
  EMPTY_STATE,
  type FunctionConfig,
  type FunctionRecord,
  type ProjectRecord,
  RECORD_KINDS,
  type RecordKind,
  type RecordKinds,
  type RecordWrite,
  type RevisionRecord,
  type ServiceConfig,
  type ServiceRecord,
  type StateChange,
  type TrafficRecord,
} from "./records.js";
export type { ServiceSpec } from "./service-spec.js";
export { toolchainEnvironment } from "./toolchain-environment.js";
