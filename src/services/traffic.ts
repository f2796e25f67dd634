/**
 * A service's traffic, Cloud Run style: a split of whole percents across revisions (`LATEST` floats to
 * the latest ready revision) and tags naming revisions. Changes follow `gcloud run services
 * update-traffic`: assigning less than 100 % shares the rest among the other current targets in
 * proportion to their percents, as "--to-revisions B=20" moves 20 % to B and the rest stays where it was.
 * Every function here is pure: it returns a new Traffic or throws a PorticoError a client can act on.
 */
import { PorticoError, type TrafficRecord } from "../model/index.js";

/** The name that floats to the latest ready revision. */
export const LATEST = "LATEST";

export interface TrafficShare {
  /** A revision name, or LATEST. */
  readonly revision: string;
  /** Whole percent, 1 to 100. */
  readonly percent: number;
}

export interface Traffic {
  /** Shares adding up to 100, one per revision. */
  readonly split: readonly TrafficShare[];
  /** Tag → revision name (or LATEST), each reachable at TAG---SERVICE.localhost. */
  readonly tags: ReadonlyMap<string, string>;
}

/** One `update-traffic` call; tags change first, then the split. At most one split change. */
export interface TrafficChange {
  readonly toLatest?: boolean;
  readonly toRevisions?: ReadonlyMap<string, number>;
  readonly toTags?: ReadonlyMap<string, number>;
  readonly updateTags?: ReadonlyMap<string, string>;
  readonly removeTags?: readonly string[];
}

export const ALL_TO_LATEST: Traffic = { split: [{ revision: LATEST, percent: 100 }], tags: new Map() };

/** Tags become the first DNS label of `TAG---SERVICE.localhost`: lowercase letters, digits, single hyphens. */
const TAG_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;
const MAX_TAG_LENGTH = 46;

/** All traffic to the latest ready revision; tags are kept. */
export function toLatest(traffic: Traffic): Traffic {
  return { split: ALL_TO_LATEST.split, tags: traffic.tags };
}

/**
 * Gives each named revision its percent. Names must be known revisions or LATEST. When the percents add
 * up to less than 100, the rest is shared among the other revisions in the current split.
 */
export function toRevisions(
  traffic: Traffic,
  assignments: ReadonlyMap<string, number>,
  isRevision: (name: string) => boolean,
): Traffic {
  let assigned = 0;
  for (const [revision, percent] of assignments) {
    if (revision !== LATEST && !isRevision(revision)) throw unknownRevision(revision);
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      throw badTraffic(`the percent for ${revision} must be a whole number from 0 to 100, got ${percent}`);
    }
    assigned += percent;
  }
  if (assigned > 100) throw badTraffic(`the percents add up to ${assigned}; they must add up to 100 at most`);
  const others = traffic.split.filter((share) => !assignments.has(share.revision));
  const rest = shareRemainder(100 - assigned, others);
  if (rest === null) {
    throw badTraffic(
      `the percents add up to ${assigned} and no other revision takes traffic to give the rest to; make them add up to 100`,
    );
  }
  const split = [...[...assignments].map(([revision, percent]) => ({ revision, percent })), ...rest];
  return { split: split.filter((share) => share.percent > 0), tags: traffic.tags };
}

/** `--to-tags canary=10`: the percents go to the revisions the tags name. */
export function toTags(
  traffic: Traffic,
  assignments: ReadonlyMap<string, number>,
  isRevision: (name: string) => boolean,
): Traffic {
  const byRevision = new Map<string, number>();
  for (const [tag, percent] of assignments) {
    const revision = traffic.tags.get(tag);
    if (revision === undefined) throw unknownTag(tag, traffic);
    byRevision.set(revision, (byRevision.get(revision) ?? 0) + percent);
  }
  return toRevisions(traffic, byRevision, isRevision);
}

