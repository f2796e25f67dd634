/**
 * The process groups a process group's members have started, found through /proc (Linux): a
 * handler's `spawn(..., { detached: true })` child leaves its instance's group (setsid), and only its
 * parent chain, while the instance is alive, still ties it to the instance. Elsewhere only the group
 * itself is known.
 */
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";

interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
}

/** Every process on the machine, as parent and group; empty without /proc. */
export type ProcessTable = ReadonlyArray<ProcessEntry | undefined>;

/** `pgid` and the groups of every live descendant of its members. */
export async function groupsOfTree(pgid: number): Promise<Set<number>> {
  let names: string[];
  try {
    names = await readdir("/proc");
  } catch {
    return new Set([pgid]);
  }
  const table = await Promise.all(
    pidNames(names).map(async (name) =>
      parseStat(await readFile(`/proc/${name}/stat`, "utf8").catch(() => "")),
    ),
  );
  return treeGroups(pgid, table);
}

/** The process table, read synchronously: for the moment Portico's process exits, when nothing can be awaited. */
export function readProcessTableSync(): ProcessTable {
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return [];
  }
  return pidNames(names).map((name) => {
    try {
      return parseStat(readFileSync(`/proc/${name}/stat`, "utf8"));
    } catch {
      return undefined;
    }
  });
}

/** `pgid` and the groups of every descendant of its members in `table`. */
export function treeGroups(pgid: number, table: ProcessTable): Set<number> {
  const children = new Map<number, ProcessEntry[]>();
  const pending: ProcessEntry[] = [];
  for (const entry of table) {
    if (!entry) continue;
    if (entry.pgid === pgid) pending.push(entry);
    const siblings = children.get(entry.ppid);
    if (siblings) siblings.push(entry);
    else children.set(entry.ppid, [entry]);
  }
  const groups = new Set([pgid]);
  const seen = new Set<number>();
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    if (seen.has(entry.pid)) continue;
    seen.add(entry.pid);
    groups.add(entry.pgid);
    pending.push(...(children.get(entry.pid) ?? []));
  }
  return groups;
}

function pidNames(names: string[]): string[] {
  return names.filter((name) => name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57);
}

/** `pid (comm) state ppid pgrp ...`: comm may hold spaces and parentheses, so fields count from the last ')'. */
function parseStat(stat: string): ProcessEntry | undefined {
  const end = stat.lastIndexOf(")");
  if (end < 0) return undefined;
  const fields = stat.slice(end + 2).split(" ");
  return { pid: Number.parseInt(stat, 10), ppid: Number(fields[1]), pgid: Number(fields[2]) };
}
