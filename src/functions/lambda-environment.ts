/**
 * Everything a function's process sees, as Lambda gives it: the toolchain's PATH, HOME and LANG, the
 * function's own variables, then Lambda's reserved ones. Nothing else of Portico's environment.
 */
import { randomBytes } from "node:crypto";
import { AWS_REGION, type FunctionSpec, toolchainEnvironment } from "../model/index.js";

export function lambdaEnvironment(fn: FunctionSpec, runtimeDir: string): Record<string, string> {
  const env: Record<string, string> = {
    // Lambda sets its own PATH and LANG too, but lets a function's variables replace them.
    ...toolchainEnvironment(),
    ...fn.environment,
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
  return env;
}

/** `2024/01/28/[$LATEST]e3c5df2a83b9470b8737aa2613c47db6`: one stream per instance, as in Lambda. */
function logStreamName(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[$LATEST]${randomBytes(16).toString("hex")}`;
}
