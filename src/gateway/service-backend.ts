/** What the gateway needs from a service: a name, its domains, and a way to answer a request. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

export interface ServiceBackend {
  readonly name: string;
  readonly domains: readonly string[];
  /** `tag` is set when the request came to `TAG---NAME.localhost`: only that revision answers it. */
  handle(request: IncomingMessage, response: ServerResponse, tag?: string): Promise<void>;
  /** An HTTP upgrade (WebSocket) on `socket`, which the backend now owns. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, tag?: string): Promise<void>;
}
