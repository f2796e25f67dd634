/** Control: composes config, functions and gateway into running sessions. */

export { type PackedProject, type PackOptions, type PackProgress, packProject } from "./artifacts/index.js";
export { DevSession, type DevSessionOptions, deployedMessage } from "./dev-session.js";
export { invokeOnce } from "./invoke-once.js";
