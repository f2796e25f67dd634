/** Control: composes config, functions and gateway into running sessions. */
export { DevSession, type DevSessionOptions, deployedMessage } from "./dev-session.js";
export { invokeOnce } from "./invoke-once.js";
