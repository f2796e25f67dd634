/**
 * A service instance's processes as one process group, so a signal reaches everything the start
 * command started (`sh -c` and its children, npm scripts, process managers), not only the leader.
 * Groups still running when Portico's process exits are killed on the way out.
 */
import { type ChildProcess, spawn } from "node:child_process";

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Spawns `file` as the leader of a new process group (and session), stdin at EOF, stdout/stderr piped. */
export function spawnGroup(
  file: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): ChildProcess {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    // Knative's contract: reading stdin SHOULD return EOF.
    stdio: ["ignore", "pipe", "pipe"],
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

/** The group is gone: no need to kill it when Portico exits. */
export function forgetGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

/**
 * Detached groups outlive their parent, and Ctrl-C reaches only the terminal's foreground group:
 * without this hook an instance would keep running after Portico exits without stopping it.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const pgid of liveGroups) signalGroup(pgid, "SIGKILL");
  });
}
