/** A `provided` runtime instance: the user's `bootstrap` executable talking to its own Runtime API. */
import { type ChildProcess, spawn } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { FunctionSpec } from "../../model/index.js";
import {
  type FunctionInstance,
  type InstanceStart,
  ProcessExitedError,
  type ProcessExitInfo,
  type RuntimeProtocolError,
  STOP_GRACE_MS,
} from "../function-instance.js";
import type { InstanceReply, Invocation } from "../invocation.js";
import { RuntimeApiServer } from "./runtime-api-server.js";

/** Lambda's limit on the init phase of an on-demand instance. */
const INIT_TIMEOUT_MS = 10_000;

export class RuntimeApiInstance implements FunctionInstance {
  readonly #child: ChildProcess;
  readonly #api: RuntimeApiServer;
  readonly exited: Promise<ProcessExitInfo>;
  #exit: ProcessExitInfo | undefined;
  #failInFlight: (error: Error) => void = () => {};
  /** Why the instance was killed for breaking the Runtime API protocol, if it was. */
  #violation: RuntimeProtocolError | undefined;

  constructor(child: ChildProcess, api: RuntimeApiServer, exited: Promise<ProcessExitInfo>) {
    this.#child = child;
    this.#api = api;
    this.exited = exited.then((exit) => {
      this.#exit = exit;
      api.close();
      // A runtime that dies while posting its reply drops the connection too: that is an exit, and
      // only a process that lived until our SIGKILL is reported as breaking the protocol.
      const violation = exit.signal === "SIGKILL" ? this.#violation : undefined;
      this.#failInFlight(violation ?? new ProcessExitedError(exit));
      return exit;
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  invoke(invocation: Invocation): Promise<InstanceReply> {
    if (this.#exit) return Promise.reject(new ProcessExitedError(this.#exit));
    // One exit listener for the instance's life, not one per invocation: racing each invocation
    // against `exited` would pile reactions onto a promise that stays pending for hours.
    return new Promise((resolve, reject) => {
      this.#failInFlight = reject;
      this.#api.invoke(invocation).then(resolve, (violation: RuntimeProtocolError) => {
        // Settled once the process is gone, as a violation or as the exit that caused it.
        this.#violation ??= violation;
        this.kill();
      });
    });
  }

  stop(): void {
    if (this.#exit) return;
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.kill(), STOP_GRACE_MS);
    timer.unref();
    void this.exited.then(() => clearTimeout(timer));
  }

  kill(): void {
    if (!this.#exit) this.#child.kill("SIGKILL");
  }
}

export async function startRuntimeApiInstance(
  fn: FunctionSpec,
  env: Record<string, string>,
  onLog: (text: string) => void,
): Promise<InstanceStart> {
  const startedAt = performance.now();
  const elapsed = () => performance.now() - startedAt;
  const bootstrap = join(fn.codeDir, "bootstrap");
  try {
    await access(bootstrap, constants.X_OK);
  } catch {
    return initFailure(
      "Runtime.InvalidEntrypoint",
      `Couldn't find valid bootstrap(s): [${bootstrap}] (it must exist and be executable: chmod +x bootstrap)`,
      elapsed(),
    );
  }

  const api = new RuntimeApiServer();
  const address = await api.listen();
  const child = spawn(bootstrap, [], {
    cwd: fn.codeDir,
    env: { ...env, AWS_LAMBDA_RUNTIME_API: address },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => onLog(chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => onLog(chunk.toString("utf8")));
  const exited = new Promise<ProcessExitInfo>((resolve) => {
    child.once("error", (error) => {
      onLog(`${error.message}\n`);
      resolve({ code: null, signal: null });
    });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

  let timer: NodeJS.Timeout | undefined;
  const init = await Promise.race([
    api.initialized,
    exited.then((exit) => ({ exit })),
    new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), INIT_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);

  if (init !== "timeout" && "ok" in init && init.ok) {
    return { ok: true, instance: new RuntimeApiInstance(child, api, exited), initDurationMs: elapsed() };
  }
  child.kill("SIGKILL");
  api.close();
  if (init === "timeout")
    return initFailure("Sandbox.Timedout", "The init phase exceeded 10 seconds", elapsed());
  if ("exit" in init) {
    const how = init.exit.signal ? `signal: ${init.exit.signal}` : `exit status ${init.exit.code}`;
    return initFailure("Runtime.ExitError", `Runtime exited with error: ${how}`, elapsed());
  }
  return { ok: false, errorType: init.errorType, payload: init.payload, initDurationMs: elapsed() };
}

function initFailure(errorType: string, errorMessage: string, initDurationMs: number): InstanceStart {
  return {
    ok: false,
    errorType,
    payload: Buffer.from(JSON.stringify({ errorType, errorMessage })),
    initDurationMs,
  };
}
