/** Runs wrk (one thread, loopback only, bounded in time) and parses its report. */
import { execFileSync } from "node:child_process";
import { BenchProcess } from "./processes.js";

export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Non-2xx/3xx responses plus socket errors: a run with any is not a valid measurement. */
  readonly errors: number;
}

/** wrk's version line, or undefined when wrk is not installed. */
export function wrkVersion(): string | undefined {
  try {
    // `wrk --version` prints its banner and exits with status 1.
    execFileSync("wrk", ["--version"], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    const { code, stdout } = error as NodeJS.ErrnoException & { stdout?: string };
    if (code === "ENOENT") return undefined;
    return stdout?.split("\n")[0]?.trim() || "wrk";
  }
  return "wrk";
}

/**
 * `host`, when given, is sent as the Host header (a service or an API is reached at NAME.localhost); `script`, a
 * wrk Lua script (`-s`), such as one that picks each request's path from a list; `headers`, more `Name: value`
 * headers for every request.
 */
export async function runWrk(
  url: string,
  connections: number,
  seconds: number,
  host?: string,
  script?: string,
  headers: readonly string[] = [],
): Promise<WrkResult> {
  if (!url.startsWith("http://127.0.0.1:")) throw new Error(`refusing to load a non-loopback URL: ${url}`);
  const args = [
    "-t1",
    `-c${connections}`,
    `-d${seconds}s`,
    "--latency",
    ...(host ? ["-H", `Host: ${host}`] : []),
    ...headers.flatMap((header) => ["-H", header]),
    ...(script ? ["-s", script] : []),
    url,
  ];
  const wrk = new BenchProcess("wrk", "wrk", args);
  let output = "";
  wrk.onLine((line) => {
    output += `${line}\n`;
  });
  const limit = setTimeout(() => wrk.kill(), (seconds + 15) * 1000);
  const { code } = await wrk.exited;
  clearTimeout(limit);
  if (code !== 0) throw new Error(`wrk ${args.join(" ")} failed (exit ${code}):\n${output}`);
  return parseWrk(output);
}

export function parseWrk(text: string): WrkResult {
  const done = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(text);
  if (!done) throw new Error(`unexpected wrk output:\n${text}`);
  const requests = Number(done[1]);
  const seconds = toMs(done[2] as string, done[3] as string) / 1000;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50Ms: percentile(text, "50"),
    p99Ms: percentile(text, "99"),
    errors: non2xx + socketErrors,
  };
}

function percentile(text: string, which: string): number {
  const match = new RegExp(`^\\s+${which}%\\s+([\\d.]+)(us|ms|s|m)$`, "m").exec(text);
  return match ? toMs(match[1] as string, match[2] as string) : Number.NaN;
}

function toMs(value: string, unit: string): number {
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
  return Number(value) * (scale[unit] ?? Number.NaN);
}
