/**
 * Which API or service a request is for, by its Host: `NAME.localhost` and configured custom domains
 * are exact lookups; `TAG---NAME.localhost` reaches a service's tagged revision (Cloud Run's tag URLs);
 * when the project serves a single API (or, without APIs, a single service), every other host reaches it
 * too. With several APIs the bare host names none of them; the gateway then picks one by route (bare-host.ts).
 */
import type { CompiledApi } from "./compiled-api.js";
import type { ServiceBackend } from "./service-backend.js";

export type HostTarget =
  | { readonly api: CompiledApi }
  | { readonly service: ServiceBackend; readonly tag?: string };

/** Separates a revision tag from the service's host name, as in Cloud Run's `TAG---SERVICE` URLs. */
const TAG_SEPARATOR = "---";

export class HostDispatch {
  readonly #byHost = new Map<string, HostTarget>();
  readonly #fallback: HostTarget | null;

  constructor(apis: readonly CompiledApi[], services: readonly ServiceBackend[] = []) {
    const targets: HostTarget[] = [];
    for (const api of apis) targets.push({ api });
    for (const service of services) targets.push({ service });
    for (const target of targets) {
      const { name, domains } = "api" in target ? target.api.spec : target.service;
      this.#byHost.set(`${name}.localhost`, target);
      for (const domain of domains) this.#byHost.set(domain.toLowerCase(), target);
    }
    const only = apis.length === 1 ? { api: apis[0] as CompiledApi } : null;
    const onlyService =
      apis.length === 0 && services.length === 1 ? { service: services[0] as ServiceBackend } : null;
    this.#fallback = only ?? onlyService;
  }

  /** `host` is the Host header as sent (may carry a port, may be absent). */
  resolve(host: string | undefined): HostTarget | null {
    if (host === undefined) return this.#fallback;
    const name = hostName(host);
    const exact = this.#byHost.get(name);
    if (exact) return exact;
    const separator = name.indexOf(TAG_SEPARATOR);
    if (separator > 0) {
      const tagged = this.#byHost.get(name.slice(separator + TAG_SEPARATOR.length));
      if (tagged && "service" in tagged) return { service: tagged.service, tag: name.slice(0, separator) };
    }
    return this.#fallback;
  }
}

/** The host names that name no API: loopback, as `sam local start-api` is reached (any port). */
const BARE_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether a Host header (or its absence) names loopback rather than an API or service. */
export function isBareHost(host: string | undefined): boolean {
  return host === undefined || BARE_HOSTS.has(hostName(host));
}

/** The Host header without its port, lower-cased (`Items.localhost:3000` → `items.localhost`). */
export function hostName(host: string): string {
  const end = host.startsWith("[") ? host.indexOf("]") + 1 : host.lastIndexOf(":");
  return (end > 0 ? host.slice(0, end) : host).toLowerCase();
}
