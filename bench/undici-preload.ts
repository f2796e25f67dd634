/**
 * Preloaded into `portico dev` (`node --import`) by the services benchmark to run the service proxy
 * on undici's Client instead of Node.js's own parser.
 */
import { useUpstream } from "../src/services/service-proxy.js";
import { UndiciUpstream } from "./undici-upstream.js";

useUpstream((port, connections) => new UndiciUpstream(port, connections));
