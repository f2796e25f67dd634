/**
 * `_X_AMZN_TRACE_ID` is set on every invocation. Through the C library's setenv each new value stays in memory
 * for good, so both runtimes keep it out of there: each check sets as many values as a busy instance sees in
 * minutes, in a process of its own, and compares the memory it gained with what setenv makes it gain.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { describe, test } from "node:test";
import { PythonInterpreter, pythonBootstrapPath } from "../../../src/functions/python-interpreter.js";

const VALUES = 300_000;
/** What setenv keeps of 300,000 trace headers is about 45 MB; the view's own garbage is collected. */
const LEAK_MB = 30;
const HELD_MB = 20;
const traceEnvironmentModule = new URL(
  "../../../src/functions/runtimes/node/trace-environment.js",
  import.meta.url,
).href;

function runNode(script: string): string {
  // A young generation of 1 MB, so that the heap's own growth does not hide or mimic a leak.
  return execFileSync(process.execPath, ["--max-semi-space-size=1", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
}

const nodeSetValues = (set: string) => `
const before = process.memoryUsage().rss;
for (let i = 0; i < ${VALUES}; i++) ${set}(\`Root=1-67891233-abcdef012345678912345678;Parent=\${i.toString(16).padStart(16, "0")};Sampled=1\`);
console.log(JSON.stringify({ grewMb: (process.memoryUsage().rss - before) / 1e6, value: process.env._X_AMZN_TRACE_ID }));
`;

describe("the trace header in the Node.js runtime's environment", () => {
  test("setenv keeps every value (what the view avoids)", () => {
    const { grewMb } = JSON.parse(runNode(nodeSetValues("((v) => { process.env._X_AMZN_TRACE_ID = v; })")));
    assert.ok(grewMb > LEAK_MB, `grew ${grewMb} MB`);
  });

  test("the view holds one value at a time, seen by reads, keys and child processes", () => {
    const script = `
import { holdTraceIdInJavaScript, setTraceId } from ${JSON.stringify(traceEnvironmentModule)};
import { execFileSync } from "node:child_process";
holdTraceIdInJavaScript();
${nodeSetValues("setTraceId").replace("console.log(", "const result = (")}
const child = execFileSync("printenv", ["_X_AMZN_TRACE_ID"], { encoding: "utf8" }).trim();
const listed = Object.keys(process.env).includes("_X_AMZN_TRACE_ID");
process.env.PORTICO_TEST_NUMBER = 7;
const coerced = process.env.PORTICO_TEST_NUMBER;
setTraceId(undefined);
console.log(JSON.stringify({ ...JSON.parse(result), child, listed, coerced, gone: !("_X_AMZN_TRACE_ID" in process.env) }));
`;
    const result = JSON.parse(runNode(script));
    const last = `Root=1-67891233-abcdef012345678912345678;Parent=${(VALUES - 1).toString(16).padStart(16, "0")};Sampled=1`;
    assert.ok(result.grewMb < HELD_MB, `grew ${result.grewMb} MB`);
    assert.equal(result.value, last);
    assert.equal(result.child, last);
    assert.equal(result.listed, true);
    assert.equal(result.coerced, "7");
    assert.equal(result.gone, true);
  });
});

describe("the trace header in the Python runtime's environment", () => {
  const python = new PythonInterpreter();
  const runPython = async (setLine: string): Promise<{ grewMb: number; value: string; gone: boolean }> => {
    const script = `
import os, resource, sys
sys.path.insert(0, ${JSON.stringify(dirname(pythonBootstrapPath))})
import bootstrap
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for i in range(${VALUES}):
    value = "Root=1-67891233-abcdef012345678912345678;Parent=%016x;Sampled=1" % i
    ${setLine}
grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1e3
last = os.getenv("_X_AMZN_TRACE_ID")
bootstrap._set_trace_id(None)
import json
print(json.dumps({"grewMb": grew, "value": last, "gone": "_X_AMZN_TRACE_ID" not in os.environ}))
`;
    const command = await python.resolve();
    return JSON.parse(execFileSync(command, ["-c", script], { encoding: "utf8" }));
  };

  test("setenv keeps every value (what the bootstrap avoids)", async () => {
    const { grewMb } = await runPython('os.environ["_X_AMZN_TRACE_ID"] = value');
    assert.ok(grewMb > LEAK_MB, `grew ${grewMb} MB`);
  });

  test("the bootstrap sets os.environ alone", async () => {
    const result = await runPython("bootstrap._set_trace_id(value)");
    assert.ok(result.grewMb < HELD_MB, `grew ${result.grewMb} MB`);
    assert.equal(
      result.value,
      `Root=1-67891233-abcdef012345678912345678;Parent=${(VALUES - 1).toString(16).padStart(16, "0")};Sampled=1`,
    );
    assert.equal(result.gone, true);
  });
});
