/**
 * One instance of a service revision: the user's process, started with `PORT` and the `K_*`
 * variables, ready once its port accepts a TCP connection, and stopped the way Cloud Run stops a
 * container (SIGTERM, then SIGKILL after a grace period), always as a whole process group.
 */
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { PorticoError, toolchainEnvironment } from "../model/index.js";
import { forgetGroup, signalGroup, spawnGroup } from "../processes/index.js";
import type { ServicePorts } from "./free-port.js";
import { InstanceStartError, type StartFailure } from "./instance-start-error.js";
import { type InstanceExit, type InstanceState, transition } from "./instance-state.js";
import type { StartCommand } from "./start-command.js";
import { waitForPort } from "./startup-probe.js";

/** Cloud Run's default startup probe allows 240 s to listen (cloudrun.md §1.4). */
export const DEFAULT_STARTUP_TIMEOUT_MS = 240_000;
/** Cloud Run's SIGTERM → SIGKILL grace (§1.6). */
export const DEFAULT_STOP_GRACE_MS = 10_000;
/** Log lines kept for the startup failure message. */
const LOG_TAIL_LINES = 20;
/** After SIGKILL, how long the output pipes may stay open (held by a process that left the group). */
const DRAIN_AFTER_KILL_MS = 2_000;

export type LogStream = "stdout" | "stderr";

export interface ServiceInstanceOptions {
  /** `K_SERVICE`, and `K_CONFIGURATION` (Cloud Run names the configuration after the service). */
  readonly service: string;
  /** `K_REVISION`, and the name startup failures give. */
  readonly revision: string;
  readonly command: StartCommand;
  /** Where its `PORT` comes from: shared by every instance the platform runs. */
  readonly ports: ServicePorts;
  /** The service's own variables: they override the command's and the toolchain's, not `PORT` or `K_*`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Each line the process writes, without its line break; the caller adds revision and instance names. */
  readonly onLog?: (line: string, stream: LogStream) => void;
  /** How long the process has to listen on `PORT` (default 240 s). */
  readonly startupTimeoutMs?: number;
  /** How long a stopping process has between SIGTERM and SIGKILL (default 10 s). */
  readonly stopGraceMs?: number;
}

export class ServiceInstance {
  /** Resolves when the port accepts connections; rejects with an InstanceStartError otherwise. */
  readonly ready: Promise<void>;
  /** Resolves, never rejects, once the process has exited and its output is read. */
  readonly exited: Promise<InstanceExit>;
  readonly #options: ServiceInstanceOptions;
  #state: InstanceState = "starting";
  #port = 0;
  #child: ChildProcess | undefined;
  #leaderExit: InstanceExit | undefined;
  #spawnError: Error | undefined;
  #crashed = false;
  readonly #logTail: string[] = [];
  /** Aborted with "timeout" at the startup deadline, "stopped" by stop(), "done" once settled. */
  readonly #startup = new AbortController();
  #stopping: Promise<void> | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  /** What the start method leaves to remove once the process has exited (a container). */
  #cleanUp: (() => Promise<void>) | undefined;
  #resolveExited!: (exit: InstanceExit) => void;

  constructor(options: ServiceInstanceOptions) {
    if (options.command.argv?.length === 0) {
      throw new PorticoError("SERVICE_INSTANCE_OPTIONS", "a start command's argv cannot be empty", {
        isUserError: false,
      });
    }
    this.#options = options;
    this.exited = new Promise((resolve) => {
      this.#resolveExited = resolve;
    });
    this.ready = this.#start();
    // The failure stays observable through `ready`; a caller that never awaits it must not
    // take Portico down with an unhandled rejection.
    this.ready.catch(() => {});
  }

  get state(): InstanceState {
    return this.#state;
  }

  /** The instance's `PORT`: 0 until chosen, always set once `ready` resolves. */
  get port(): number {
    return this.#port;
  }

  /** The process group leader's pid (also the group id), once spawned. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** True when the process exited without being asked to stop: a crash, or any exit before ready. */
  get crashed(): boolean {
    return this.#crashed;
  }

  /** SIGTERM to the whole group, SIGKILL after the grace period; resolves once the process has exited. */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    // Exited, but maybe still cleaning up: done once `exited` resolves.
    if (this.#state === "exited") return this.exited.then(() => undefined);
    this.#state = transition(this.#state, "stopping");
    this.#startup.abort("stopped");
    this.#stopping = this.#terminate();
    return this.#stopping;
  }

