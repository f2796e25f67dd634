/**
 * The services part of a run (Cloud Run model): the same app reached directly, through Portico and
 * through nginx, per round; the cold start of a scaled-to-zero service; and the proxy's profile.
 */
import type { ProfileSummary } from "./profile.js";
import { median } from "./stats.js";
import type { WrkResult } from "./wrk.js";

/** `undici`: Portico's service proxy on undici's Client, measured when the run compares the two. */
export type ServiceTargetKey = "direct" | "portico" | "nginx" | "undici";

export const SERVICE_TARGETS: ReadonlyArray<{ key: ServiceTargetKey; label: string }> = [
  { key: "direct", label: "direct to the app" },
  { key: "portico", label: "Portico service proxy" },
  { key: "nginx", label: "nginx reverse proxy" },
  { key: "undici", label: "Portico service proxy on undici" },
];

export interface ServiceMeasurement {
  readonly wrk: WrkResult;
  /** CPU per request of the proxy's processes (Portico's gateway, or nginx's master and worker), µs. */
  readonly proxyUs: number;
  /** CPU per request of the app process behind it, µs. */
  readonly appUs: number;
}

export interface ServiceRound {
  readonly runs: Map<ServiceTargetKey, { readonly c10: ServiceMeasurement; readonly c1: ServiceMeasurement }>;
  readonly otherCores: number;
  readonly stealCores: number;
}

export interface ServicesResults {
  /** nginx's version when it was measured. */
  readonly nginx?: string;
  /** Why nginx was not measured, when it was not. */
  readonly nginxMissing?: string;
  readonly rounds: readonly ServiceRound[];
  readonly coldStart: {
    /** Client-side time from the request to a scaled-to-zero service until its first byte, ms. */
    readonly firstByteMs: number[];
    /** The same app started alone: from spawn until its port accepts a connection, ms. */
    readonly appStartMs: number[];
  };
  readonly profile: ProfileSummary;
  /** undici's version, when the run compared the proxy on it. */
  readonly undiciVersion?: string;
  /** The same profile with the proxy on undici, when the run compared the two. */
  readonly undiciProfile?: ProfileSummary;
}

type Pick = (m: ServiceMeasurement) => number;

export function servicePerRound(
  results: ServicesResults,
  key: ServiceTargetKey,
  conns: "c10" | "c1",
  pick: Pick,
): number[] {
  return results.rounds.map((round) => {
    const runs = round.runs.get(key);
    return runs ? pick(runs[conns]) : Number.NaN;
  });
}

/** `key` ÷ (or −) `base` within each round. */
export function serviceVs(
  results: ServicesResults,
  key: ServiceTargetKey,
  base: ServiceTargetKey,
  conns: "c10" | "c1",
  pick: Pick,
  op: "÷" | "−",
): number[] {
  const mine = servicePerRound(results, key, conns, pick);
  const theirs = servicePerRound(results, base, conns, pick);
  return mine.map((value, i) => (op === "÷" ? value / (theirs[i] as number) : value - (theirs[i] as number)));
}

export const serviceRps: Pick = (m) => m.wrk.rps;
export const serviceP50: Pick = (m) => m.wrk.p50Ms;
export const serviceP99: Pick = (m) => m.wrk.p99Ms;

/** Cold start above the app's own start-up: the medians' difference, ms. */
export function coldStartOverheadMs(results: ServicesResults): number {
  return median(results.coldStart.firstByteMs) - median(results.coldStart.appStartMs);
}
