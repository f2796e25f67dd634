/** HTTP server plumbing shared by Portico's listeners (gateway, admin API, Runtime API). */

export { clientAddress } from "./client-address.js";
export { firstHeaderValue } from "./first-header-value.js";
export { type LimitedBody, readLimitedBody } from "./limited-body.js";
export { listen } from "./listen.js";
export { sendJson } from "./send-json.js";
export { sendText } from "./send-text.js";
export { utf8Text } from "./utf8-text.js";
