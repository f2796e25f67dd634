/** A function instance of a built-in runtime, driven over its frame channel. */
import { performance } from "node:perf_hooks";
import type { FunctionSpec } from "../../model/index.js";
import { type FunctionInstance, type InstanceStart, STOP_GRACE_MS } from "../function-instance.js";
import type { InstanceReply, Invocation } from "../invocation.js";
import type { ChannelProcess } from "./channel-process.js";
import type { SpareProcesses } from "./spare-processes.js";

export class ChannelInstance implements FunctionInstance {
  readonly #process: ChannelProcess;

  constructor(process: ChannelProcess) {
    this.#process = process;
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  get exited() {
    return this.#process.exited;
  }

  async invoke(invocation: Invocation): Promise<InstanceReply> {
    this.#process.send(
      {
        type: "invoke",
        requestId: invocation.requestId,
        deadlineMs: invocation.deadlineMs,
        invokedFunctionArn: invocation.invokedFunctionArn,
        traceId: invocation.traceId,
        clientContext: invocation.clientContext ?? null,
        cognitoIdentity: invocation.cognitoIdentity ?? null,
      },
      invocation.payload,
    );
    const { header, body } = await this.#process.nextFrame();
    const maxRssKb = typeof header.maxRssKb === "number" ? header.maxRssKb : undefined;
    if (header.type === "response") return { type: "success", payload: body, maxRssKb };
    if (header.type === "error") {
      return {
        type: "error",
        errorType: String(header.errorType ?? "Runtime.Unknown"),
        payload: body,
        maxRssKb,
      };
    }
    this.kill();
    return unexpectedFrame(String(header.type));
  }

  stop(): void {
    this.#process.close();
    const timer = setTimeout(() => this.#process.kill(), STOP_GRACE_MS);
    timer.unref();
    void this.#process.exited.then(() => clearTimeout(timer));
  }

  kill(): void {
    this.#process.kill();
  }
}

/**
 * Turns a spare runtime process into an instance of `fn` by loading its handler. Aborting `signal`
 * kills the process (the init phase ran out of time, or the pool is going away).
 */
export async function startChannelInstance(
  spares: SpareProcesses,
  fn: FunctionSpec,
  env: Record<string, string>,
  onLog: (text: string) => void,
  signal: AbortSignal,
): Promise<InstanceStart> {
  const process = await spares.take();
  process.onLog = onLog;
  const startedAt = performance.now();
  const abort = () => process.kill();
  if (signal.aborted) abort();
  else signal.addEventListener("abort", abort, { once: true });
  process.send({ type: "init", handler: fn.handler, taskRoot: fn.codeDir, env });
  try {
    const { header, body } = await process.nextFrame();
    const initDurationMs = performance.now() - startedAt;
    if (header.type === "initialized") {
      return { ok: true, instance: new ChannelInstance(process), initDurationMs };
    }
    process.kill();
    const errorType = String(header.errorType ?? "Runtime.Unknown");
    return { ok: false, errorType, payload: body, initDurationMs };
  } catch {
    const exit = await process.exited;
    const initDurationMs = performance.now() - startedAt;
    const errorMessage = `Runtime exited with error: ${exit.signal ? `signal: ${exit.signal}` : `exit status ${exit.code}`}`;
    const payload = Buffer.from(JSON.stringify({ errorType: "Runtime.ExitError", errorMessage }));
    return { ok: false, errorType: "Runtime.ExitError", payload, initDurationMs };
  } finally {
    signal.removeEventListener("abort", abort);
  }
}

function unexpectedFrame(type: string): InstanceReply {
  const errorMessage = `runtime sent an unexpected '${type}' message`;
  return {
    type: "error",
    errorType: "Runtime.InvalidResponse",
    payload: Buffer.from(JSON.stringify({ errorType: "Runtime.InvalidResponse", errorMessage })),
  };
}
