/** A function instance whose replies a test scripts, for the pool's rules without real processes. */
import {
  type FunctionInstance,
  type InvocationInterrupted,
  ProcessExitedError,
  type ProcessExitInfo,
} from "../../src/functions/function-instance.js";
import type { InstanceReply, Invocation } from "../../src/functions/invocation.js";

/** Each invocation is answered at once (`autoReply`), or waits for the test to call a `pending` reply. */
export class ScriptedInstance implements FunctionInstance {
  static count = 0;
  readonly id = ++ScriptedInstance.count;
  readonly pid = undefined;
  pending: Array<(reply: InstanceReply) => void> = [];
  #failPending: Array<(error: Error) => void> = [];
  #exit!: (info: ProcessExitInfo) => void;
  readonly exited = new Promise<ProcessExitInfo>((resolve) => {
    this.#exit = resolve;
  });
  isUsable = true;
  constructor(readonly autoReply: boolean) {}

  invoke(invocation: Invocation): Promise<InstanceReply> {
    if (this.autoReply)
      return Promise.resolve({ type: "success", payload: Buffer.from(`${this.id}:${invocation.payload}`) });
    return new Promise((resolve, reject) => {
      this.pending.push(resolve);
      this.#failPending.push(reject);
    });
  }

  interrupt(interruption: InvocationInterrupted): void {
    this.pending = [];
    for (const fail of this.#failPending.splice(0)) fail(interruption);
  }

  stop(): void {
    this.isUsable = false;
    this.#exit({ code: 0, signal: null });
  }

  kill(): void {
    this.isUsable = false;
    this.#exit({ code: null, signal: "SIGKILL" });
  }

  /** The process exits on its own, as a real one would: `exited` settles, an invocation in flight fails. */
  crash(code: number): void {
    const exit = { code, signal: null };
    this.isUsable = false;
    this.#exit(exit);
    for (const fail of this.#failPending.splice(0)) fail(new ProcessExitedError(exit));
  }
}
