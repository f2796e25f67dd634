/**
 * Routes one service's requests as its traffic says: untagged requests by the split (smooth weighted
 * round-robin), `TAG---NAME` requests to the tag's revision. Built anew whenever the service's revisions or
 * traffic change, and swapped into the gateway with everything else; it never changes after.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { sendText } from "../http/index.js";
import type { RevisionRuntime } from "./revision-runtime.js";
import { LATEST, type Traffic } from "./traffic.js";
import { refuse } from "./upgrade-proxy.js";
import { WeightedPicker } from "./weighted-picker.js";

export class ServiceRouter {
  readonly name: string;
  readonly domains: readonly string[];
  readonly #picker: WeightedPicker<RevisionRuntime>;
  readonly #byTag: ReadonlyMap<string, RevisionRuntime>;

  /**
   * `revisions`: the service's ready revisions by name, `latestReady` the one LATEST means. Shares naming a
   * revision that is not there are left out.
   */
  constructor(
    name: string,
    domains: readonly string[],
    traffic: Traffic,
    revisions: ReadonlyMap<string, RevisionRuntime>,
    latestReady: string | undefined,
  ) {
    this.name = name;
    this.domains = domains;
    const resolve = (revision: string) => revisions.get(revision === LATEST ? (latestReady ?? "") : revision);
    const weights = new Map<RevisionRuntime, number>();
    for (const share of traffic.split) {
      const revision = resolve(share.revision);
      if (revision) weights.set(revision, (weights.get(revision) ?? 0) + share.percent);
    }
    this.#picker = new WeightedPicker([...weights]);
    const byTag = new Map<string, RevisionRuntime>();
    for (const [tag, name] of traffic.tags) {
      const revision = resolve(name);
      if (revision) byTag.set(tag, revision);
    }
    this.#byTag = byTag;
  }

  handle(request: IncomingMessage, response: ServerResponse, tag?: string): Promise<void> {
    const revision = this.#pick(tag);
    if (revision) return revision.handle(request, response);
    sendText(response, 404, this.#noRevision(tag));
    return Promise.resolve();
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, tag?: string): Promise<void> {
    const revision = this.#pick(tag);
    if (revision) return revision.upgrade(request, socket, head);
    refuse(socket, 404, this.#noRevision(tag));
    return Promise.resolve();
  }

  #pick(tag: string | undefined): RevisionRuntime | undefined {
    return tag === undefined ? this.#picker.pick() : this.#byTag.get(tag);
  }

  #noRevision(tag: string | undefined): string {
    if (tag === undefined) return `Service ${this.name} has no revision serving traffic.`;
    const tags = [...this.#byTag.keys()];
    const known = tags.length > 0 ? `Tags: ${tags.join(", ")}.` : "The service has no tags.";
    return `No revision of service ${this.name} is tagged "${tag}". ${known}`;
  }
}
