/** Whether another process is still alive, and waiting for it to be gone. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";

/** True while `pid` runs; a zombie (exited, not yet reaped by whoever adopted it) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    // No /proc (not Linux), or the process is gone since kill(0).
    return process.platform !== "linux";
  }
}

/** Resolves once process `pid` is gone; there is no event for another process's exit, so this polls. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) assert.fail(`process ${pid} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The live processes (zombies aside) whose process group is one of `pgids`, from /proc (Linux). */
export function liveMembersOf(pgids: ReadonlySet<number>): number[] {
  const members: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    const [state, , pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state !== "Z" && pgids.has(Number(pgid))) members.push(Number(name));
  }
  return members;
}
