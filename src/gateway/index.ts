/** Gateway: the data-plane HTTP server, host dispatch, routing, CORS and the Lambda integration. */
export { type ApiCompileOptions, CompiledApi } from "./compiled-api.js";
export { type GatewayLog, GatewayServer } from "./gateway-server.js";
export type { FunctionIntegration, IntegrationOutcome } from "./integration.js";
export type { ServiceBackend } from "./service-backend.js";
