/**
 * Creates the instance pools of functions and owns what they share: the pre-started spare
 * process of each built-in runtime, and the machine's instance budget. With a debug port, instances
 * start fresh under the runtime's debugger instead, one after another.
 */
import { fileURLToPath } from "node:url";
import type { FunctionSpec } from "../model/index.js";
import type { InstanceBudget } from "../processes/index.js";
import { startChannelInstance } from "./channel/channel-instance.js";
import { ExclusiveTurns } from "./channel/exclusive-turns.js";
import { type RuntimeCommand, SpareProcesses } from "./channel/spare-processes.js";
import {
  DEBUG_TIMEOUT_SECONDS,
  debuggedSpec,
  debugpyMissingNotice,
  hasDebugpy,
  nodeDebugArgs,
  pythonDebugArgs,
} from "./debug-port.js";
import type { InstanceStarter } from "./function-instance.js";
import type { FunctionLogSink } from "./function-logs.js";
import { InstancePool } from "./instance-pool.js";
import { lambdaEnvironment } from "./lambda-environment.js";
import { LimitWatch } from "./limit-watch.js";
import { PythonInterpreter, pythonBootstrapPath } from "./python-interpreter.js";
import { startRuntimeApiInstance } from "./runtime-api/runtime-api-instance.js";

const REVISION_TAG_LENGTH = 12;
const nodeBootstrapPath = fileURLToPath(new URL("./runtimes/node/bootstrap.js", import.meta.url));
const webAdapterPath = fileURLToPath(new URL("./runtimes/web-adapter/adapter.js", import.meta.url));

export interface FunctionHostOptions {
  /**
   * Instances of built-in runtimes listen for a debugger on 127.0.0.1 at this port and wait for it.
   * Give it with an instance budget of 1: only one process can own the port.
   */
  readonly debugPort?: number;
  /** One-line messages for the person running Portico. */
  readonly notice?: (message: string) => void;
}

export class FunctionHost {
  readonly #logs: FunctionLogSink;
  readonly #budget: InstanceBudget;
  readonly #debugPort: number | undefined;
  readonly #notice: (message: string) => void;
  readonly #pythonInterpreter = new PythonInterpreter();
  readonly #limits = new LimitWatch();
  readonly #node: SpareProcesses;
  readonly #python: SpareProcesses;
  #debugpyProbe: Promise<boolean> | undefined;

  constructor(logs: FunctionLogSink, budget: InstanceBudget, options: FunctionHostOptions = {}) {
    this.#logs = logs;
    this.#budget = budget;
    this.#debugPort = options.debugPort;
    this.#notice = options.notice ?? (() => {});
    // Debugged processes of both runtimes share the port: each starts once the one before has exited.
    const turns = this.#debugPort === undefined ? undefined : new ExclusiveTurns();
    this.#node = new SpareProcesses(async () => this.#nodeCommand(), turns);
    this.#python = new SpareProcesses(() => this.#pythonCommand(), turns);
  }

  /**
   * `revision` (the function version key) tags its log lines, by its first 12 digits: enough to tell a function's
   * versions apart, at a fifth of the bytes the whole key added to every line kept.
   */
  createPool(fn: FunctionSpec, revision?: string): InstancePool {
    const tag = revision?.slice(0, REVISION_TAG_LENGTH);
    if (this.#debugPort === undefined || fn.runtime === "provided") {
      return new InstancePool(fn, this.#starter(fn), this.#logs, this.#budget, this.#limits, {
        revision: tag,
      });
    }
    return new InstancePool(debuggedSpec(fn), this.#starter(fn), this.#logs, this.#budget, this.#limits, {
      revision: tag,
      initLimitMs: DEBUG_TIMEOUT_SECONDS * 1000,
      warmUp: false,
    });
  }

  /** Stops the spare processes; pools are closed by their owners. */
  close(): void {
    this.#node.close();
    this.#python.close();
  }

  #starter(fn: FunctionSpec): InstanceStarter {
    // A debugged instance gets a process started with the debugger's flags, never a spare.
    const fresh = this.#debugPort !== undefined;
    if (fn.webAdapter) {
      const program = { command: process.execPath, args: [webAdapterPath] };
      return (onLog, signal) =>
        startRuntimeApiInstance(fn, lambdaEnvironment(fn, fn.codeDir), onLog, signal, program);
    }
    switch (fn.runtime) {
      case "nodejs": {
        if (!fresh) this.#node.warm();
        const env = () => lambdaEnvironment(fn, nodeBootstrapPath);
        return (onLog, signal) => startChannelInstance(this.#node, fn, env(), onLog, signal, fresh);
      }
      case "python3": {
        if (!fresh) this.#python.warm();
        const env = () => lambdaEnvironment(fn, pythonBootstrapPath);
        return (onLog, signal) => startChannelInstance(this.#python, fn, env(), onLog, signal, fresh);
      }
      case "provided":
        return (onLog, signal) =>
          startRuntimeApiInstance(fn, lambdaEnvironment(fn, fn.codeDir), onLog, signal);
    }
  }

  #nodeCommand(): RuntimeCommand {
    const debug = this.#debugPort === undefined ? [] : nodeDebugArgs(this.#debugPort);
    return { command: process.execPath, args: ["--enable-source-maps", ...debug, nodeBootstrapPath] };
  }

  async #pythonCommand(): Promise<RuntimeCommand> {
    const command = await this.#pythonInterpreter.resolve();
    // -B: no __pycache__ writes. A .pyc is trusted by size and whole-second mtime, so a quick edit of
    // the same length would otherwise run stale code after a reload.
    const plain = ["-u", "-B"];
    if (this.#debugPort === undefined || !(await this.#debugpy(command))) {
      return { command, args: [...plain, pythonBootstrapPath] };
    }
    return { command, args: [...plain, ...pythonDebugArgs(this.#debugPort), pythonBootstrapPath] };
  }

  /** Whether `interpreter` has debugpy, asked once; when not, says so once. */
  #debugpy(interpreter: string): Promise<boolean> {
    this.#debugpyProbe ??= hasDebugpy(interpreter).then((available) => {
      if (!available) this.#notice(debugpyMissingNotice(interpreter));
      return available;
    });
    return this.#debugpyProbe;
  }
}
