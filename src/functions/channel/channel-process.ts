/**
 * A runtime process of a built-in runtime (nodejs, python3) with its frame channel on fd 3.
 * Log frames and anything written straight to fd 1/2 go to `onLog`; every other frame is handed,
 * in order, to whoever awaits `nextFrame()`. The process leads its own process group: whatever the
 * function starts ends with it.
 */
import type { ChildProcess } from "node:child_process";
import type { Duplex } from "node:stream";
import { forgetGroup, groupsOfTree, killGroup, killGroups, spawnGroup } from "../../processes/index.js";
import { ProcessExitedError, type ProcessExitInfo } from "../function-instance.js";
import { encodeFrame, type Frame, FrameDecoder } from "./frame-codec.js";

type ProcessExit = ProcessExitInfo;

/** After the runtime exits, how long a process that escaped its group may hold the channel open. */
const CHANNEL_DRAIN_MS = 2_000;

export class ChannelProcess {
  readonly #child: ChildProcess;
  readonly #channel: Duplex;
  readonly #decoder = new FrameDecoder();
  readonly #frames: Frame[] = [];
  #waiter: { resolve: (frame: Frame) => void; reject: (error: Error) => void } | undefined;
  #exit: ProcessExit | undefined;
  /** The process's group and those its descendants moved to, as last seen while it was alive. */
  #groups: Set<number> | undefined;
  readonly exited: Promise<ProcessExit>;
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

  get hasExited(): boolean {
    return this.#exit !== undefined;
  }

  send(header: object, body?: Buffer | string): void {
    if (this.#exit) return;
    this.#channel.write(encodeFrame(header, body));
  }

  /** The next non-log frame; rejects with ProcessExitedError if the process exits first. */
  nextFrame(): Promise<Frame> {
    const queued = this.#frames.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#exit) return Promise.reject(new ProcessExitedError(this.#exit));
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
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
    for (const frame of this.#decoder.push(chunk)) {
      if (frame.header.type === "log") {
        this.onLog(frame.body.toString("utf8"));
      } else if (this.#waiter) {
        const waiter = this.#waiter;
        this.#waiter = undefined;
        waiter.resolve(frame);
      } else {
        this.#frames.push(frame);
      }
    }
  }

  #onExit(exit: ProcessExit, resolve: (exit: ProcessExit) => void): void {
    if (this.#exit) return;
    this.#exit = exit;
    this.#channel.destroy();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(new ProcessExitedError(exit));
    resolve(exit);
  }
}
