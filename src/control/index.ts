/** Control: composes config, functions and gateway into running sessions. */

export { type PackedProject, type PackOptions, type PackProgress, packProject } from "./artifacts/index.js";
export {
  ACCESS_KEY_ID_VARIABLE,
  readSigV4Credentials,
  SECRET_ACCESS_KEY_VARIABLE,
  type SigV4Credentials,
} from "./aws-api/index.js";
export type { DeployedRevision } from "./commands/index.js";
export { DevSession, type DevSessionOptions } from "./dev-session.js";
export { parseRetryDelays, RETRY_DELAYS_VARIABLE } from "./event-invoker.js";
export { invokeOnce } from "./invoke-once.js";
export type { ServerOptions } from "./platform.js";
export type { UploadedDeployment } from "./project-upload.js";
export { ServerSession, type ServerSessionOptions } from "./server-session.js";
