/** CPU time from /proc: of a server and what it started, and of the whole machine. */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const ticksPerSecond = clockTicks();
const toMs = (ticks: number) => (ticks * 1000) / ticksPerSecond;

/** CPU time of a server, ms: its own, and that of everything it started. */
export interface ServerCpu {
  readonly leaderMs: number;
  /** The server's time in the kernel (stime), part of leaderMs. */
  readonly leaderKernelMs: number;
  /** Every live process below it by parent pid, plus the children they have reaped. */
  readonly othersMs: number;
}

/**
 * CPU time of a process and of every process below it by parent pid: unlike a process group, this also covers
 * children that lead groups of their own (Portico starts each function and service instance that way).
 */
export function serverCpu(pid: number): ServerCpu {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, { own: number; kernel: number; reaped: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (!fields) continue;
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    ticks.set(Number(entry), {
      own: Number(fields[11]) + Number(fields[12]),
      kernel: Number(fields[12]),
      reaped: Number(fields[13]) + Number(fields[14]),
    });
  }
  const root = ticks.get(pid) ?? { own: 0, kernel: 0, reaped: 0 };
  let others = root.reaped;
  const pending = [...(children.get(pid) ?? [])];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const own = ticks.get(next);
    if (own) others += own.own + own.reaped;
    pending.push(...(children.get(next) ?? []));
  }
  return { leaderMs: toMs(root.own), leaderKernelMs: toMs(root.kernel), othersMs: toMs(others) };
}

/** CPU per request between two readings of a server, µs. */
export interface CpuPerRequest {
  /** The leader: Portico's gateway, or the bare server. */
  readonly leaderUs: number;
  /** The part of leaderUs spent in the kernel (system calls, loopback TCP, waking other processes). */
  readonly leaderKernelUs: number;
  /** Everything the leader started: function instances and spare runtime processes. */
  readonly othersUs: number;
}

export function cpuPerRequest(before: ServerCpu, after: ServerCpu, requests: number): CpuPerRequest {
  const perRequest = (ms: number) => (ms * 1000) / Math.max(requests, 1);
  return {
    leaderUs: perRequest(after.leaderMs - before.leaderMs),
    leaderKernelUs: perRequest(after.leaderKernelMs - before.leaderKernelMs),
    othersUs: perRequest(after.othersMs - before.othersMs),
  };
}

/** Whole-machine CPU since boot, ms, and this process's own share. */
export interface MachineCpu {
  /** All CPUs' time not idle (user, nice, system, irq, softirq). */
  readonly busyMs: number;
  /** Time the hypervisor gave this VM's CPUs to someone else. */
  readonly stealMs: number;
  /** This process and the children it has reaped (the wrk runs). */
  readonly selfMs: number;
}

export function machineCpu(): MachineCpu {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest is counted in user.
  const total = (readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "").trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = total.slice(1) as number[];
  const self = statFields("self") ?? [];
  const selfTicks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(self[i] ?? 0), 0);
  const busy = [user, nice, system, irq, softirq].reduce<number>((sum, ticks) => sum + (ticks ?? 0), 0);
  return { busyMs: toMs(busy), stealMs: toMs(steal ?? 0), selfMs: toMs(selfTicks) };
}

/** /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // exited while we were reading
  }
}

function clockTicks(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}
