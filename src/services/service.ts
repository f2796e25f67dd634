/**
 * A service as Cloud Run shapes it: every revision it has had (immutable, numbered), the traffic split
 * across them and the tags that reach one revision each. The latest ready revision takes LATEST's share
 * (100 % unless traffic was pinned); a revision that loses all its traffic is retired (its instances
 * stop once idle) but stays deployable: traffic or a tag can send requests to it again at any time.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { sendText } from "../http/index.js";
import { PorticoError, type ServiceSpec } from "../model/index.js";
import { httpParserClass } from "./http-response-parser.js";
import { RevisionRuntime, type ServiceLogSink } from "./revision-runtime.js";
import type { StartCommand } from "./start-command.js";
import {
  ALL_TO_LATEST,
  checkTagName,
  LATEST,
  pinLatest,
  removeTags,
  type Traffic,
  toLatest,
  toRevisions,
  toTags,
  updateTags,
} from "./traffic.js";
import { refuse } from "./upgrade-proxy.js";
import { WeightedPicker } from "./weighted-picker.js";

export interface DeployOptions {
  /** The new revision takes no traffic: LATEST's share stays with the revision serving it now. */
  readonly noTraffic?: boolean;
  /** A tag for the new revision, reachable at TAG---NAME.localhost. */
  readonly tag?: string;
}

/** One `update-traffic` call; tags change first, then the split. At most one split change. */
export interface TrafficChange {
  readonly toLatest?: boolean;
  readonly toRevisions?: ReadonlyMap<string, number>;
  readonly toTags?: ReadonlyMap<string, number>;
  readonly updateTags?: ReadonlyMap<string, string>;
  readonly removeTags?: readonly string[];
}

/** A revision that never served: it did not start. */
interface FailedRevision {
  readonly name: string;
  readonly generation: number;
  readonly createdAt: Date;
  readonly message: string;
}

export class Service {
  readonly name: string;
  readonly #logs: ServiceLogSink;
  /** Revisions that became ready, oldest first. */
  readonly #revisions: RevisionRuntime[] = [];
  readonly #failed: FailedRevision[] = [];
  #generation = 0;
  #traffic: Traffic = ALL_TO_LATEST;
  #picker = new WeightedPicker<RevisionRuntime>([]);
  #byTag = new Map<string, RevisionRuntime>();
  /** Revisions not retired: new ones, and those with a share of the traffic. */
  readonly #active = new Set<RevisionRuntime>();
  /** The settings portico.yaml last gave: a reload deploys only when they (or the source) change. */
  configured: ServiceSpec | undefined;

  constructor(name: string, logs: ServiceLogSink) {
    this.name = name;
    this.#logs = logs;
  }

  get latestReady(): RevisionRuntime | undefined {
    return this.#revisions.at(-1);
  }

  get domains(): readonly string[] {
    return this.latestReady?.spec.domains ?? [];
  }

  get traffic(): Traffic {
    return this.#traffic;
  }

  revisions(): readonly RevisionRuntime[] {
    return this.#revisions;
  }

  failedRevisions(): readonly FailedRevision[] {
    return this.#failed;
  }

  /** Checks deploy options before anything starts, so a refused deploy costs nothing. */
  checkDeploy(options: DeployOptions): void {
    if (options.tag !== undefined) checkTagName(options.tag);
    if (options.noTraffic && !this.latestReady) {
      throw new PorticoError(
        "SERVICE_NO_TRAFFIC_FIRST",
        `Service ${this.name} has no revision yet, so its first revision must take traffic: deploy without --no-traffic.`,
      );
    }
  }

