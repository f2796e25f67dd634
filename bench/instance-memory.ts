/** Resident memory of the function instances a server started, by runtime, read from /proc. */
import { readdirSync, readFileSync } from "node:fs";

/**
 * Resident set sizes of the live instances below `rootPid`, MB, by runtime key (`node`, `python`), or for a
 * `provided` instance by its function's name. Node.js and Python instances are told their function only after
 * they start (a spare process becomes an instance), so their own runtime's bootstrap names them; the spare
 * waiting to become the next instance is counted with them.
 */
export function instanceMemoryMb(rootPid: number): Map<string, number[]> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = /^PPid:\s+(\d+)$/m.exec(readOrEmpty(`/proc/${entry}/status`))?.[1];
    if (ppid !== undefined) parents.set(Number(entry), Number(ppid));
  }
  const below = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at))
      if (at === rootPid) return true;
    return false;
  };
  const byFunction = new Map<string, number[]>();
  for (const pid of parents.keys()) {
    if (!below(pid)) continue;
    const name =
      runtimeOf(readOrEmpty(`/proc/${pid}/cmdline`)) ?? functionNameOf(readOrEmpty(`/proc/${pid}/environ`));
    const rssKb = /^VmRSS:\s+(\d+) kB$/m.exec(readOrEmpty(`/proc/${pid}/status`))?.[1];
    if (name === undefined || rssKb === undefined) continue;
    byFunction.set(name, [...(byFunction.get(name) ?? []), Number(rssKb) / 1024]);
  }
  return byFunction;
}

function runtimeOf(commandLine: string): string | undefined {
  if (commandLine.includes("runtimes/node/bootstrap.js")) return "node";
  if (commandLine.includes("runtimes/python/bootstrap.py")) return "python";
  return undefined;
}

function functionNameOf(environ: string): string | undefined {
  return /(?:^|\0)AWS_LAMBDA_FUNCTION_NAME=([^\0]*)/.exec(environ)?.[1];
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
