/** Control: composes config, functions and gateway into running sessions. */

export { type PackedProject, type PackOptions, type PackProgress, packProject } from "./artifacts/index.js";
export type { DeployedRevision } from "./commands/index.js";
export { DevSession, type DevSessionOptions } from "./dev-session.js";
export { invokeOnce } from "./invoke-once.js";
export type { ServerOptions } from "./platform.js";
export type { UploadedDeployment } from "./project-upload.js";
export { ServerSession, type ServerSessionOptions } from "./server-session.js";
