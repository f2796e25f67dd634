/**
 * What the admin API answers for a service: the wire shape the console reads too, which imports this file (it has
 * no imports of its own, so it type-checks in the browser's build as well).
 */

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
  /** The project whose config declares it, or null. */
  readonly project: string | null;
  readonly uri: string;
  readonly latestReadyRevision: string | null;
  readonly latestCreatedRevision: string | null;
  readonly traffic: readonly TrafficTargetDescription[];
  readonly trafficStatuses: readonly TrafficTargetDescription[];
  readonly revisions: readonly RevisionDescription[];
}
