/** One running instance of a function: an OS process that serves one invocation at a time. */
import { PorticoError } from "../model/index.js";
import type { InstanceReply, Invocation } from "./invocation.js";

export interface ProcessExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface FunctionInstance {
  readonly pid: number | undefined;
  /**
   * False once the process has exited, broken its protocol, or been interrupted (it is then being killed), which
   * may be known before `exited` settles: such an instance must not be given an invocation.
   */
  readonly isUsable: boolean;
  /**
   * Rejects with ProcessExitedError when the process dies before replying, or with
   * RuntimeProtocolError when it breaks its protocol (it has then been killed).
   */
  invoke(invocation: Invocation): Promise<InstanceReply>;
  /**
   * Ends the invocation in flight, if any, because a limit ran out: its `invoke` rejects with
   * InvocationInterrupted at once. The caller retires the instance.
   */
  interrupt(interruption: InvocationInterrupted): void;
  /** Asks the process to stop; it is killed if it has not exited within the grace period. */
  stop(): void;
  /** Kills the process at once. */
  kill(): void;
  readonly exited: Promise<ProcessExitInfo>;
}

/** The result of starting an instance: ready, or the init error Lambda reports for the invocation. */
export type InstanceStart =
  | { readonly ok: true; readonly instance: FunctionInstance; readonly initDurationMs: number }
  | {
      readonly ok: false;
      readonly errorType: string;
      /** Error JSON bytes. */
      readonly payload: Buffer;
      readonly initDurationMs: number;
    };

export type InstanceStartFailure = Extract<InstanceStart, { ok: false }>;

/**
 * Starts instances of one function, writing their output to `onLog`. When `signal` aborts (the
 * init phase ran out of time, or the pool is going away) the starter kills what it started and
 * settles at once.
 */
export type InstanceStarter = (onLog: (text: string) => void, signal: AbortSignal) => Promise<InstanceStart>;

/** How long a stopping instance may take before it is killed. */
export const STOP_GRACE_MS = 2000;

/** The instance's process died before it replied. */
export class ProcessExitedError extends PorticoError {
  readonly exit: ProcessExitInfo;
  constructor(exit: ProcessExitInfo) {
    super("INSTANCE_EXITED", `runtime process exited (code ${exit.code}, signal ${exit.signal})`, {
      isUserError: false,
    });
    this.exit = exit;
  }
}

/**
 * The runtime broke the protocol it speaks with Portico (an invalid frame, a message out of turn, a
 * response cut off): the instance has been killed, and the invocation in flight fails with
 * `Runtime.InvalidResponse`.
 */
export class RuntimeProtocolError extends PorticoError {
  constructor(message: string) {
    super("RUNTIME_PROTOCOL_VIOLATION", message, { isUserError: false });
  }
}

/** Which limit ended an invocation before the instance replied. */
export type LimitReached = "timeout" | "oom";

/** An invocation ended by a limit (its timeout, its memory size), not by the instance. */
export class InvocationInterrupted extends Error {
  readonly limit: LimitReached;
  constructor(limit: LimitReached) {
    super(`the invocation reached its ${limit === "timeout" ? "timeout" : "memory size"}`);
    this.limit = limit;
  }
}
