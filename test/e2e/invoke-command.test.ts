/** End to end through `portico invoke`: one invocation, the result on stdout, Lambda's logs on stderr. */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fixturesDir } from "../helpers/paths.js";
import { runPortico } from "../helpers/portico-process.js";

const coreDir = join(fixturesDir, "projects", "core");
const invoke = (name: string, extra: string[] = [], options: { cwd?: string } = {}) =>
  runPortico(["invoke", name, "--dir", coreDir, ...extra], { timeoutMs: 15_000, ...options });

// biome-ignore lint/suspicious/noExplicitAny: results are loosely typed JSON; assertions check the shape.
type Json = Record<string, any>;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** The request id of the one invocation in `stderr`, after checking START, END and REPORT agree on it. */
function assertPlatformLines(stderr: string, fn: string): string {
  const start = stderr.match(new RegExp(`^\\[${fn}\\] START RequestId: (${UUID}) Version: \\$LATEST$`, "m"));
  assert.ok(start, `START line in:\n${stderr}`);
  const id = start[1] as string;
  assert.match(stderr, new RegExp(`^\\[${fn}\\] END RequestId: ${id}$`, "m"));
  assert.match(
    stderr,
    new RegExp(
      `^\\[${fn}\\] REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t`,
      "m",
    ),
  );
  return id;
}

