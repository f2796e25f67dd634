/** Runs a short-lived tool (a container engine's CLI) to completion: its exit code and output, bounded in time. */
import { type ExecFileException, execFile } from "node:child_process";

export interface ProgramResult {
  /** The exit code; null when the program could not be started or did not finish (see `failure`). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it did not run to completion: not installed, could not start, or timed out. */
  readonly failure?: string;
}

export interface ProgramOptions {
  /** The whole environment; its PATH finds the program (default: Portico's own). */
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

/** Never rejects: a failure to run is a result too, so callers can say what was tried and what failed. */
export function runProgram(
  file: string,
  args: readonly string[],
  options: ProgramOptions,
): Promise<ProgramResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env: options.env, timeout: options.timeoutMs, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 },
      (error: ExecFileException | null, stdout: string, stderr: string) => {
        if (error === null) return resolve({ code: 0, stdout, stderr });
        if (error.code === "ENOENT") {
          return resolve({ code: null, stdout, stderr, failure: `not installed (no \`${file}\` on PATH)` });
        }
        if (error.killed) {
          return resolve({
            code: null,
            stdout,
            stderr,
            failure: `\`${file} ${args[0] ?? ""}\` did not finish within ${options.timeoutMs / 1000} s`,
          });
        }
        if (typeof error.code === "number") return resolve({ code: error.code, stdout, stderr });
        resolve({ code: null, stdout, stderr, failure: `could not run \`${file}\`: ${error.message}` });
      },
    );
    // EOF on stdin: nothing here should wait for input.
    child.stdin?.end();
  });
}

/** One line saying why a run failed: the failure, else the last line the program wrote to stderr (or stdout). */
export function failureSummary(result: ProgramResult): string {
  if (result.failure !== undefined) return result.failure;
  return lastLine(result.stderr) ?? lastLine(result.stdout) ?? `exit code ${result.code}, no output`;
}

function lastLine(text: string): string | undefined {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .at(-1);
}
