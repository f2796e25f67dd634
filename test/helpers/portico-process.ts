/** Runs the real `portico` CLI as a user would, on ephemeral ports, and waits on its output. */
import { type ChildProcess, spawn } from "node:child_process";
import { cliPath } from "./paths.js";

export class PorticoProcess {
  readonly child: ChildProcess;
  output = "";
  readonly exited: Promise<number | null>;
  #listeners: Array<() => void> = [];

  /** `options.executable`: an installed `portico` command to run instead of this checkout's build. */
  constructor(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; executable?: string } = {}) {
    const [command, argv] =
      options.executable === undefined ? [process.execPath, [cliPath, ...args]] : [options.executable, args];
    this.child = spawn(command, argv, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString("utf8");
      for (const listener of this.#listeners) listener();
    };
    this.child.stdout?.on("data", collect);
    this.child.stderr?.on("data", collect);
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  /** Resolves with the first match of `pattern` in the output after `from` (an offset into `output`). */
  waitFor(pattern: RegExp, options: { timeoutMs?: number; from?: number } = {}): Promise<RegExpMatchArray> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const from = options.from ?? 0;
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.output.slice(from).match(pattern);
        if (match) {
          done();
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output so far:\n${this.output}`),
        );
      }, timeoutMs);
      const onExit = () => {
        check();
        done();
        reject(new Error(`portico exited while waiting for ${pattern}; output:\n${this.output}`));
      };
      const done = () => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
        this.child.off("exit", onExit);
      };
      this.#listeners.push(check);
      this.child.once("exit", onExit);
      check();
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    // Only past Portico's own stop limit (requests in flight get 10 s, then instances are ended): a
    // SIGKILL sooner would leave its instances running, which is what Portico guards against.
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** `portico dev DIR` on free ports; resolves once it prints its URLs. */
export async function startDev(
  dir: string,
  extraArgs: string[] = [],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<{ portico: PorticoProcess; port: number; adminPort: number }> {
  const portico = new PorticoProcess(["dev", dir, "--port", "0", "--admin-port", "0", ...extraArgs], options);
  try {
    const [, port] = await portico.waitFor(/API \S+ \(stage [^)]+\): http:\/\/[^:]+:(\d+)\//);
    const [, adminPort] = await portico.waitFor(/Admin API: http:\/\/127\.0\.0\.1:(\d+)\//);
    return { portico, port: Number(port), adminPort: Number(adminPort) };
  } catch (error) {
    await portico.stop();
    throw error;
  }
}

/** Runs the CLI to completion. */
export async function runPortico(
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  const code = await new Promise<number | null>((resolve) =>
    child.once("close", (exitCode) => resolve(exitCode)),
  );
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** `portico up --data DIR` on free ports; resolves once it says where it serves. */
export async function startServer(
  dataDir: string,
  extraArgs: string[] = [],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<{ portico: PorticoProcess; port: number; adminPort: number; server: string }> {
  const portico = new PorticoProcess(
    ["up", "--data", dataDir, "--port", "0", "--admin-port", "0", ...extraArgs],
    options,
  );
  try {
    const [, port] = await portico.waitFor(/ on http:\/\/[^:]+:(\d+)\//, { timeoutMs: 30_000 });
    const [, adminPort] = await portico.waitFor(/Admin API: http:\/\/127\.0\.0\.1:(\d+)\//);
    // Its last startup line: the lines before it (the AWS line) may come in a later chunk than the admin line.
    await portico.waitFor(/Press Ctrl\+C to stop\./);
    return {
      portico,
      port: Number(port),
      adminPort: Number(adminPort),
      server: `http://127.0.0.1:${adminPort}`,
    };
  } catch (error) {
    await portico.stop();
    throw error;
  }
}
