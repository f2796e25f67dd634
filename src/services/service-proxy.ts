/**
 * Forwards one client request to a service instance over a keep-alive connection, streaming the body
 * both ways (SSE and chunked answers flow as written), with the headers Cloud Run adds
 * (X-Forwarded-*, Forwarded, traceparent) and without hop-by-hop headers. Each instance has an
 * upstream (`InstanceUpstream`, the seam): Portico's own keep-alive connections, where the request
 * head goes out as one write and Node.js's own parser reads the answer, relayed read by read. It
 * costs the gateway about a fifth of the CPU per request of undici's `Pool.request` + `pipeline`, and
 * less than undici's `dispatch` with a raw handler, which the benchmark can still compare
 * (docs/benchmarks.md, "Why the service proxy parses with Node.js's own parser").
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { InstanceConnections } from "./instance-connections.js";
import type { ProxyOptions } from "./proxy-exchange.js";

export { PLATFORM_MESSAGES, type ProxyOptions } from "./proxy-exchange.js";

/** The proxy's interface to one instance's connections: what carries a request there and its answer back. */
export interface InstanceUpstream {
  /** Proxies one exchange; resolves when it is over, relayed whole or failed. */
  forward(request: IncomingMessage, response: ServerResponse, options: ProxyOptions): Promise<void>;
  /** Stops taking exchanges; resolves once those in flight are done and every connection is closed. */
  close(): Promise<void>;
  /** Closes every connection now: exchanges in flight fail (Cloud Run's 503, or a cut answer). */
  destroy(): Promise<void>;
}

/** Makes the upstream of the instance on `port`, with at most `connections` connections at once. */
export type UpstreamFactory = (port: number, connections: number) => InstanceUpstream;

let makeUpstream: UpstreamFactory = (port, connections) => new InstanceConnections(port, connections);

/**
 * Replaces how upstreams are made, for instances started from now on. Only `npm run bench` calls it,
 * from a module it preloads into `portico dev`, to compare upstream implementations in the same run.
 */
export function useUpstream(factory: UpstreamFactory): void {
  makeUpstream = factory;
}

/** Keep-alive connections to the instance on `port`, at most `connections` at once. */
export function connectionPool(port: number, connections: number): InstanceUpstream {
  return makeUpstream(port, connections);
}

/**
 * Proxies `request` to an instance through `upstream`; resolves when the exchange is over. A failure
 * before the answer started becomes Cloud Run's 503 or 504; after it, the client connection is cut.
 */
export function proxyRequest(
  upstream: InstanceUpstream,
  request: IncomingMessage,
  response: ServerResponse,
  options: ProxyOptions,
): Promise<void> {
  return upstream.forward(request, response, options);
}
