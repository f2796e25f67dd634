/** What the gateway needs from a service: a name, its domains, and a way to answer a request. */
import type { IncomingMessage, ServerResponse } from "node:http";

export interface ServiceBackend {
  readonly name: string;
  readonly domains: readonly string[];
  /** `tag` is set when the request came to `TAG---NAME.localhost`: only that revision answers it. */
  handle(request: IncomingMessage, response: ServerResponse, tag?: string): Promise<void>;
}
