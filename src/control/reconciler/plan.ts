/**
 * What must start and stop for the running objects to match the desired state: pure, so every case is a row in
 * a table test. Instance pools are keyed by function version key, so a function whose settings and code did not
 * change keeps its pool (and its warm instances) across any deploy. Every ready revision has a runtime (one
 * without traffic keeps no instance, but a tag can still reach it); it is active while it has a share of the
 * traffic.
 */
import type { DesiredState, FunctionRecord, RevisionRecord, ServiceRecord } from "../../model/index.js";
import { percentOf, trafficOf } from "../../services/index.js";
import { latestReady } from "../commands/index.js";

/** What runs now. */
export interface RunningView {
  /** Function version keys with a pool. */
  readonly pools: ReadonlySet<string>;
  /** Revision name → whether it is active (keeps its minimum instances, takes traffic). */
  readonly revisions: ReadonlyMap<string, boolean>;
}

export interface RevisionToStart {
  readonly service: ServiceRecord;
  readonly revision: RevisionRecord;
  readonly active: boolean;
}

export interface Plan {
  /** One function record per key that has no pool yet. */
  readonly startPools: readonly FunctionRecord[];
  readonly stopPools: readonly string[];
  readonly startRevisions: readonly RevisionToStart[];
  readonly stopRevisions: readonly string[];
  /** Running revisions that gained a share of the traffic. */
  readonly activate: readonly string[];
  /** Running revisions that lost their share. */
  readonly retire: readonly string[];
}

export function plan(desired: DesiredState, running: RunningView): Plan {
  const wantedPools = new Map<string, FunctionRecord>();
  for (const record of desired.function.values()) {
    if (!wantedPools.has(record.key)) wantedPools.set(record.key, record);
  }
  const wantedRevisions = new Map<string, RevisionToStart>();
  for (const service of desired.service.values()) {
    const traffic = trafficOf(service.traffic);
    const latest = latestReady(service)?.name;
    for (const revision of service.revisions) {
      if (revision.status !== "READY") continue;
      const active = percentOf(traffic, revision.name, latest) > 0;
      wantedRevisions.set(revision.name, { service, revision, active });
    }
  }
  const runningRevisions = [...running.revisions];
  return {
    startPools: [...wantedPools].filter(([key]) => !running.pools.has(key)).map(([, record]) => record),
    stopPools: [...running.pools].filter((key) => !wantedPools.has(key)),
    startRevisions: [...wantedRevisions]
      .filter(([name]) => !running.revisions.has(name))
      .map(([, start]) => start),
    stopRevisions: runningRevisions.filter(([name]) => !wantedRevisions.has(name)).map(([name]) => name),
    activate: runningRevisions
      .filter(([name, active]) => !active && wantedRevisions.get(name)?.active === true)
      .map(([name]) => name),
    retire: runningRevisions
      .filter(([name, active]) => active && wantedRevisions.get(name)?.active === false)
      .map(([name]) => name),
  };
}
