/**
 * Where the gateway's time goes: runs `portico dev` once under `node --cpu-prof`, loads each function
 * in turn with wrk, stops Portico with SIGTERM so the profile is written, and sums self time per
 * function and per area (Portico part, Node.js module, npm package, GC) within each load window.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type CpuPerRequest, cpuPerRequest, serverCpu } from "./proc-cpu.js";
import type { StopResult } from "./processes.js";
import { startPortico } from "./servers.js";
import { runWrk } from "./wrk.js";

export interface Share {
  readonly name: string;
  readonly ms: number;
  /** Of the window's busy (non-idle) time. */
  readonly share: number;
}

export interface ProfileWindow {
  readonly label: string;
  readonly rps: number;
  /** From /proc during the window: the gateway (leader) and the instances (others). */
  readonly cpu: CpuPerRequest;
  /** Busy (non-idle) share of the gateway's main thread during the window: ~1 means saturated. */
  readonly busy: number;
  readonly areas: Share[];
  readonly top: Share[];
}

export interface ProfileSummary {
  readonly windows: ProfileWindow[];
  readonly stop: StopResult;
  /** Set when there is no profile to summarise, saying why. */
  readonly problem?: string;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const TOP = 12;

/** What one load window requests: a path, and the Host header that selects a service. */
export interface ProfileTarget {
  readonly label: string;
  readonly path: string;
  readonly host?: string;
}

export async function profilePortico(
  projectDir: string,
  targets: readonly ProfileTarget[],
  options: {
    seconds: number;
    warmSeconds: number;
    connections: number;
    urlLine?: RegExp;
    /** More arguments for node, such as a module to preload. */
    nodeArgs?: readonly string[];
  },
): Promise<ProfileSummary> {
  const dir = await mkdtemp(join(tmpdir(), "portico-bench-prof-"));
  try {
    const nodeArgs = [...(options.nodeArgs ?? []), "--cpu-prof", `--cpu-prof-dir=${dir}`];
    const portico = await startPortico(projectDir, nodeArgs, options.urlLine);
    const loads: Load[] = [];
    let stop: StopResult;
    try {
      for (const target of targets) {
        const url = `${portico.origin}${target.path}`;
        await runWrk(url, options.connections, options.warmSeconds, target.host);
        const before = serverCpu(portico.process.pid);
        const fromUs = monotonicUs();
        const { rps, requests } = await runWrk(url, options.connections, options.seconds, target.host);
        const toUs = monotonicUs();
        const after = serverCpu(portico.process.pid);
        loads.push({ label: target.label, rps, fromUs, toUs, cpu: cpuPerRequest(before, after, requests) });
      }
    } finally {
      stop = await portico.process.stop();
    }
    const file = (await readdir(dir)).find((name) => name.endsWith(".cpuprofile"));
    if (!file) {
      const how = stop.clean
        ? "exited cleanly"
        : `did not exit cleanly (code ${stop.code}, signal ${stop.signal})`;
      return { windows: [], stop, problem: `no .cpuprofile was written: portico dev ${how} on SIGTERM` };
    }
    const profile = JSON.parse(await readFile(join(dir, file), "utf8")) as CpuProfile;
    // V8 stamps samples with the same monotonic clock as process.hrtime, so load windows line up.
    const inside = loads.every((load) => load.fromUs >= profile.startTime && load.toUs <= profile.endTime);
    if (!inside) return { windows: [], stop, problem: "the profile's clock did not match the load windows" };
    return { windows: loads.map((load) => summarise(profile, load)), stop };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

interface Load {
  readonly label: string;
  readonly rps: number;
  readonly fromUs: number;
  readonly toUs: number;
  readonly cpu: CpuPerRequest;
}

function summarise(profile: CpuProfile, load: Load): ProfileWindow {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busyUs = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    if (time < load.fromUs || time > load.toUs) continue;
    // A sample stands for the time until the next one.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = frames.get(profile.samples[i] as number);
    if (!frame || frame.functionName === "(idle)") continue;
    busyUs += us;
    const line = frame.url ? `:${frame.lineNumber + 1}` : "";
    const name = `${frame.functionName || "(anonymous)"}${frame.url ? ` ${basename(frame.url)}${line}` : ""}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const area = areaOf(frame.functionName, frame.url);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const shares = (totals: Map<string, number>) =>
    [...totals]
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return {
    label: load.label,
    rps: load.rps,
    cpu: load.cpu,
    busy: busyUs / (load.toUs - load.fromUs),
    areas: shares(byArea),
    top: shares(byFunction).slice(0, TOP),
  };
}

/** The part of the system a frame belongs to. */
function areaOf(functionName: string, url: string): string {
  if (functionName === "(garbage collector)") return "GC (main thread)";
  if (functionName === "(program)") return "V8/native, outside JS";
  if (url.startsWith("node:")) {
    const module = url.slice(5).replace(/^internal\//, "");
    const group = module.startsWith("_http_") || module.startsWith("http") ? "http" : module.split("/")[0];
    return `Node.js: ${group}`;
  }
  const portico = /\/dist\/src\/([^/]+)\//.exec(url);
  if (portico) return `Portico: src/${portico[1]}`;
  const npm = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (npm) return `npm: ${npm[1]}`;
  if (url) return `other: ${basename(url)}`;
  // Native frames: the bindings that make system calls are worth telling apart.
  if (/^write(v|Buffer|\w*String)$/.test(functionName)) return "native: socket/pipe writes";
  if (/^(read|fstat|open|openFileHandle|close)$/.test(functionName)) return "native: file system calls";
  return "native: other (V8 builtins, bindings)";
}
