/**
 * Starts the servers under test from the build, on free ports: the bare node:http baseline, `portico dev`, and
 * `portico up` on a data directory.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchProcess } from "./processes.js";

/** This file runs as dist/bench/servers.js. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const cliPath = join(repoRoot, "dist", "src", "cli", "main.js");
const bareServerPath = join(repoRoot, "dist", "bench", "servers", "bare-server.js");
const isolationFloorPath = join(repoRoot, "dist", "bench", "servers", "isolation-floor.js");

export interface RunningServer {
  readonly process: BenchProcess;
  /** http://127.0.0.1:PORT, without a trailing slash. */
  readonly origin: string;
}

export async function startBareServer(): Promise<RunningServer> {
  const process = new BenchProcess("bare server", globalThis.process.execPath, [bareServerPath]);
  return started(process, /^listening on http:\/\/127\.0\.0\.1:(\d+)\//);
}

/** The isolation floor (bench/servers/isolation-floor.ts) with children in `runtime`. */
export async function startIsolationFloor(runtime: "node" | "python"): Promise<RunningServer> {
  const process = new BenchProcess(`isolation floor (${runtime})`, globalThis.process.execPath, [
    isolationFloorPath,
    runtime,
  ]);
  return started(process, /^listening on http:\/\/127\.0\.0\.1:(\d+)\//);
}

/** With one API, `portico dev` prints `API NAME (stage $default): http://localhost:PORT/`. */
const API_URL_LINE = /^API \S+ \(stage [^)]+\): http:\/\/[^:/]+:(\d+)\//;

/**
 * `portico dev DIR --port 0 --admin-port 0`, with `nodeArgs` (such as --cpu-prof) given to node; ready
 * once it prints `urlLine` (the gateway's port in its first group).
 */
export async function startPortico(
  projectDir: string,
  nodeArgs: readonly string[] = [],
  urlLine: RegExp = API_URL_LINE,
): Promise<RunningServer> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first`);
  const args = [...nodeArgs, cliPath, "dev", projectDir, "--port", "0", "--admin-port", "0"];
  const process = new BenchProcess("portico dev", globalThis.process.execPath, args, { cwd: repoRoot });
  return started(process, urlLine);
}

/** A `portico up`: its gateway at `origin`, its admin API at `admin` (what `portico deploy --server` takes). */
export interface RunningPorticoServer extends RunningServer {
  readonly admin: string;
}

/**
 * `portico up --data DATA_DIR --port 0 --admin-port 0` and `options`; ready once it has printed both of its
 * URLs.
 */
export async function startPorticoUp(
  dataDir: string,
  options: readonly string[] = [],
): Promise<RunningPorticoServer> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first`);
  const args = [cliPath, "up", "--data", dataDir, "--port", "0", "--admin-port", "0", ...options];
  const process = new BenchProcess("portico up", globalThis.process.execPath, args, { cwd: repoRoot });
  // Both lines are awaited from the start: `up` prints them one right after the other.
  const adminLine = process.waitFor(/^Admin API: http:\/\/127\.0\.0\.1:(\d+)\//);
  adminLine.catch(() => {});
  const gateway = await started(process, /^Serving .* on http:\/\/[^:/]+:(\d+)\//);
  try {
    const [, adminPort] = await adminLine;
    return { ...gateway, admin: `http://127.0.0.1:${adminPort}` };
  } catch (error) {
    await process.stop();
    throw error;
  }
}

/** The line `portico dev` prints for a service once it serves: `Service URL: http://NAME.localhost:PORT`. */
export function serviceUrlLine(service: string): RegExp {
  return new RegExp(`Service URL: http://${service}\\.localhost:(\\d+)`);
}

async function started(process: BenchProcess, urlLine: RegExp): Promise<RunningServer> {
  try {
    const [, port] = await process.waitFor(urlLine);
    return { process, origin: `http://127.0.0.1:${port}` };
  } catch (error) {
    await process.stop();
    throw error;
  }
}
