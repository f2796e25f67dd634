/**
 * Which API a request is for, by its Host: `NAME.localhost` and configured custom domains are exact
 * lookups; with a single API, every other host reaches it too (its `$default` stage at the root).
 */
import type { CompiledApi } from "./compiled-api.js";

export class HostDispatch {
  readonly #byHost = new Map<string, CompiledApi>();
  readonly #fallback: CompiledApi | null;

  constructor(apis: readonly CompiledApi[]) {
    for (const api of apis) {
      this.#byHost.set(`${api.spec.name}.localhost`, api);
      for (const domain of api.spec.domains) this.#byHost.set(domain.toLowerCase(), api);
    }
    this.#fallback = apis.length === 1 ? (apis[0] as CompiledApi) : null;
  }

  /** `host` is the Host header as sent (may carry a port, may be absent). */
  resolve(host: string | undefined): CompiledApi | null {
    if (host === undefined) return this.#fallback;
    return this.#byHost.get(hostName(host)) ?? this.#fallback;
  }
}

/** The Host header without its port, lower-cased (`Items.localhost:3000` → `items.localhost`). */
export function hostName(host: string): string {
  const end = host.startsWith("[") ? host.indexOf("]") + 1 : host.lastIndexOf(":");
  return (end > 0 ? host.slice(0, end) : host).toLowerCase();
}
