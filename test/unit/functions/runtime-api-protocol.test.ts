/**
 * A real `provided` bootstrap that breaks the Runtime API, through the function pool: what the
 * invocation reports, what the log says, and whether the instance is kept or replaced.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { FunctionHost, type InvocationOutcome } from "../../../src/functions/index.js";
import type { FunctionSpec } from "../../../src/model/index.js";
import { InstanceBudget } from "../../../src/processes/index.js";
import { LogCollector } from "../../helpers/log-collector.js";
import { fixturesDir } from "../../helpers/paths.js";
import { isAlive, waitForExit } from "../../helpers/process-exit.js";

const logs = new LogCollector();
const host = new FunctionHost(logs.sink, new InstanceBudget(10));
const fn: FunctionSpec = {
  name: "custom",
  runtime: "provided",
  runtimeId: "provided.al2023",
  handler: "violations.handler",
  codeDir: join(fixturesDir, "projects", "instance-protocol", "provided"),
  timeoutSeconds: 10,
  memoryMb: 512,
  environment: {},
  concurrency: 2,
  idleTimeoutSeconds: 300,
};
const pool = host.createPool(fn);
after(() => {
  pool.destroy();
  host.close();
});

function pidOf(outcome: InvocationOutcome): number {
  assert.equal(outcome.type, "success", outcome.payload.toString());
  return (JSON.parse(JSON.parse(outcome.payload.toString()).body) as { pid: number }).pid;
}

function errorOf(outcome: InvocationOutcome): { errorType: string; errorMessage: string } {
  assert.equal(outcome.type, "error", outcome.payload.toString());
  return JSON.parse(outcome.payload.toString());
}

describe("a provided runtime through the pool", { timeout: 60_000 }, () => {
  test("dying while posting its response is Runtime.ExitError; the next invocation gets a new instance", async () => {
    const before = pidOf(await pool.invoke("{}"));
    const mark = logs.text.length;
    const error = errorOf(await pool.invoke('{"mode":"dies-mid-post"}'));
    assert.equal(error.errorType, "Runtime.ExitError");
    assert.match(error.errorMessage, /Runtime exited with error: exit status 1$/);
    assert.match(logs.text.slice(mark), /REPORT .*\tStatus: error\tError Type: Runtime\.ExitError\t/);
    await waitForExit(before, 5_000);
    assert.notEqual(pidOf(await pool.invoke("{}")), before);
  });

  test("hanging up mid-response and living on is Runtime.InvalidResponse; the instance is killed", async () => {
    const before = pidOf(await pool.invoke("{}"));
    const mark = logs.text.length;
    const error = errorOf(await pool.invoke('{"mode":"abort-mid-post"}'));
    assert.equal(error.errorType, "Runtime.InvalidResponse");
    assert.match(
      error.errorMessage,
      /^RequestId: \S+ Error: the runtime's connection closed before its response for request \S+ was complete$/,
    );
    assert.match(logs.text.slice(mark), /REPORT .*\tStatus: error\tError Type: Runtime\.InvalidResponse\t/);
    await waitForExit(before, 5_000);
    assert.notEqual(pidOf(await pool.invoke("{}")), before);
  });

  test("a response over 6 MB is Function.ResponseSizeTooLarge; the runtime got 413 and serves on", async () => {
    const before = pidOf(await pool.invoke("{}"));
    const mark = logs.text.length;
    const error = errorOf(await pool.invoke('{"mode":"too-large"}'));
    assert.equal(error.errorType, "Function.ResponseSizeTooLarge");
    assert.equal(pidOf(await pool.invoke("{}")), before);
    assert.ok(isAlive(before));
    await logs.waitFor(/a 7 MB response was answered 413 .*"errorType":"RequestEntityTooLarge"/, mark);
  });

  test("replies out of turn are answered with Lambda's errors and change nothing else", async () => {
    const mark = logs.text.length;
    pidOf(await pool.invoke('{"mode":"twice"}'));
    pidOf(await pool.invoke('{"mode":"wrong-id"}'));
    await logs.waitFor(/a second response was answered 403 .*"errorType":"InvalidStateTransition"/, mark);
    await logs.waitFor(
      /a response for another request was answered 400 .*"errorType":"InvalidRequestID"/,
      mark,
    );
  });
});
