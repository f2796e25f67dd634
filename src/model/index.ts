/** Domain types shared by every part of Portico. */
export type { ApiSpec, CorsSpec, PayloadFormat, RouteSpec, StageSpec } from "./api-spec.js";
export { AWS_ACCOUNT_ID, AWS_REGION } from "./aws-identity.js";
export type { FunctionSpec, RuntimeKind } from "./function-spec.js";
export { PorticoError } from "./portico-error.js";
export type { Project } from "./project.js";
export type { ServiceSpec } from "./service-spec.js";
export { toolchainEnvironment } from "./toolchain-environment.js";