  /**
   * Starts a new revision and waits until an instance of it listens. Traffic does not change yet:
   * `commit` it, or `discard` it. A revision that cannot start is recorded as failed and rejected.
   */
  async prepare(spec: ServiceSpec, command: StartCommand): Promise<RevisionRuntime> {
    // No revision can be proxied to without it: fail the deploy now, not the first request.
    httpParserClass();
    const revision = new RevisionRuntime(spec, ++this.#generation, command, this.#logs);
    try {
      await revision.warmUp();
    } catch (error) {
      this.#failed.push({
        name: revision.name,
        generation: revision.generation,
        createdAt: revision.createdAt,
        message: error instanceof Error ? error.message : String(error),
      });
      await revision.close();
      throw error;
    }
    return revision;
  }

  /** Adds a prepared revision to the service; returns the percent of traffic it now serves. */
  commit(revision: RevisionRuntime, options: DeployOptions = {}): number {
    const previous = this.latestReady;
    if (options.noTraffic && previous) this.#traffic = pinLatest(this.#traffic, previous.name);
    this.#revisions.push(revision);
    this.#active.add(revision);
    if (options.tag !== undefined) {
      this.#traffic = updateTags(this.#traffic, new Map([[options.tag, revision.name]]), () => true);
    }
    this.#route();
    return this.percentOf(revision);
  }

  /** Drops a prepared revision that will not be committed (another part of the same change failed). */
  async discard(revision: RevisionRuntime): Promise<void> {
    await revision.close();
  }

  /** Applies `change` whole, or throws and changes nothing. */
  updateTraffic(change: TrafficChange): void {
    const splitChanges = [change.toLatest, change.toRevisions, change.toTags].filter((c) => c !== undefined);
    if (splitChanges.length > 1) {
      throw new PorticoError(
        "TRAFFIC_INVALID",
        "Invalid traffic: give only one of --to-latest, --to-revisions and --to-tags.",
      );
    }
    const isRevision = (name: string) => this.#revisions.some((revision) => revision.name === name);
    let traffic = this.#traffic;
    if (change.removeTags) traffic = removeTags(traffic, change.removeTags);
    if (change.updateTags) traffic = updateTags(traffic, change.updateTags, isRevision);
    if (change.toLatest) traffic = toLatest(traffic);
    if (change.toRevisions) traffic = toRevisions(traffic, change.toRevisions, isRevision);
    if (change.toTags) traffic = toTags(traffic, change.toTags, isRevision);
    this.#traffic = traffic;
    this.#route();
  }

  /** The percent of untagged requests `revision` serves. */
  percentOf(revision: RevisionRuntime): number {
    let percent = 0;
    for (const share of this.#traffic.split) {
      if (this.#resolve(share.revision) === revision) percent += share.percent;
    }
    return percent;
  }

  /** Tags reaching `revision`. */
  tagsOf(revision: RevisionRuntime): string[] {
    return [...this.#byTag].filter(([, tagged]) => tagged === revision).map(([tag]) => tag);
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

  /** Stops every revision's instances once their requests finish (cut after `drainMs` when given). */
  async close(drainMs?: number): Promise<void> {
    await Promise.all(this.#revisions.map((revision) => revision.close(drainMs)));
  }

  /** A tagged request goes to its tag's revision; any other to the split. */
  #pick(tag: string | undefined): RevisionRuntime | undefined {
    return tag === undefined ? this.#picker.pick() : this.#byTag.get(tag);
  }

  #noRevision(tag: string | undefined): string {
    if (tag === undefined) return `Service ${this.name} has no revision serving traffic.`;
    const tags = [...this.#byTag.keys()];
    const known = tags.length > 0 ? `Tags: ${tags.join(", ")}.` : "The service has no tags.";
    return `No revision of service ${this.name} is tagged "${tag}". ${known}`;
  }

  #resolve(name: string): RevisionRuntime | undefined {
    if (name === LATEST) return this.latestReady;
    return this.#revisions.find((revision) => revision.name === name);
  }

  /** Rebuilds the picker and tag table; revisions without traffic retire, those that gained it wake. */
  #route(): void {
    const weights = new Map<RevisionRuntime, number>();
    for (const share of this.#traffic.split) {
      const revision = this.#resolve(share.revision);
      if (revision) weights.set(revision, (weights.get(revision) ?? 0) + share.percent);
    }
    this.#picker = new WeightedPicker([...weights]);
    const byTag = new Map<string, RevisionRuntime>();
    for (const [tag, name] of this.#traffic.tags) {
      const revision = this.#resolve(name);
      if (revision) byTag.set(tag, revision);
    }
    this.#byTag = byTag;
    for (const revision of this.#revisions) {
      const serving = weights.has(revision);
      if (this.#active.has(revision) && !serving) {
        this.#active.delete(revision);
        revision.retire();
      } else if (!this.#active.has(revision) && serving) {
        this.#active.add(revision);
        revision.activate();
      }
    }
  }
}
