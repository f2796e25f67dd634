/**
 * Keeps one pre-started, generic runtime process per built-in runtime, so that a cold start only
 * has to load the handler (~6 ms for Node.js instead of ~70 ms for a fresh process).
 */
import { PorticoError, toolchainEnvironment } from "../../model/index.js";
import { ChannelProcess, describeFrame } from "./channel-process.js";
import type { ExclusiveTurns } from "./exclusive-turns.js";

export interface RuntimeCommand {
  readonly command: string;
  readonly args: readonly string[];
}

const REFILL_DELAY_MS = 100;

export class SpareProcesses {
  readonly #resolveCommand: () => Promise<RuntimeCommand>;
  #spare: Promise<ChannelProcess> | undefined;
  #closed = false;
  #refill: NodeJS.Timeout | undefined;
  readonly #turns: ExclusiveTurns | undefined;

  /** With `turns`, each process starts only after those of earlier turns have exited. */
  constructor(resolveCommand: () => Promise<RuntimeCommand>, turns?: ExclusiveTurns) {
    this.#resolveCommand = resolveCommand;
    this.#turns = turns;
  }

  /** Starts the spare ahead of the first cold start. */
  warm(): void {
    if (!this.#spare && !this.#closed) this.#spare = this.#start();
  }

  /** A ready process for a new instance; a fresh spare is started behind it. */
  async take(): Promise<ChannelProcess> {
    if (this.#closed)
      throw new PorticoError("RUNTIME_CLOSED", "runtime is shutting down", { isUserError: false });
    for (let attempt = 0; attempt < 3; attempt++) {
      clearTimeout(this.#refill);
      const next = this.#spare ?? this.#start();
      this.#spare = undefined;
      this.#scheduleRefill();
      const process = await next.catch(() => undefined);
      if (process?.isUsable) return process;
    }
    throw new PorticoError(
      "RUNTIME_START_FAILED",
      "the runtime process failed to start three times in a row",
      {
        isUserError: false,
      },
    );
  }

  /**
   * A process for one instance alone, started with `env` besides the toolchain's (variables its runtime
   * reads only as it starts); `onLog` gets what it writes while starting. Rejects with
   * ProcessExitedError when it exits before it is ready. Aborting `signal` kills it while it is not
   * ready yet (a process waiting for a debugger may never be), or keeps it from starting.
   */
  startWith(
    env: Readonly<Record<string, string>>,
    onLog: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<ChannelProcess> {
    if (this.#closed)
      throw new PorticoError("RUNTIME_CLOSED", "runtime is shutting down", { isUserError: false });
    return this.#spawnReady(env, onLog, signal);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#refill);
    const spare = this.#spare;
    this.#spare = undefined;
    void spare?.then((process) => process.kill()).catch(() => {});
  }

  /**
   * The next spare starts a little after a cold start took the last one: spawning blocks this
   * thread for over a millisecond, which the cold start in progress should not wait behind.
   */
  #scheduleRefill(): void {
    this.#refill = setTimeout(() => this.warm(), REFILL_DELAY_MS);
    this.#refill.unref();
  }

  /** Starts a process; a failure is reported to whoever takes it, never as an unhandled rejection. */
  #start(): Promise<ChannelProcess> {
    const starting = this.#spawnReady();
    starting.catch(() => {});
    return starting;
  }

  async #spawnReady(
    env: Readonly<Record<string, string>> = {},
    onLog?: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<ChannelProcess> {
    const { command, args } = await this.#resolveCommand();
    const handOver = await this.#turns?.take();
    let process: ChannelProcess;
    try {
      if (signal?.aborted)
        throw new PorticoError(
          "RUNTIME_START_ABORTED",
          "the instance was no longer wanted before it started",
          {
            isUserError: false,
          },
        );
      // Generic until `init` replaces its whole environment with the function's: none of Portico's
      // variables (NODE_OPTIONS, PYTHONPATH, a secret) may shape the runtime or reach the function.
      process = new ChannelProcess(command, [...args], { env: { ...toolchainEnvironment(), ...env } });
    } catch (error) {
      handOver?.();
      throw error;
    }
    handOver?.(process.exited);
    if (onLog) process.onLog = onLog;
    const abort = () => process.kill();
    signal?.addEventListener("abort", abort, { once: true });
    const frame = await process.nextFrame().finally(() => signal?.removeEventListener("abort", abort));
    if (frame.header.type !== "ready")
      throw process.violate(`the runtime sent ${describeFrame(frame)} before 'ready'`);
    if (this.#closed) process.kill();
    return process;
  }
}
