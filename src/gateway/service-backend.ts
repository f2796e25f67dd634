/** What the gateway needs from a service: a name, its domains, and a way to answer a request. */
import type { IncomingMessage, ServerResponse } from "node:http";

export interface ServiceBackend {
  readonly name: string;
  readonly domains: readonly string[];
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}
