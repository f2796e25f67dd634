/**
 * The Node.js runtime's context reads the function's name, version, memory and log names from the environment
 * on each invocation, as AWS's runtime does, though it keeps what it read until the environment changes: a
 * handler that changes a variable, or replaces `process.env`, sees the change in its next context.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";

const moduleUrl = (name: string) =>
  new URL(`../../../src/functions/runtimes/node/${name}.js`, import.meta.url).href;

test("each context sees the environment as it stands, however it was changed", () => {
  const script = `
import { holdTraceIdInJavaScript } from ${JSON.stringify(moduleUrl("trace-environment"))};
import { createContext } from ${JSON.stringify(moduleUrl("context"))};
holdTraceIdInJavaScript();
const header = { type: "invoke", requestId: "r", deadlineMs: 0, invokedFunctionArn: "arn" };
const seen = [];
const read = () => {
  const c = createContext(header, () => {});
  seen.push([c.functionName, c.functionVersion, c.memoryLimitInMB, c.logGroupName, c.logStreamName].join("|"));
};
Object.assign(process.env, {
  AWS_LAMBDA_FUNCTION_NAME: "f",
  AWS_LAMBDA_FUNCTION_VERSION: "7",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
  AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/f",
  AWS_LAMBDA_LOG_STREAM_NAME: "s",
});
read();
read();
process.env.AWS_LAMBDA_FUNCTION_NAME = "renamed";
read();
delete process.env.AWS_LAMBDA_LOG_STREAM_NAME;
read();
Object.defineProperty(process.env, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", { value: "512", enumerable: true, configurable: true, writable: true });
read();
process.env._X_AMZN_TRACE_ID = "Root=1-00000000-000000000000000000000000";
read();
process.env = { AWS_LAMBDA_FUNCTION_NAME: "replaced" };
read();
console.log(JSON.stringify(seen));
`;
  const seen = JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }),
  );
  assert.deepEqual(seen, [
    "f|7|256|/aws/lambda/f|s",
    "f|7|256|/aws/lambda/f|s",
    "renamed|7|256|/aws/lambda/f|s",
    "renamed|7|256|/aws/lambda/f|",
    "renamed|7|512|/aws/lambda/f|",
    "renamed|7|512|/aws/lambda/f|",
    "replaced|$LATEST|||",
  ]);
});