  async #start(): Promise<void> {
    const timeoutMs = this.#options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    const deadline = setTimeout(() => this.#startup.abort("timeout"), timeoutMs);
    try {
      // 1. Choose the port the app must listen on.
      this.#port = await this.#options.ports.reserve();
      if (this.#stopping) {
        this.#finish();
        throw this.#startError({ kind: "stopped" });
      }
      // 2. Start the process as the leader of its own group.
      this.#spawn();
      // 3. Probe the port (every 5 ms, after a second every 50 ms), racing the process's exit, the deadline and stop().
      const outcome = await Promise.race([
        waitForPort(this.#port, this.#startup.signal).then(
          () => "listening" as const,
          (reason: unknown) => (reason === "timeout" ? ("timeout" as const) : ("stopped" as const)),
        ),
        this.exited.then(() => "exited" as const),
      ]);
      if (outcome === "listening" && this.#state === "starting") {
        this.#state = transition(this.#state, "ready");
        return;
      }
      if (outcome === "timeout") {
        const error = this.#startError({ kind: "timeout", timeoutMs });
        // As Cloud Run does, shut the instance down; `exited` reports when it is gone.
        void this.stop();
        throw error;
      }
      if (this.#state === "exited" && this.#crashed) {
        throw this.#startError({
          kind: "exited",
          exit: this.#leaderExit ?? { code: null, signal: null },
          spawnError: this.#spawnError,
        });
      }
      throw this.#startError({ kind: "stopped" });
    } finally {
      clearTimeout(deadline);
      this.#startup.abort("done");
    }
  }

  #spawn(): void {
    const { command, service, revision } = this.#options;
    const appEnv: Record<string, string> = {
      ...command.env,
      ...this.#options.env,
      PORT: String(this.#port),
      K_SERVICE: service,
      K_REVISION: revision,
      K_CONFIGURATION: service,
    };
    let child: ChildProcess;
    try {
      let file: string;
      let args: readonly string[];
      let env: NodeJS.ProcessEnv;
      if (command.launch) {
        // The process is Portico's tool (a container engine's client): it gets Portico's environment,
        // and the app's variables through its command line.
        const launch = command.launch({ service, revision, env: appEnv });
        this.#cleanUp = () => launch.cleanUp();
        file = launch.argv[0] as string;
        args = launch.argv.slice(1);
        env = process.env;
      } else {
        [file, args] =
          command.shell !== undefined
            ? ["/bin/sh", ["-c", command.shell]]
            : [command.argv[0] as string, command.argv.slice(1)];
        // What a container would have from its image (PATH, HOME, LANG, TMPDIR), never the rest of Portico's
        // environment. Python block-buffers a piped stdout; unbuffered, its lines arrive as written.
        env = { PYTHONUNBUFFERED: "1", ...toolchainEnvironment(), ...appEnv };
      }
      child = spawnGroup(file, args, { cwd: command.cwd, env });
    } catch (error) {
      this.#spawnError = error as Error;
      this.#finish();
      return;
    }
    this.#child = child;
    // A failed spawn (command or cwd not found) reports 'error' without a pid, then 'close'.
    child.on("error", (error) => {
      if (child.pid === undefined) this.#spawnError = error;
    });
    child.once("exit", (code, signal) => this.#onLeaderExit({ code, signal }));
    // 'close' comes once the leader has exited and every holder of its stdout/stderr is gone.
    child.once("close", () => this.#finish());
    this.#readLines(child.stdout as Readable, "stdout");
    this.#readLines(child.stderr as Readable, "stderr");
  }

  #readLines(stream: Readable, name: LogStream): void {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line: string) => {
      this.#logTail.push(line);
      if (this.#logTail.length > LOG_TAIL_LINES) this.#logTail.shift();
      this.#options.onLog?.(line, name);
    });
  }

  #onLeaderExit(exit: InstanceExit): void {
    this.#leaderExit = exit;
    this.#crashed = this.#state !== "stopping";
    // A crash ends the instance, as a container ends with its main process: kill the rest of the
    // group now. When stopping, the others got SIGTERM too and may still be draining: the grace
    // timer bounds them.
    if (this.#crashed) this.#kill();
  }

  async #terminate(): Promise<void> {
    const pid = this.#child?.pid;
    if (pid !== undefined && this.#leaderExit === undefined) {
      // 1. SIGTERM to every process of the instance (Cloud Run signals every container).
      signalGroup(pid, "SIGTERM");
      // 2. SIGKILL to whatever is left when the grace period ends.
      this.#graceTimer = setTimeout(() => this.#kill(), this.#options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    }
    // 3. Done when the process has exited and its output pipes have closed (#finish).
    await this.exited;
  }

  #kill(): void {
    const child = this.#child;
    if (child?.pid === undefined || this.#drainTimer) return;
    signalGroup(child.pid, "SIGKILL");
    this.#drainTimer = setTimeout(() => {
      // Only a process that escaped the group (setsid) can still hold the pipes: stop reading them.
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, DRAIN_AFTER_KILL_MS);
  }

  #finish(): void {
    if (this.#state === "exited") return;
    clearTimeout(this.#graceTimer);
    clearTimeout(this.#drainTimer);
    const pid = this.#child?.pid;
    if (pid !== undefined) {
      // A process that closed its output and stayed would otherwise outlive the instance.
      signalGroup(pid, "SIGKILL");
      forgetGroup(pid);
    }
    if (this.#leaderExit === undefined) this.#crashed = this.#state !== "stopping";
    this.#state = transition(this.#state, "exited");
    const exit = this.#leaderExit ?? { code: null, signal: null };
    const cleanUp = this.#cleanUp;
    if (cleanUp === undefined) {
      this.#release(exit);
      return;
    }
    // `exited` waits for the clean-up, so a stopped instance leaves nothing running behind it.
    void cleanUp()
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.#options.onLog?.(`clean-up after exit failed: ${reason}`, "stderr");
      })
      .finally(() => this.#release(exit));
  }

  #release(exit: InstanceExit): void {
    if (this.#port !== 0) this.#options.ports.release(this.#port);
    this.#resolveExited(exit);
  }

  #startError(failure: StartFailure): InstanceStartError {
    return new InstanceStartError(this.#options.revision, this.#port, failure, [...this.#logTail]);
  }
}
