/**
 * Revisions and traffic on a service's record, as Cloud Run changes them: a new revision takes LATEST's share
 * (unless `noTraffic` pins LATEST to the revision serving now), and only revisions that became ready count.
 */
import {
  type CodeRef,
  PorticoError,
  type RevisionRecord,
  type ServiceConfig,
  type ServiceRecord,
} from "../../model/index.js";
import {
  ALL_TO_LATEST,
  checkTagName,
  percentOf,
  pinLatest,
  removeTags,
  revisionName,
  type TrafficChange,
  toLatest,
  toRevisions,
  toTags,
  trafficOf,
  trafficRecord,
  updateTags,
} from "../../services/index.js";
import { recordKey } from "./record-key.js";

export interface DeployOptions {
  /** The new revision takes no traffic: LATEST's share stays with the revision serving it now. */
  readonly noTraffic?: boolean;
  /** A tag for the new revision, reachable at TAG---NAME.localhost. */
  readonly tag?: string;
}

/** A revision just added to a service, with the percent of untagged traffic it serves. */
export interface DeployedRevision {
  readonly service: string;
  readonly revision: string;
  readonly percent: number;
}

export function latestReady(record: ServiceRecord | undefined): RevisionRecord | undefined {
  return record?.revisions.findLast((revision) => revision.status === "READY");
}

/** Checks deploy options before anything starts, so a refused deploy costs nothing. */
export function checkDeploy(name: string, record: ServiceRecord | undefined, options: DeployOptions): void {
  if (options.tag !== undefined) checkTagName(options.tag);
  if (options.noTraffic && !latestReady(record)) {
    throw new PorticoError(
      "SERVICE_NO_TRAFFIC_FIRST",
      `Service ${name} has no revision yet, so its first revision must take traffic: deploy without --no-traffic.`,
    );
  }
}

/** The service with a new ready revision of `config` running `source` (null: its image). */
export function addRevision(
  name: string,
  record: ServiceRecord | undefined,
  settings: { project: string | null; config: ServiceConfig; source: CodeRef | null },
  options: DeployOptions,
  now: Date,
): { record: ServiceRecord; deployed: DeployedRevision } {
  const generation = (record?.generation ?? 0) + 1;
  const revision: RevisionRecord = {
    name: revisionName(name, generation),
    generation,
    createdAt: now.toISOString(),
    config: settings.config,
    source: settings.source,
    key: revisionKey(settings.config, settings.source),
    status: "READY",
  };
  const previous = latestReady(record);
  let traffic = trafficOf(record?.traffic ?? trafficRecord(ALL_TO_LATEST));
  if (options.noTraffic && previous) traffic = pinLatest(traffic, previous.name);
  if (options.tag !== undefined)
    traffic = updateTags(traffic, new Map([[options.tag, revision.name]]), () => true);
  const next: ServiceRecord = {
    name,
    project: settings.project,
    generation,
    revisions: [...(record?.revisions ?? []), revision],
    traffic: trafficRecord(traffic),
    createdAt: record?.createdAt ?? now.toISOString(),
  };
  return {
    record: next,
    deployed: {
      service: name,
      revision: revision.name,
      percent: percentOf(traffic, revision.name, revision.name),
    },
  };
}

/** The same service with `revision` recorded as failed instead of ready (it did not start). */
export function markFailed(record: ServiceRecord, revision: string, message: string): ServiceRecord {
  return {
    ...record,
    revisions: record.revisions.map((candidate) =>
      candidate.name === revision ? { ...candidate, status: "FAILED", message } : candidate,
    ),
  };
}

export function revisionKey(config: ServiceConfig, source: CodeRef | null): string {
  return recordKey(config, source?.digest ?? "image");
}

/** `update-traffic`: the service with `change` applied whole, or a PorticoError and nothing changed. */
export function changeTraffic(record: ServiceRecord, change: TrafficChange): ServiceRecord {
  const splitChanges = [change.toLatest, change.toRevisions, change.toTags].filter((c) => c !== undefined);
  if (splitChanges.length > 1) {
    throw new PorticoError(
      "TRAFFIC_INVALID",
      "Invalid traffic: give only one of --to-latest, --to-revisions and --to-tags.",
    );
  }
  const ready = new Set(record.revisions.filter((r) => r.status === "READY").map((r) => r.name));
  const isRevision = (name: string) => ready.has(name);
  let traffic = trafficOf(record.traffic);
  if (change.removeTags) traffic = removeTags(traffic, change.removeTags);
  if (change.updateTags) traffic = updateTags(traffic, change.updateTags, isRevision);
  if (change.toLatest) traffic = toLatest(traffic);
  if (change.toRevisions) traffic = toRevisions(traffic, change.toRevisions, isRevision);
  if (change.toTags) traffic = toTags(traffic, change.toTags, isRevision);
  return { ...record, traffic: trafficRecord(traffic) };
}
