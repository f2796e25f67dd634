/**
 * `portico dev --debug-port N`, as `sam local start-api -d N`: each Node.js instance starts under the
 * inspector and each Python one under debugpy, listening on N and waiting for a debugger to attach.
 */
import { execFile } from "node:child_process";
import type { FunctionSpec } from "../model/index.js";

/**
 * A function paused in a debugger must not time out (SAM drops the timeout while debugging): its
 * invocations and inits get this long instead.
 */
export const DEBUG_TIMEOUT_SECONDS = 12 * 60 * 60;

/** The function as it runs while debugging: one instance at a time, with the debugging timeout. */
export function debuggedSpec(fn: FunctionSpec): FunctionSpec {
  return { ...fn, concurrency: 1, timeoutSeconds: DEBUG_TIMEOUT_SECONDS };
}

/** Node.js flags that open the inspector on `port` and hold the bootstrap until a debugger attaches. */
export function nodeDebugArgs(port: number): string[] {
  return [`--inspect-brk=127.0.0.1:${port}`];
}

/** Python arguments, before the bootstrap's path, that run it under debugpy waiting for a client. */
export function pythonDebugArgs(port: number): string[] {
  return ["-m", "debugpy", "--listen", `127.0.0.1:${port}`, "--wait-for-client"];
}

const PROBE_TIMEOUT_MS = 15_000;

/** Whether `interpreter` can `import debugpy`. */
export function hasDebugpy(interpreter: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      interpreter,
      ["-c", "import debugpy"],
      { timeout: PROBE_TIMEOUT_MS, windowsHide: true },
      (error) => resolve(!error),
    );
  });
}

/** The one line saying why Python functions run without the debugger, and how to change that. */
export function debugpyMissingNotice(interpreter: string): string {
  return (
    `Debugger: debugpy is not installed for ${interpreter}; Python functions run without the debugger. ` +
    `Install it with: ${interpreter} -m pip install debugpy`
  );
}