describe("a successful invocation", () => {
  test("--event inline JSON: the result alone on stdout, START/END/REPORT and the function's logs on stderr", async () => {
    const event = { rawPath: "/inline", n: 1, nested: { list: [1, "two", null] } };
    const { code, stdout, stderr } = await invoke("echo", ["--event", JSON.stringify(event)]);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as Json;
    assert.equal(result.statusCode, 200);
    const body = JSON.parse(result.body) as Json;
    assert.deepEqual(body.event, event, "the event arrives exactly as given");
    assert.equal(body.context.functionName, "echo");
    assert.equal(body.env.GREETING, "hi");
    const id = assertPlatformLines(stderr, "echo");
    assert.equal(body.context.awsRequestId, id);
    assert.match(stderr, new RegExp(`^\\[echo\\] \\S+Z\\t${id}\\tINFO\\techo /inline$`, "m"));
    assert.equal(stdout.split("\n").length, 2, "stdout holds the result line alone, no logs");
  });

  test("--event @file reads the event from a file, relative to the working directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "portico-invoke-"));
    try {
      const event = { path: "/from-file", httpMethod: "GET" };
      await writeFile(join(dir, "event.json"), `${JSON.stringify(event, null, 2)}\n`);
      const { code, stdout, stderr } = await invoke("echo", ["--event", "@event.json"], { cwd: dir });
      assert.equal(code, 0, stderr);
      assert.deepEqual(JSON.parse(JSON.parse(stdout).body).event, event);
      assertPlatformLines(stderr, "echo");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("without --event the event is {}", async () => {
    const { code, stdout } = await invoke("echo");
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(JSON.parse(stdout).body).event, {});
  });

  test("a Python function's payload is printed verbatim, as its runtime serialised it", async () => {
    const { code, stdout, stderr } = await invoke("pyEcho", ["--event", '{"path": "/py"}']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^\{"statusCode": 200, "headers": /, "Python's json separators are kept");
    const body = JSON.parse(JSON.parse(stdout).body) as Json;
    assert.deepEqual(body.event, { path: "/py" });
    assert.equal(body.context.function_name, "pyEcho");
    assertPlatformLines(stderr, "pyEcho");
    assert.match(stderr, /^\[pyEcho\] python echo \/py$/m);
  });
});

describe("a failing invocation exits 1 and prints Lambda's error object", () => {
  test("Node.js: errorType, errorMessage and trace", async () => {
    const { code, stdout, stderr } = await invoke("fail");
    assert.equal(code, 1);
    const error = JSON.parse(stdout) as Json;
    assert.deepEqual(Object.keys(error), ["errorType", "errorMessage", "trace"]);
    assert.equal(error.errorType, "TypeError");
    assert.equal(error.errorMessage, "the item could not be read");
    assert.equal(error.trace[0], "TypeError: the item could not be read");
    assert.match(error.trace[1], /at fail \(.*fns\/faults\.mjs:\d+:\d+\)$/);
    const id = assertPlatformLines(stderr, "fail");
    assert.match(
      stderr,
      new RegExp(
        `^\\[fail\\] \\S+Z\\t${id}\\tERROR\\tInvoke Error \\t\\{"errorType":"TypeError","errorMessage":"the item could not be read","stack":\\[`,
        "m",
      ),
    );
    assert.match(stderr, /^portico: function fail failed with TypeError$/m);
  });

  test("Python: errorMessage, errorType, requestId and stackTrace", async () => {
    const { code, stdout, stderr } = await invoke("pyFail");
    assert.equal(code, 1);
    const error = JSON.parse(stdout) as Json;
    assert.deepEqual(Object.keys(error), ["errorMessage", "errorType", "requestId", "stackTrace"]);
    assert.equal(error.errorType, "ValueError");
    assert.equal(error.errorMessage, "python says no");
    assert.equal(error.requestId, assertPlatformLines(stderr, "pyFail"));
    assert.match(error.stackTrace.at(-1), /pyfns\/echo\.py", line \d+, in fail\n {4}raise ValueError/);
    assert.match(stderr, /^\[pyFail\] \[ERROR\] ValueError: python says no$/m);
  });

  test("a timeout: Sandbox.Timedout, the timed-out line and Status: timeout", async () => {
    const { code, stdout, stderr } = await invoke("slow");
    assert.equal(code, 1);
    const error = JSON.parse(stdout) as Json;
    const id = assertPlatformLines(stderr, "slow");
    assert.deepEqual(error, {
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${id} Error: Task timed out after 1.00 seconds`,
    });
    assert.match(stderr, new RegExp(`^\\[slow\\] \\S+Z ${id} Task timed out after 1\\.00 seconds$`, "m"));
    assert.match(stderr, new RegExp(`^\\[slow\\] REPORT RequestId: ${id}\\t.*\\tStatus: timeout`, "m"));
  });
});

describe("usage errors exit 1 with one clear line on stderr", () => {
  const assertOneLine = (stderr: string): string => {
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    return lines[0] as string;
  };

  test("an unknown function names the config file and the known functions", async () => {
    const { code, stdout, stderr } = await invoke("nope");
    assert.equal(code, 1);
    assert.equal(stdout, "");
    const line = assertOneLine(stderr);
    assert.match(line, /^portico: No function named 'nope' in \S*portico\.yaml \(functions: (.+)\)$/);
    const known = (line.match(/\(functions: (.+)\)$/)?.[1] ?? "").split(", ");
    for (const name of ["echo", "fail", "pyEcho", "custom", "slowIntegration"]) {
      assert.ok(known.includes(name), `${name} listed in: ${line}`);
    }
  });

  test("an --event that is not valid JSON", async () => {
    const { code, stdout, stderr } = await invoke("echo", ["--event", "{not json"]);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(assertOneLine(stderr), /^portico: --event is not valid JSON: /);
  });

  test("an --event @file that does not exist", async () => {
    const { code, stderr } = await invoke("echo", ["--event", "@/nonexistent/portico-event.json"]);
    assert.equal(code, 1);
    assert.match(
      assertOneLine(stderr),
      /^portico: cannot read event file \/nonexistent\/portico-event\.json: /,
    );
  });

  describe("a config error in the project", () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), "portico-invoke-config-"));
      await writeFile(join(dir, "index.mjs"), 'export const handler = async () => "hi";\n');
    });
    after(() => rm(dir, { recursive: true, force: true }));

    const run = async (yaml: string) => {
      await writeFile(join(dir, "portico.yaml"), yaml);
      return runPortico(["invoke", "hello", "--dir", dir], { timeoutMs: 15_000 });
    };

    test("a bad value names the file, the key and the reason", async () => {
      const { code, stdout, stderr } = await run(
        "functions:\n  hello:\n    runtime: nodejs20.x\n    handler: index.handler\n    timeout: 1000\n",
      );
      assert.equal(code, 1);
      assert.equal(stdout, "");
      assert.match(assertOneLine(stderr), /^portico: portico\.yaml: functions\.hello\.timeout: .*900/);
    });

    test("a misspelt key names the key and suggests the right one", async () => {
      const { code, stderr } = await run(
        "functions:\n  hello:\n    runtime: nodejs20.x\n    handler: index.handler\n    memroy: 256\n",
      );
      assert.equal(code, 1);
      assert.match(assertOneLine(stderr), /^portico: portico\.yaml: functions\.hello\.memroy: .*`memory`/);
    });

    test("the same project, once fixed, invokes", async () => {
      const { code, stdout } = await run(
        "functions:\n  hello:\n    runtime: nodejs20.x\n    handler: index.handler\n",
      );
      assert.equal(code, 0);
      assert.equal(stdout, '"hi"\n');
    });
  });
});
