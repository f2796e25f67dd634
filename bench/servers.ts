/** Starts the servers under test from the build: the bare node:http baseline and `portico dev`, on free ports. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchProcess } from "./processes.js";

/** This file runs as dist/bench/servers.js. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const cliPath = join(repoRoot, "dist", "src", "cli", "main.js");
const bareServerPath = join(repoRoot, "dist", "bench", "servers", "bare-server.js");

export interface RunningServer {
  readonly process: BenchProcess;
  /** http://127.0.0.1:PORT, without a trailing slash. */
  readonly origin: string;
}

export async function startBareServer(): Promise<RunningServer> {
  const process = new BenchProcess("bare server", globalThis.process.execPath, [bareServerPath]);
  return started(process, /^listening on http:\/\/127\.0\.0\.1:(\d+)\//);
}

/** `portico dev DIR --port 0 --admin-port 0`, with `nodeArgs` (such as --cpu-prof) given to node. */
export async function startPortico(
  projectDir: string,
  nodeArgs: readonly string[] = [],
): Promise<RunningServer> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first`);
  const args = [...nodeArgs, cliPath, "dev", projectDir, "--port", "0", "--admin-port", "0"];
  const process = new BenchProcess("portico dev", globalThis.process.execPath, args, { cwd: repoRoot });
  // With one API, `portico dev` prints `API NAME (stage $default): http://localhost:PORT/`.
  return started(process, /^API \S+ \(stage [^)]+\): http:\/\/[^:/]+:(\d+)\//);
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
