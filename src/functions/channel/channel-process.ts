/**
 * A runtime process of a built-in runtime (nodejs, python3) with its frame channel on fd 3.
 * Log frames and anything written straight to fd 1/2 go to `onLog`; every other frame answers
 * whoever awaits `nextFrame()`. Function code shares the process, so it can write to fd 3 too: a
 * byte stream that is not valid frames, or a frame nobody asked for, breaks the protocol, and the
 * process is killed rather than trusted any further. The process leads its own process group:
 * whatever the function starts ends with it.
 */
import type { ChildProcess } from "node:child_process";
import type { Duplex } from "node:stream";
import { forgetGroup, groupsOfTree, killGroup, killGroups, spawnGroup } from "../../processes/index.js";
import { ProcessExitedError, type ProcessExitInfo, RuntimeProtocolError } from "../function-instance.js";
import { MAX_RESPONSE_BYTES } from "../lambda-errors.js";
import {
  encodeFrame,
  type Frame,
  FrameDecoder,
  FrameProtocolError,
  MAX_HEADER_BYTES,
} from "./frame-codec.js";

/** A body may be a whole response, up to Lambda's limit; a longer response is skipped and reported. */
const CHANNEL_LIMITS = { maxHeaderBytes: MAX_HEADER_BYTES, maxBodyBytes: MAX_RESPONSE_BYTES };

type FrameWaiter = { resolve: (frame: Frame) => void; reject: (error: Error) => void };

/** After the runtime exits, how long a process that escaped its group may hold the channel open. */
const CHANNEL_DRAIN_MS = 2_000;

export class ChannelProcess {
  readonly #child: ChildProcess;
  readonly #channel: Duplex;
  readonly #decoder = new FrameDecoder((frame) => this.#onFrame(frame), CHANNEL_LIMITS);
  #waiter: FrameWaiter | undefined;
  #exit: ProcessExitInfo | undefined;
  #violation: RuntimeProtocolError | undefined;
  /** An invocation was interrupted by a limit: the process serves no more. */
  #interrupted = false;
  /** The process's group and those its descendants moved to, as last seen while it was alive. */
  #groups: Set<number> | undefined;
  readonly exited: Promise<ProcessExitInfo>;
  onLog: (text: string) => void = () => {};

  constructor(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }) {
    this.#child = spawnGroup(command, args, { env: options.env, cwd: options.cwd, extraPipes: 1 });
    this.#channel = this.#child.stdio[3] as Duplex;
    this.#channel.on("data", (chunk: Buffer) => this.#onData(chunk));
    // A dying child resets the socket; its exit is reported through `exited`.
    this.#channel.on("error", () => {});
    this.#child.stdout?.on("data", (chunk: Buffer) => this.onLog(chunk.toString("utf8")));
    this.#child.stderr?.on("data", (chunk: Buffer) => this.onLog(chunk.toString("utf8")));
    // Frames written just before exiting may be read after the exit event: the process counts as
    // exited once it has exited and its channel is closed (spawn failures end at once).
    const channelClosed = new Promise<void>((resolve) => this.#channel.once("close", () => resolve()));
    this.exited = new Promise((resolve) => {
      this.#child.once("error", () => this.#onExit({ code: null, signal: null }, resolve));
      this.#child.once("exit", (code, signal) => {
        // The instance ends with its runtime: what the function started goes too, and so can no
        // longer hold the channel (or stdout) open.
        const pid = this.#child.pid;
        if (pid !== undefined) {
          killGroups(this.#groups ?? [pid]);
          forgetGroup(pid);
        }
        const drain = setTimeout(() => this.#channel.destroy(), CHANNEL_DRAIN_MS);
        void channelClosed.then(() => {
          clearTimeout(drain);
          this.#onExit({ code, signal }, resolve);
        });
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** False once the process has exited, has been killed for breaking the protocol, or a limit ended its invocation. */
  get isUsable(): boolean {
    return this.#exit === undefined && this.#violation === undefined && !this.#interrupted;
  }

  send(header: object, body?: Buffer | string): void {
    if (!this.isUsable) return;
    this.#channel.write(encodeFrame(header, body));
  }

  /**
   * The next non-log frame; rejects with RuntimeProtocolError if the process breaks the protocol
   * first, or with ProcessExitedError if it exits first.
   */
  nextFrame(): Promise<Frame> {
    if (this.#violation) return Promise.reject(this.#violation);
    if (this.#exit) return Promise.reject(new ProcessExitedError(this.#exit));
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /**
   * Kills the process for breaking the protocol (`reason` says how) and returns the error that
   * whoever waits for its next frame gets. Only the first violation counts.
   */
  violate(reason: string): RuntimeProtocolError {
    if (this.#violation) return this.#violation;
    const violation = new RuntimeProtocolError(reason);
    this.#violation = violation;
    this.kill();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) waiter.reject(violation);
    // Nobody is waiting to report it: an idle instance broke the protocol.
    else this.onLog(`Error: ${reason}\nRuntime.InvalidResponse\n`);
    return violation;
  }

  /**
   * Whoever waits for the next frame stops waiting, with `reason`; the process is being retired, so what it sends
   * from now on (a reply that comes too late) is dropped, not taken for a protocol violation.
   */
  interrupt(reason: Error): void {
    this.#interrupted = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(reason);
  }

  /** Kills the process with its whole group, and the groups of any processes it detached. */
  kill(): void {
    const pid = this.#child.pid;
    if (!this.#exit && pid !== undefined) void killGroup(pid);
  }

  /**
   * Closes the channel; the bootstrap exits on its own when it sees the end. What the function
   * detached from its group is looked up first, while the bootstrap's children still lead to it.
   */
  close(): void {
    const pid = this.#child.pid;
    if (pid === undefined || this.#exit) {
      this.#channel.end();
      return;
    }
    void groupsOfTree(pid).then((groups) => {
      this.#groups = groups;
      this.#channel.end();
    });
  }

  #onData(chunk: Buffer): void {
    if (this.#violation) return;
    try {
      this.#decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameProtocolError)) throw error;
      this.violate(
        `the runtime wrote bytes to fd 3 that are not a valid frame: ${error.message} (fd 3 is the runtime's channel to Portico; function code must not write to it)`,
      );
    }
  }

  #onFrame(frame: Frame): void {
    // Frames that follow a violation in the same chunk are not to be trusted either.
    if (this.#violation) return;
    const { type } = frame.header;
    if (type === "log") {
      if (frame.oversizedBodyBytes === undefined) this.onLog(frame.body.toString("utf8"));
      else
        this.violate(
          `the runtime sent a log frame of ${frame.oversizedBodyBytes} bytes, over the ${MAX_RESPONSE_BYTES}-byte limit`,
        );
      return;
    }
    // A reply to an invocation a limit ended: the process is being retired.
    if (this.#interrupted) return;
    const waiter = this.#waiter;
    if (!waiter) {
      this.violate(`the runtime sent ${describeFrame(frame)} while no message was expected from it`);
      return;
    }
    this.#waiter = undefined;
    waiter.resolve(frame);
  }

  #onExit(exit: ProcessExitInfo, resolve: (exit: ProcessExitInfo) => void): void {
    if (this.#exit) return;
    this.#exit = exit;
    this.#channel.destroy();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(new ProcessExitedError(exit));
    resolve(exit);
  }
}

/** `a 'response' frame`, for messages about a frame that came out of turn. */
export function describeFrame(frame: Frame): string {
  const { type } = frame.header;
  return typeof type === "string" ? `a '${type.slice(0, 40)}' frame` : "a frame without a type";
}
