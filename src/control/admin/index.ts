/** The admin API: the control plane's listener, its guard, and its resources. */

export { isLoopbackAddress } from "./admin-guard.js";
export { AdminServer, type AdminServerOptions } from "./admin-server.js";
