/**
 * A service and its revisions as the admin API and `portico services describe` show them, in the shape
 * of Cloud Run's v2 API (cloudrun.md §6): `traffic` as configured (LATEST stays LATEST), `trafficStatuses`
 * resolved to revision names, each with the URL that reaches it.
 */
import type { RevisionRuntime } from "./revision-runtime.js";
import type { Service } from "./service.js";
import { LATEST } from "./traffic.js";

export interface TrafficTargetDescription {
  readonly type: "LATEST" | "REVISION";
  /** The revision's name (for LATEST in `trafficStatuses`: the revision it means now). */
  readonly revision?: string;
  readonly percent: number;
  readonly tag?: string;
  /** The tag's URL (`trafficStatuses` only). */
  readonly uri?: string;
}

export interface RevisionDescription {
  readonly name: string;
  readonly service: string;
  readonly generation: number;
  readonly createTime: string;
  readonly status: "READY" | "FAILED";
  /** Why a failed revision never served. */
  readonly message?: string;
  readonly percent: number;
  readonly tags: readonly string[];
  /** Instances running or starting now. */
  readonly instances: number;
  readonly source?: string;
  readonly startCommand?: string;
}

export interface ServiceDescription {
  readonly name: string;
  readonly uri: string;
  readonly latestReadyRevision: string | null;
  readonly latestCreatedRevision: string | null;
  readonly traffic: readonly TrafficTargetDescription[];
  readonly trafficStatuses: readonly TrafficTargetDescription[];
  readonly revisions: readonly RevisionDescription[];
}

/** `urlFor("web.localhost")` → `http://web.localhost:3000`. */
export type UrlFor = (host: string) => string;

export function describeService(service: Service, urlFor: UrlFor): ServiceDescription {
  const host = `${service.name}.localhost`;
  const traffic = trafficTargets(service);
  const latestReady = service.latestReady?.name ?? null;
  const revisions = describeRevisions(service);
  return {
    name: service.name,
    uri: urlFor(host),
    latestReadyRevision: latestReady,
    latestCreatedRevision: revisions[0]?.name ?? null,
    traffic,
    trafficStatuses: traffic.map((target) => ({
      ...target,
      revision: target.type === "LATEST" ? (latestReady ?? undefined) : target.revision,
      ...(target.tag === undefined ? {} : { uri: urlFor(`${target.tag}---${host}`) }),
    })),
    revisions,
  };
}

/** Newest first, as `gcloud run revisions list` prints them. */
export function describeRevisions(service: Service): RevisionDescription[] {
  const ready = service.revisions().map((revision) => describeRevision(service, revision));
  const failed = service.failedRevisions().map(
    (revision): RevisionDescription => ({
      name: revision.name,
      service: service.name,
      generation: revision.generation,
      createTime: revision.createdAt.toISOString(),
      status: "FAILED",
      message: revision.message,
      percent: 0,
      tags: [],
      instances: 0,
    }),
  );
  return [...ready, ...failed].sort((a, b) => b.generation - a.generation);
}

function describeRevision(service: Service, revision: RevisionRuntime): RevisionDescription {
  const { command } = revision;
  return {
    name: revision.name,
    service: service.name,
    generation: revision.generation,
    createTime: revision.createdAt.toISOString(),
    status: "READY",
    percent: service.percentOf(revision),
    tags: service.tagsOf(revision),
    instances: revision.instanceCount,
    source: revision.spec.sourceDir,
    startCommand: command.shell ?? command.argv.join(" "),
  };
}

/** The split, with each tag on the share of the same target, or as a share of 0 % of its own. */
function trafficTargets(service: Service): TrafficTargetDescription[] {
  const { split, tags } = service.traffic;
  const targets: TrafficTargetDescription[] = split.map((share) => target(share.revision, share.percent));
  for (const [tag, revision] of tags) {
    const index = targets.findIndex((t) => t.tag === undefined && sameTarget(t, revision));
    if (index >= 0) targets[index] = { ...(targets[index] as TrafficTargetDescription), tag };
    else targets.push({ ...target(revision, 0), tag });
  }
  return targets;
}

function target(revision: string, percent: number): TrafficTargetDescription {
  return revision === LATEST ? { type: "LATEST", percent } : { type: "REVISION", revision, percent };
}

function sameTarget(target: TrafficTargetDescription, revision: string): boolean {
  return revision === LATEST ? target.type === "LATEST" : target.revision === revision;
}
