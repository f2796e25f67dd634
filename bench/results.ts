/**
 * The results of one benchmark run and what is derived from them: per-round series, ratios and
 * differences to the bare server within each round, and the targets with their verdicts.
 */
import type { BenchRuntime, ColdStartSamples } from "./cold-start.js";
import type { PlatformResults } from "./platform.js";
import type { CpuPerRequest } from "./proc-cpu.js";
import type { ProfileSummary } from "./profile.js";
import type { ServicesResults } from "./service-results.js";
import { median } from "./stats.js";
import type { WrkResult } from "./wrk.js";

export interface Settings {
  readonly quick: boolean;
  readonly seconds: number;
  readonly rounds: number;
  readonly warmSeconds: number;
  readonly coldSamples: number;
  readonly coldPauseMs: number;
  readonly profileSeconds: number;
}

export interface Measurement {
  readonly wrk: WrkResult;
  /** Leader: the gateway (or the bare server); others: the function instances it started. */
  readonly cpu: CpuPerRequest;
}

export interface RoundResult {
  /** Target key ("bare" or a runtime key) → its runs at 10 and 1 connections. */
  readonly runs: Map<string, { readonly c10: Measurement; readonly c1: Measurement }>;
  /** CPU used by processes other than the benchmark's during the round, in cores: noise. */
  readonly otherCores: number;
  /** CPU the hypervisor gave to other VMs during the round, in cores: noise. */
  readonly stealCores: number;
}

export interface BenchResults {
  readonly settings: Settings;
  readonly machine: {
    readonly date: string;
    readonly nproc: number;
    readonly cpu: string;
    readonly kernel: string;
    readonly node: string;
    readonly python: string;
    readonly wrk: string;
    readonly commit: string;
    readonly loadBefore: number;
    readonly loadAfter: number;
  };
  readonly runtimes: readonly BenchRuntime[];
  readonly rounds: readonly RoundResult[];
  /** Function name (a runtime's key) → the resident memory of each of its instances after the warm rounds, MB. */
  readonly instanceMemoryMb: ReadonlyMap<string, readonly number[]>;
  readonly coldStarts: readonly ColdStartSamples[];
  readonly profile: ProfileSummary;
  readonly services: ServicesResults;
  readonly platform: PlatformResults;
}

export type Conns = "c10" | "c1";

/** One value per round for a target. */
export function perRound(
  results: BenchResults,
  key: string,
  conns: Conns,
  pick: (m: Measurement) => number,
): number[] {
  return results.rounds.map((round) => {
    const runs = round.runs.get(key);
    return runs ? pick(runs[conns]) : Number.NaN;
  });
}

/** target ÷ bare (or target − bare) within each round. */
export function vsBare(
  results: BenchResults,
  key: string,
  conns: Conns,
  pick: (m: Measurement) => number,
  op: "÷" | "−",
) {
  return versus(results, key, "bare", conns, pick, op);
}

/** target ÷ (or −) another target within each round. */
export function versus(
  results: BenchResults,
  key: string,
  baseKey: string,
  conns: Conns,
  pick: (m: Measurement) => number,
  op: "÷" | "−",
) {
  const mine = perRound(results, key, conns, pick);
  const base = perRound(results, baseKey, conns, pick);
  return mine.map((value, i) => (op === "÷" ? value / (base[i] as number) : value - (base[i] as number)));
}

/**
 * The isolation floors (bench/servers/isolation-floor.ts): a front handing each request to one of 10 children in
 * that language over pipes, and nothing else; the most a process-per-request design reaches here.
 */
export const FLOORS = [
  { key: "floor-node", label: "isolation floor, Node.js children", runtime: "node" },
  { key: "floor-python", label: "isolation floor, Python children", runtime: "python" },
] as const;

/** The floor a function is held to: its own language's (a `provided` bootstrap here is a Python script). */
export function floorOf(runtimeKey: string): string {
  return runtimeKey === "node" ? "floor-node" : "floor-python";
}

export const rps = (m: Measurement) => m.wrk.rps;
export const p50 = (m: Measurement) => m.wrk.p50Ms;
export const p99 = (m: Measurement) => m.wrk.p99Ms;
export const cpuTotal = (m: Measurement) => m.cpu.leaderUs + m.cpu.othersUs;

/** The bare server first, then the isolation floors, then the functions. */
export function targetsOf(results: BenchResults): { key: string; label: string }[] {
  return [{ key: "bare", label: "bare node:http" }, ...FLOORS, ...results.runtimes];
}

export function isBaseline(key: string): boolean {
  return key === "bare" || FLOORS.some((floor) => floor.key === key);
}

export interface Goal {
  readonly what: string;
  readonly value: number;
  readonly goal: number;
  /** At least the goal (throughput ratios), or at most (latencies). */
  readonly atLeast: boolean;
  readonly unit: "×" | "ms" | "count" | "KB";
  readonly pass: boolean;
}

/** Portico's performance targets, checked against this run. */
export function goals(results: BenchResults): Goal[] {
  const ratio = (key: string) => median(vsBare(results, key, "c10", rps, "÷"));
  const ofFloor = (key: string) => median(versus(results, key, floorOf(key), "c10", rps, "÷"));
  const added = (key: string) => median(vsBare(results, key, "c1", p50, "−"));
  const cold = (key: string) => median(results.coldStarts.find((c) => c.runtime.key === key)?.firstMs ?? []);
  const atLeast = (what: string, value: number, goal: number): Goal => ({
    what,
    value,
    goal,
    atLeast: true,
    unit: "×",
    pass: value >= goal,
  });
  const atMost = (what: string, value: number, goal: number): Goal => ({
    what,
    value,
    goal,
    atLeast: false,
    unit: "ms",
    pass: value <= goal,
  });
  return [
    atLeast("Node.js warm req/s at c=10, × bare", ratio("node"), 0.4),
    atLeast("Python warm req/s at c=10, × bare", ratio("python"), 0.4),
    atLeast("provided warm req/s at c=10, × bare", ratio("provided"), 0.15),
    atLeast("Node.js warm req/s at c=10, × isolation floor", ofFloor("node"), 0.85),
    atLeast("Python warm req/s at c=10, × isolation floor", ofFloor("python"), 0.85),
    atMost("Node.js p50 added at c=1", added("node"), 0.15),
    atMost("Python p50 added at c=1", added("python"), 0.15),
    atMost("Node.js cold start p50 (first request)", cold("node"), 15),
    atMost("Python cold start p50 (first request)", cold("python"), 30),
  ];
}
