/**
 * Creates the instance pools of functions and owns what they share: the pre-started spare
 * process of each built-in runtime, and the machine's instance budget.
 */
import { fileURLToPath } from "node:url";
import type { FunctionSpec } from "../model/index.js";
import type { InstanceBudget } from "../processes/index.js";
import { startChannelInstance } from "./channel/channel-instance.js";
import { SpareProcesses } from "./channel/spare-processes.js";
import type { InstanceStarter } from "./function-instance.js";
import type { FunctionLogSink } from "./function-logs.js";
import { InstancePool } from "./instance-pool.js";
import { lambdaEnvironment } from "./lambda-environment.js";
import { MemoryWatch } from "./memory-watch.js";
import { PythonInterpreter, pythonBootstrapPath } from "./python-interpreter.js";
import { startRuntimeApiInstance } from "./runtime-api/runtime-api-instance.js";

const nodeBootstrapPath = fileURLToPath(new URL("./runtimes/node/bootstrap.js", import.meta.url));

export class FunctionHost {
  readonly #logs: FunctionLogSink;
  readonly #budget: InstanceBudget;
  readonly #node = new SpareProcesses(async () => ({
    command: process.execPath,
    args: ["--enable-source-maps", nodeBootstrapPath],
  }));
  readonly #pythonInterpreter = new PythonInterpreter();
  readonly #memory = new MemoryWatch();
  readonly #python = new SpareProcesses(async () => ({
    command: await this.#pythonInterpreter.resolve(),
    // -B: no __pycache__ writes. A .pyc is trusted by size and whole-second mtime, so a quick edit of
    // the same length would otherwise run stale code after a reload.
    args: ["-u", "-B", pythonBootstrapPath],
  }));

  constructor(logs: FunctionLogSink, budget: InstanceBudget) {
    this.#logs = logs;
    this.#budget = budget;
  }

  createPool(fn: FunctionSpec): InstancePool {
    return new InstancePool(fn, this.#starter(fn), this.#logs, this.#budget, this.#memory);
  }

  /** Stops the spare processes; pools are closed by their owners. */
  close(): void {
    this.#node.close();
    this.#python.close();
  }

  #starter(fn: FunctionSpec): InstanceStarter {
    switch (fn.runtime) {
      case "nodejs": {
        this.#node.warm();
        const env = () => lambdaEnvironment(fn, nodeBootstrapPath);
        return (onLog, signal) => startChannelInstance(this.#node, fn, env(), onLog, signal);
      }
      case "python3": {
        this.#python.warm();
        const env = () => lambdaEnvironment(fn, pythonBootstrapPath);
        return (onLog, signal) => startChannelInstance(this.#python, fn, env(), onLog, signal);
      }
      case "provided":
        return (onLog, signal) =>
          startRuntimeApiInstance(fn, lambdaEnvironment(fn, fn.codeDir), onLog, signal);
    }
  }
}
