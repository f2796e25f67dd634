/**
 * Everything a function's process sees, as Lambda gives it: the toolchain's PATH, HOME, LANG, TMPDIR, the
 * function's own variables, then Lambda's reserved ones. Nothing else of Portico's environment.
 */
import { randomBytes } from "node:crypto";
import { AWS_REGION, type FunctionSpec, toolchainEnvironment } from "../model/index.js";
import { layerSearchPaths } from "./layer-paths.js";

export function lambdaEnvironment(fn: FunctionSpec, runtimeDir: string): Record<string, string> {
  const env: Record<string, string> = {
    // Lambda sets its own PATH and LANG too, but lets a function's variables replace them.
    ...toolchainEnvironment(),
    ...fn.environment,
    ...layerSearchPaths(fn),
    _HANDLER: fn.handler,
    AWS_REGION,
    AWS_DEFAULT_REGION: AWS_REGION,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(new Date()),
    LAMBDA_TASK_ROOT: fn.codeDir,
    LAMBDA_RUNTIME_DIR: runtimeDir,
    TZ: ":UTC",
  };
  if (fn.runtime !== "provided") env.AWS_EXECUTION_ENV = `AWS_Lambda_${fn.runtimeId}`;
  // The runtimes read these to write JSON records and to leave out those below the level.
  if (fn.logging?.format === "JSON") {
    env.AWS_LAMBDA_LOG_FORMAT = "JSON";
    env.AWS_LAMBDA_LOG_LEVEL = fn.logging.applicationLevel;
  }
  return env;
}

/** Node.js reads these only as it starts (NODE_EXTRA_CA_CERTS: "changing the value at runtime has no effect"). */
const NODE_STARTUP_VARIABLES = new Set(["NODE_OPTIONS", "NODE_EXTRA_CA_CERTS", "NODE_PATH", "NODE_ICU_DATA"]);
/** Python reads its PYTHON* variables as it starts; the bootstrap applies these two itself at init. */
const PYTHON_APPLIED_AT_INIT = new Set(["PYTHONPATH", "PYTHONDONTWRITEBYTECODE"]);

/**
 * The function's own variables that its runtime reads only as its process starts: a pre-started
 * process would ignore them, so an instance of a function that sets any starts a process with them.
 */
export function startupVariables(fn: FunctionSpec): Record<string, string> {
  const readAtStart = (name: string) =>
    fn.runtime === "nodejs"
      ? NODE_STARTUP_VARIABLES.has(name)
      : fn.runtime === "python3" && name.startsWith("PYTHON") && !PYTHON_APPLIED_AT_INIT.has(name);
  return Object.fromEntries(Object.entries(fn.environment).filter(([name]) => readAtStart(name)));
}

/** `2024/01/28/[$LATEST]e3c5df2a83b9470b8737aa2613c47db6`: one stream per instance, as in Lambda. */
function logStreamName(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[$LATEST]${randomBytes(16).toString("hex")}`;
}
