/**
 * CORS as HTTP APIs do it: the gateway answers preflight requests that no route matches, adds the
 * configured headers to responses for allowed origins, and drops the integration's own CORS headers.
 * Header values are computed once per deployment.
 */
import type { CorsSpec } from "../model/index.js";

export type HeaderPairs = Array<[string, string]>;

export class CorsPolicy {
  readonly #anyOrigin: boolean;
  readonly #origins: ReadonlySet<string>;
  readonly #credentials: boolean;
  readonly #exposeHeaders: string | undefined;
  readonly #preflightHeaders: HeaderPairs;

  constructor(spec: CorsSpec) {
    this.#anyOrigin = spec.allowOrigins.includes("*");
    this.#origins = new Set(spec.allowOrigins.map((origin) => origin.toLowerCase()));
    this.#credentials = spec.allowCredentials;
    this.#exposeHeaders = spec.exposeHeaders.length > 0 ? spec.exposeHeaders.join(",") : undefined;
    this.#preflightHeaders = [];
    if (spec.allowMethods.length > 0)
      this.#preflightHeaders.push(["Access-Control-Allow-Methods", spec.allowMethods.join(",")]);
    if (spec.allowHeaders.length > 0)
      this.#preflightHeaders.push(["Access-Control-Allow-Headers", spec.allowHeaders.join(",")]);
    if (spec.maxAge !== undefined)
      this.#preflightHeaders.push(["Access-Control-Max-Age", String(spec.maxAge)]);
  }

  /** Headers for a preflight (OPTIONS) answer: empty when the origin is not allowed. */
  preflightHeaders(origin: string | undefined): HeaderPairs {
    const headers = this.#originHeaders(origin);
    if (headers.length > 0) headers.push(...this.#preflightHeaders);
    return headers;
  }

  /** Headers added to an actual response: empty when the origin is not allowed. */
  responseHeaders(origin: string | undefined): HeaderPairs {
    const headers = this.#originHeaders(origin);
    if (headers.length > 0 && this.#exposeHeaders)
      headers.push(["Access-Control-Expose-Headers", this.#exposeHeaders]);
    return headers;
  }

  #originHeaders(origin: string | undefined): HeaderPairs {
    if (origin === undefined) return [];
    const headers: HeaderPairs = [];
    if (this.#anyOrigin) {
      headers.push(["Access-Control-Allow-Origin", "*"]);
    } else if (this.#origins.has(origin.toLowerCase())) {
      headers.push(["Access-Control-Allow-Origin", origin], ["Vary", "Origin"]);
    } else {
      return headers;
    }
    if (this.#credentials) headers.push(["Access-Control-Allow-Credentials", "true"]);
    return headers;
  }
}

/** Whether a response header is a CORS header, which API Gateway ignores when CORS is configured. */
export function isCorsHeader(name: string): boolean {
  return name.length > 15 && name.slice(0, 15).toLowerCase() === "access-control-";
}