/** Sets (or moves) tags to revisions; a tag is reachable whatever percent its revision gets. */
export function updateTags(
  traffic: Traffic,
  assignments: ReadonlyMap<string, string>,
  isRevision: (name: string) => boolean,
): Traffic {
  const tags = new Map(traffic.tags);
  for (const [tag, revision] of assignments) {
    checkTagName(tag);
    if (revision !== LATEST && !isRevision(revision)) throw unknownRevision(revision);
    tags.set(tag, revision);
  }
  return { split: traffic.split, tags };
}

export function removeTags(traffic: Traffic, names: readonly string[]): Traffic {
  const tags = new Map(traffic.tags);
  for (const tag of names) {
    if (!tags.delete(tag)) throw unknownTag(tag, traffic);
  }
  return { split: traffic.split, tags };
}

/** Replaces LATEST by the revision it currently means, so a new revision does not take its share. */
export function pinLatest(traffic: Traffic, latestReady: string): Traffic {
  const pin = (revision: string) => (revision === LATEST ? latestReady : revision);
  const split = new Map<string, number>();
  for (const share of traffic.split) {
    split.set(pin(share.revision), (split.get(pin(share.revision)) ?? 0) + share.percent);
  }
  return {
    split: [...split].map(([revision, percent]) => ({ revision, percent })),
    tags: traffic.tags,
  };
}

export function checkTagName(tag: string): void {
  if (TAG_PATTERN.test(tag) && tag.length <= MAX_TAG_LENGTH) return;
  throw badTraffic(
    `tag "${tag}" is not valid: use lowercase letters, digits and single hyphens, starting with a letter, at most ${MAX_TAG_LENGTH} characters (it becomes the host name TAG---SERVICE.localhost)`,
  );
}

/** Splits `percent` over `shares` in proportion to their percents (largest remainder), or null if none. */
function shareRemainder(percent: number, shares: readonly TrafficShare[]): TrafficShare[] | null {
  if (percent === 0) return [];
  const total = shares.reduce((sum, share) => sum + share.percent, 0);
  if (total === 0) return null;
  const exact = shares.map((share) => (share.percent * percent) / total);
  const result = shares.map((share, i) => ({
    revision: share.revision,
    percent: Math.floor(exact[i] as number),
  }));
  let left = percent - result.reduce((sum, share) => sum + share.percent, 0);
  const byRemainder = exact
    .map((value, i) => ({ i, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    (result[i] as { percent: number }).percent++;
    left--;
  }
  return result;
}

function unknownRevision(name: string): PorticoError {
  return new PorticoError("REVISION_NOT_FOUND", `Revision ${name} does not exist or is deleted.`, {
    status: 404,
  });
}

function unknownTag(tag: string, traffic: Traffic): PorticoError {
  const known = [...traffic.tags.keys()];
  return new PorticoError(
    "TAG_NOT_FOUND",
    `No revision is tagged "${tag}". ${known.length > 0 ? `Tags: ${known.join(", ")}.` : "The service has no tags."}`,
    { status: 404 },
  );
}

function badTraffic(message: string): PorticoError {
  return new PorticoError("TRAFFIC_INVALID", `Invalid traffic: ${message}.`, { status: 400 });
}

/** The stored form of `traffic` (tags as a plain object). */
export function trafficRecord(traffic: Traffic): TrafficRecord {
  return { split: traffic.split.map((share) => ({ ...share })), tags: Object.fromEntries(traffic.tags) };
}

export function trafficOf(record: TrafficRecord): Traffic {
  return { split: record.split, tags: new Map(Object.entries(record.tags)) };
}

/** The percent of untagged requests `revision` serves, LATEST meaning `latestReady`. */
export function percentOf(traffic: Traffic, revision: string, latestReady: string | undefined): number {
  let percent = 0;
  for (const share of traffic.split) {
    const target = share.revision === LATEST ? latestReady : share.revision;
    if (target === revision) percent += share.percent;
  }
  return percent;
}

/** Tags reaching `revision`, LATEST meaning `latestReady`. */
export function tagsOf(traffic: Traffic, revision: string, latestReady: string | undefined): string[] {
  return [...traffic.tags]
    .filter(([, target]) => (target === LATEST ? latestReady : target) === revision)
    .map(([tag]) => tag);
}
