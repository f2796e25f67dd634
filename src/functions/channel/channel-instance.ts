/** A function instance of a built-in runtime, driven over its frame channel. */
import { performance } from "node:perf_hooks";
import type { FunctionSpec } from "../../model/index.js";
import {
  type FunctionInstance,
  type InstanceStart,
  type InvocationInterrupted,
  ProcessExitedError,
  type ProcessExitInfo,
  RuntimeProtocolError,
  STOP_GRACE_MS,
} from "../function-instance.js";
import type { InstanceReply, Invocation } from "../invocation.js";
import { startupVariables } from "../lambda-environment.js";
import { responseTooLarge } from "../lambda-errors.js";
import { type ChannelProcess, describeFrame } from "./channel-process.js";
import type { Frame } from "./frame-codec.js";
import type { SpareProcesses } from "./spare-processes.js";

export class ChannelInstance implements FunctionInstance {
  readonly #process: ChannelProcess;

  constructor(process: ChannelProcess) {
    this.#process = process;
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  get isUsable(): boolean {
    return this.#process.isUsable;
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
        ...(invocation.tenantId === undefined ? {} : { tenantId: invocation.tenantId }),
        cognitoIdentity: invocation.cognitoIdentity ?? null,
      },
      invocation.payload,
    );
    return this.#reply(await this.#process.nextFrame(), invocation.requestId);
  }

  /** The reply in `frame`; any other frame breaks the protocol and ends the instance. */
  #reply(frame: Frame, requestId: string): InstanceReply {
    const { header, body } = frame;
    const isReply = header.type === "response" || header.type === "error";
    if (!isReply || header.requestId !== requestId) {
      const which = isReply ? ` for request ${String(header.requestId)}` : "";
      throw this.#process.violate(
        `the runtime sent ${describeFrame(frame)}${which} while request ${requestId} was in flight`,
      );
    }
    const maxRssKb = typeof header.maxRssKb === "number" ? header.maxRssKb : undefined;
    // The body was skipped, not read: the instance is fine and stays warm, as in Lambda.
    if (frame.oversizedBodyBytes !== undefined) return { ...responseTooLarge(), maxRssKb };
    if (header.type === "response") return { type: "success", payload: body, maxRssKb };
    const errorType = typeof header.errorType === "string" ? header.errorType : "Runtime.Unknown";
    return { type: "error", errorType, payload: body, maxRssKb };
  }

  interrupt(interruption: InvocationInterrupted): void {
    this.#process.interrupt(interruption);
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
 * Turns a spare runtime process into an instance of `fn` by loading its handler; a function with
 * variables its runtime reads only as it starts gets a process started with them instead. Aborting
 * `signal` kills the process (the init phase ran out of time, or the pool is going away). With `fresh`,
 * every instance gets a process of its own (the spare's flags, fixed when it started, do not fit).
 */
export async function startChannelInstance(
  spares: SpareProcesses,
  fn: FunctionSpec,
  env: Record<string, string>,
  onLog: (text: string) => void,
  signal: AbortSignal,
  fresh = false,
): Promise<InstanceStart> {
  const startup = startupVariables(fn);
  const ownProcess = fresh || Object.keys(startup).length > 0;
  const spawnedAt = performance.now();
  let process: ChannelProcess;
  try {
    process = ownProcess ? await spares.startWith(startup, onLog, signal) : await spares.take();
  } catch (error) {
    if (error instanceof ProcessExitedError) return exitFailure(error.exit, performance.now() - spawnedAt);
    throw error;
  }
  process.onLog = onLog;
  // Its own process's start-up is part of this cold start; a spare's happened ahead of it.
  const startedAt = ownProcess ? spawnedAt : performance.now();
  const abort = () => process.kill();
  if (signal.aborted) abort();
  else signal.addEventListener("abort", abort, { once: true });
  process.send({ type: "init", handler: fn.handler, taskRoot: fn.codeDir, env });
  try {
    const frame = await process.nextFrame();
    const initDurationMs = performance.now() - startedAt;
    const { header, body } = frame;
    if (header.type === "initialized") {
      return { ok: true, instance: new ChannelInstance(process), initDurationMs };
    }
    if (header.type !== "init-error") {
      throw process.violate(`the runtime sent ${describeFrame(frame)} while it was being initialised`);
    }
    process.kill();
    const errorType = typeof header.errorType === "string" ? header.errorType : "Runtime.Unknown";
    return { ok: false, errorType, payload: body, initDurationMs };
  } catch (error) {
    if (error instanceof RuntimeProtocolError) {
      onLog(`Error: ${error.message}\nRuntime.InvalidResponse\n`);
      return initFailure("Runtime.InvalidResponse", error.message, performance.now() - startedAt);
    }
    return exitFailure(await process.exited, performance.now() - startedAt);
  } finally {
    signal.removeEventListener("abort", abort);
  }
}

function exitFailure(exit: ProcessExitInfo, initDurationMs: number): InstanceStart {
  const how = exit.signal ? `signal: ${exit.signal}` : `exit status ${exit.code}`;
  return initFailure("Runtime.ExitError", `Runtime exited with error: ${how}`, initDurationMs);
}

function initFailure(errorType: string, errorMessage: string, initDurationMs: number): InstanceStart {
  const payload = Buffer.from(JSON.stringify({ errorType, errorMessage }));
  return { ok: false, errorType, payload, initDurationMs };
}
