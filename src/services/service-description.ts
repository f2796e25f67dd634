/**
 * A service and its revisions as the admin API and `portico services describe` show them, in the shape
 * of Cloud Run's v2 API (cloudrun.md §6): `traffic` as configured (LATEST stays LATEST), `trafficStatuses`
 * resolved to revision names, each with the URL that reaches it.
 */
import type { ServiceRecord } from "../model/index.js";
import type {
  RevisionDescription,
  ServiceDescription,
  TrafficTargetDescription,
} from "./service-description-shape.js";
import { LATEST, percentOf, type Traffic, tagsOf, trafficOf } from "./traffic.js";

export type { RevisionDescription, ServiceDescription, TrafficTargetDescription };

/** `urlFor("web.localhost")` → `http://web.localhost:3000`. */
export type UrlFor = (host: string) => string;

/** What only the running revision knows: its instances now, and the command it was started with. */
export type RunningRevisionInfo = (
  name: string,
) => { readonly instances: number; readonly startCommand: string } | undefined;

export function describeService(
  service: ServiceRecord,
  running: RunningRevisionInfo,
  urlFor: UrlFor,
): ServiceDescription {
  const host = `${service.name}.localhost`;
  const traffic = trafficTargets(trafficOf(service.traffic));
  const latestReady = service.revisions.findLast((revision) => revision.status === "READY")?.name ?? null;
  const revisions = describeRevisions(service, running);
  return {
    name: service.name,
    project: service.project,
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
export function describeRevisions(
  service: ServiceRecord,
  running: RunningRevisionInfo,
): RevisionDescription[] {
  const traffic = trafficOf(service.traffic);
  const latestReady = service.revisions.findLast((revision) => revision.status === "READY")?.name;
  return service.revisions
    .map((revision): RevisionDescription => {
      const base = {
        name: revision.name,
        service: service.name,
        generation: revision.generation,
        createTime: revision.createdAt,
      };
      if (revision.status === "FAILED") {
        return { ...base, status: "FAILED", message: revision.message, percent: 0, tags: [], instances: 0 };
      }
      const info = running(revision.name);
      return {
        ...base,
        status: "READY",
        percent: percentOf(traffic, revision.name, latestReady),
        tags: tagsOf(traffic, revision.name, latestReady),
        instances: info?.instances ?? 0,
        source: revision.config.image ?? revision.source?.path,
        startCommand: info?.startCommand,
      };
    })
    .sort((a, b) => b.generation - a.generation);
}

/** The split, with each tag on the share of the same target, or as a share of 0 % of its own. */
function trafficTargets({ split, tags }: Traffic): TrafficTargetDescription[] {
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
