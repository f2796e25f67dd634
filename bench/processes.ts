/** Owns every process the benchmark starts (servers under test, wrk): start, wait for output, stop, kill. */
import { type ChildProcess, spawn } from "node:child_process";

const running = new Set<BenchProcess>();
/** What `tail()` keeps of the output. */
const TAIL_BYTES = 16 * 1024;
const TAIL_LINES = 40;

/** How a stop went: `clean` when the process exited by itself, with code 0, within the grace period. */
export interface StopResult {
  readonly clean: boolean;
  readonly code: number | null;
  readonly signal: string | null;
  readonly ms: number;
}

/**
 * A child process in its own process group (it is the group's leader), so the instances a Portico
 * process starts can be accounted for and killed together with it, by the group's id.
 */
export class BenchProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** The last output, for error messages. */
  #recent = "";
  /** The line being printed, not yet ended. */
  #partial = "";
  readonly #lineListeners = new Set<(line: string) => void>();

  constructor(
    name: string,
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.name = name;
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(this);
    this.exited = new Promise((resolve) => {
      this.child.once("error", (error) => {
        this.#recent += `\nspawn failed: ${error.message}`;
        resolve({ code: null, signal: null });
      });
      this.child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    void this.exited.then(() => running.delete(this));
    // Portico prints START/END/REPORT lines per invocation; reading them keeps its stdout from blocking.
    this.child.stdout?.on("data", (chunk: Buffer) => this.#data(chunk));
    this.child.stderr?.on("data", (chunk: Buffer) => this.#data(chunk));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} did not start:\n${this.tail()}`);
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** The last lines printed. */
  tail(): string {
    return this.#recent.split("\n").slice(-TAIL_LINES).join("\n");
  }

  /** Calls `listener` with each complete output line until the returned function is called. */
  onLine(listener: (line: string) => void): () => void {
    this.#lineListeners.add(listener);
    return () => this.#lineListeners.delete(listener);
  }

  /** The first output line matching `pattern`, from now on. */
  waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, match?: RegExpMatchArray) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopListening();
        if (error) reject(error);
        else resolve(match as RegExpMatchArray);
      };
      const timer = setTimeout(
        () =>
          finish(
            new Error(`${this.name}: no line matching ${pattern} within ${timeoutMs} ms:\n${this.tail()}`),
          ),
        timeoutMs,
      );
      const stopListening = this.onLine((line) => {
        const match = line.match(pattern);
        if (match) finish(undefined, match);
      });
      void this.exited.then(() =>
        finish(new Error(`${this.name} exited before printing ${pattern}:\n${this.tail()}`)),
      );
    });
  }

  /** SIGTERM, then SIGKILL to the whole group after `graceMs`; leftovers in the group are killed too. */
  async stop(graceMs = 5_000): Promise<StopResult> {
    const startedAt = performance.now();
    let clean = false;
    if (!this.hasExited) {
      this.child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), graceMs);
      });
      clean = (await Promise.race([this.exited, timedOut])) !== "timeout";
      clearTimeout(timer);
    }
    this.kill();
    const { code, signal } = await this.exited;
    return { clean: clean && code === 0, code, signal, ms: performance.now() - startedAt };
  }

  /** SIGKILL to every process of the group (the child and whatever it started). */
  kill(): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  /**
   * Output is split into lines only while someone waits for one: this reader shares the CPUs with the server it
   * measures, so it must cost no more than a production reader of the server's output would.
   */
  #data(chunk: Buffer): void {
    const text = chunk.toString("utf8");
    this.#recent = (this.#recent + text).slice(-TAIL_BYTES);
    if (this.#lineListeners.size === 0) {
      const lastEnd = text.lastIndexOf("\n");
      this.#partial = lastEnd === -1 ? this.#partial + text : text.slice(lastEnd + 1);
      return;
    }
    const lines = (this.#partial + text).split("\n");
    this.#partial = lines.pop() ?? "";
    for (const line of lines) for (const listener of this.#lineListeners) listener(line);
  }
}

/** Kills every process group still running; safe to call from an exit handler. */
export function killAll(): void {
  for (const process of running) process.kill();
}
