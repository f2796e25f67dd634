/**
 * Every instance process Portico starts (a function's runtime, a service's start command) leads its
 * own process group, so a signal reaches everything the instance started (`sh -c` and its children,
 * npm scripts, a handler's subprocesses), not only the leader. Groups still running when Portico's
 * process exits are killed on the way out.
 *
 * The registry of live groups is module state on purpose: it records which groups this OS process
 * leads, a fact of the process rather than of any one session, and the `exit` hook that must reach
 * all of them is process-wide too.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { groupsOfTree, readProcessTableSync, treeGroups } from "./process-tree.js";

const liveGroups = new Set<number>();
let exitHookInstalled = false;

export interface GroupSpawnOptions {
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Pipes beyond stdout and stderr (fd 3, ...), for a channel to the process. */
  readonly extraPipes?: number;
}

/**
 * Spawns `file` as the leader of a new process group (and session), stdin at EOF, stdout and stderr
 * piped. The group counts as live, and is killed if Portico exits, until `forgetGroup`.
 */
export function spawnGroup(file: string, args: readonly string[], options: GroupSpawnOptions): ChildProcess {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    // Knative's contract: reading stdin SHOULD return EOF. Lambda gives a runtime no stdin either.
    stdio: ["ignore", "pipe", "pipe", ...Array<"pipe">(options.extraPipes ?? 0).fill("pipe")],
  });
  if (child.pid !== undefined) {
    liveGroups.add(child.pid);
    installExitHook();
  }
  return child;
}

/** Sends `signal` to every process in the group led by `pgid`. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    // ESRCH: the group is already empty. EPERM: only processes we may not signal are left in it
    // (a setuid program); nothing more can be done for them from here.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ESRCH" && code !== "EPERM") throw error;
  }
}

/**
 * Kills the group and the groups its members' descendants moved to (a detached child), so nothing
 * the instance started outlives it. The group is stopped first: while the tree is read from /proc,
 * no member can exit (which would orphan its children out of reach) or start another process.
 */
export async function killGroup(pgid: number): Promise<void> {
  signalGroup(pgid, "SIGSTOP");
  let groups: Set<number>;
  try {
    groups = await groupsOfTree(pgid);
  } catch {
    groups = new Set([pgid]);
  }
  killGroups(groups);
}

/** Sends SIGKILL to each group in `groups` (a group and those of its tree, as `groupsOfTree` found them). */
export function killGroups(groups: Iterable<number>): void {
  for (const group of groups) signalGroup(group, "SIGKILL");
}

/** The group is gone: no need to kill it when Portico exits. */
export function forgetGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

/** Kills every live group at once, with whatever its members started; for Portico's way out. */
function killAllGroups(): void {
  if (liveGroups.size === 0) return;
  for (const pgid of liveGroups) signalGroup(pgid, "SIGSTOP");
  const table = readProcessTableSync();
  for (const pgid of liveGroups) killGroups(treeGroups(pgid, table));
  liveGroups.clear();
}

/**
 * Detached groups outlive their parent, and Ctrl-C reaches only the terminal's foreground group:
 * without this hook an instance would keep running after Portico exits without stopping it
 * (process.exit, an uncaught exception). Signals that end Portico are turned into an orderly exit
 * by the CLI, which ends here too.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", killAllGroups);
}
