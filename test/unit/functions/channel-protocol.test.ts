/**
 * Protocol violations on the built-in runtimes' channel, with real processes: a bare process driven
 * through ChannelProcess, and real nodejs/python3 functions through the function pool. A violation
 * ends that one instance with Runtime.InvalidResponse; the next invocation gets a fresh instance.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ChannelProcess } from "../../../src/functions/channel/channel-process.js";
import { InvocationInterrupted, RuntimeProtocolError } from "../../../src/functions/function-instance.js";
import { FunctionHost, type InvocationOutcome } from "../../../src/functions/index.js";
import type { FunctionSpec } from "../../../src/model/index.js";
import { InstanceBudget } from "../../../src/processes/index.js";
import { LogCollector } from "../../helpers/log-collector.js";
import { fixturesDir } from "../../helpers/paths.js";
import { isAlive, waitForExit } from "../../helpers/process-exit.js";

const codeDir = join(fixturesDir, "projects", "instance-protocol");

const logs = new LogCollector();
const host = new FunctionHost(logs.sink, new InstanceBudget(10));
after(() => host.close());

function spec(name: string, runtime: "nodejs" | "python3", handler: string): FunctionSpec {
  return {
    name,
    runtime,
    runtimeId: runtime === "nodejs" ? "nodejs20.x" : "python3.12",
    handler,
    codeDir,
    timeoutSeconds: 10,
    memoryMb: 512,
    environment: {},
    concurrency: 2,
    idleTimeoutSeconds: 300,
  };
}

const nodePool = host.createPool(spec("node", "nodejs", "fns/violations.handler"));
const pythonPool = host.createPool(spec("python", "python3", "pyfns/violations.handler"));
after(() => {
  nodePool.destroy();
  pythonPool.destroy();
});

function pidOf(outcome: InvocationOutcome): number {
  assert.equal(outcome.type, "success", outcome.payload.toString());
  return (JSON.parse(JSON.parse(outcome.payload.toString()).body) as { pid: number }).pid;
}

function errorOf(outcome: InvocationOutcome): { errorType: string; errorMessage: string } {
  assert.equal(outcome.type, "error");
  const payload = JSON.parse(outcome.payload.toString()) as { errorType: string; errorMessage: string };
  assert.equal(payload.errorType, outcome.type === "error" ? outcome.errorType : "");
  return payload;
}

/** How many times `char` occurs in runs of it (the long line, however it was cut into frames). */
function charactersInRuns(text: string, char: string): number {
  let total = 0;
  let run = 0;
  for (const c of `${text}.`) {
    if (c === char) run++;
    else {
      if (run >= 100) total += run;
      run = 0;
    }
  }
  return total;
}

describe("a bare process on the channel", () => {
  /** A node process with fd 3 as its channel, running `script`. */
  function channelProcess(script: string): ChannelProcess {
    return new ChannelProcess(process.execPath, ["-e", script], { env: {} });
  }

  test("bytes that are not a frame: the waiter gets RuntimeProtocolError and the process is killed", async () => {
    const child = channelProcess(`require("fs").writeSync(3, "not a frame"); setTimeout(() => {}, 30000);`);
    await assert.rejects(child.nextFrame(), (error: unknown) => {
      assert.ok(error instanceof RuntimeProtocolError);
      assert.match(error.message, /not a valid frame: its header length \d+ is over the 65536-byte limit/);
      return true;
    });
    assert.equal(child.isUsable, false);
    assert.deepEqual(await child.exited, { code: null, signal: "SIGKILL" });
    await assert.rejects(child.nextFrame(), RuntimeProtocolError);
  });

  test("a frame nobody asked for is a violation, reported in the log", async () => {
    const frame = `Buffer.concat([Buffer.from([0,0,0,17,0,0,0,0]), Buffer.from('{"type":"ready"}!')])`;
    const child = channelProcess(`require("fs").writeSync(3, ${frame}); setTimeout(() => {}, 30000);`);
    let logged = "";
    child.onLog = (text) => {
      logged += text;
    };
    assert.deepEqual(await child.exited, { code: null, signal: "SIGKILL" });
    assert.match(
      logged,
      /^Error: the runtime wrote bytes to fd 3 that are not a valid frame: its header is not JSON/,
    );
  });

  test("after a limit interrupts the wait, a late reply is dropped quietly and its log still comes through", async () => {
    // A log frame, then a response frame, 200 ms after start: later than the interrupt below.
    const frame = (header: string, body: string) =>
      `Buffer.concat([Buffer.from([0,0,0,${header.length},0,0,0,${body.length}]), Buffer.from(${JSON.stringify(header + body)})])`;
    const child = channelProcess(
      `setTimeout(() => { require("fs").writeSync(3, ${frame('{"type":"log"}', "late line\n")}); require("fs").writeSync(3, ${frame('{"type":"response","requestId":"r1"}', "{}")}); }, 200); setTimeout(() => {}, 30000);`,
    );
    let logged = "";
    const lateLine = new Promise<void>((resolve) => {
      child.onLog = (text) => {
        logged += text;
        if (logged.includes("late line")) resolve();
      };
    });
    const waiting = child.nextFrame();
    const limit = new InvocationInterrupted("timeout");
    child.interrupt(limit);
    await assert.rejects(waiting, (error: unknown) => error === limit);
    assert.equal(child.isUsable, false);
    // The response frame came in the same read as the log line, so it has been handled by now.
    await lateLine;
    assert.equal(logged, "late line\n", "no violation reported for the late reply");
    child.kill();
    await child.exited;
  });

  test("a process that exits mid-frame rejects the waiter with ProcessExitedError", async () => {
    const child = channelProcess(
      `require("fs").writeSync(3, Buffer.from([0,0,0,2,0,0,0,9,123])); process.exit(5);`,
    );
    await assert.rejects(child.nextFrame(), /runtime process exited \(code 5/);
  });
});

describe("nodejs functions through the pool", () => {
  const violations: Array<[string, RegExp]> = [
    ["garbage", /not a valid frame: its header length 1952999795 is over the 65536-byte limit/],
    ["bad-header", /not a valid frame: its header is not JSON/],
    ["array-header", /not a valid frame: its header is JSON but not an object/],
    ["oversized-header", /not a valid frame: its header length 4294967295 is over the 65536-byte limit/],
    ["oversized-log", /a log frame of 100000000 bytes, over the 6291556-byte limit/],
    ["unknown-type", /sent a 'surprise' frame while request \S+ was in flight/],
    ["wrong-request-id", /sent a 'response' frame for request not-this-one while request \S+ was in flight/],
  ];
  for (const [mode, reason] of violations) {
    test(`${mode}: Runtime.InvalidResponse, the instance is killed and replaced`, async () => {
      const before = pidOf(await nodePool.invoke("{}"));
      const mark = logs.text.length;
      const error = errorOf(await nodePool.invoke(JSON.stringify({ mode })));
      assert.equal(error.errorType, "Runtime.InvalidResponse");
      assert.match(error.errorMessage, /^RequestId: [0-9a-f-]{36} Error: the runtime /);
      assert.match(error.errorMessage, reason);
      await logs.waitFor(/REPORT RequestId: .*\tStatus: error\tError Type: Runtime\.InvalidResponse\t/, mark);
      assert.match(logs.text.slice(mark), /RequestId: \S+ Error: the runtime .*\nRuntime\.InvalidResponse\n/);
      await waitForExit(before, 5_000);
      assert.notEqual(pidOf(await nodePool.invoke("{}")), before);
    });
  }

  test("a process that dies mid-frame is Runtime.ExitError", async () => {
    const error = errorOf(await nodePool.invoke('{"mode":"dies-mid-frame"}'));
    assert.equal(error.errorType, "Runtime.ExitError");
    assert.match(error.errorMessage, /Runtime exited with error: exit status 7$/);
  });

  test("a response over 6 MB is Function.ResponseSizeTooLarge and the instance stays", async () => {
    const before = pidOf(await nodePool.invoke("{}"));
    const error = errorOf(await nodePool.invoke('{"mode":"big-response"}'));
    assert.deepEqual(error, {
      errorType: "Function.ResponseSizeTooLarge",
      errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
    });
    assert.equal(pidOf(await nodePool.invoke("{}")), before);
  });

  test("garbage from an idle instance kills it; the next invocation starts another", async () => {
    const mark = logs.text.length;
    const idle = pidOf(await nodePool.invoke('{"mode":"garbage-when-idle"}'));
    await logs.waitFor(/Error: the runtime wrote bytes to fd 3 that are not a valid frame/, mark);
    await logs.waitFor(/Runtime exited unexpectedly while idle/, mark);
    assert.ok(!isAlive(idle));
    assert.notEqual(pidOf(await nodePool.invoke("{}")), idle);
  });

  test("garbage written while the handler's module loads fails init with Runtime.InvalidResponse", async () => {
    const pool = host.createPool(spec("initGarbage", "nodejs", "fns/init-garbage.handler"));
    try {
      const mark = logs.text.length;
      const error = errorOf(await pool.invoke("{}"));
      assert.equal(error.errorType, "Runtime.InvalidResponse");
      assert.match(error.errorMessage, /not a valid frame/);
      await logs.waitFor(/INIT_REPORT .*Status: error\tError Type: Runtime\.InvalidResponse/, mark);
    } finally {
      pool.destroy();
    }
  });

  test("a 7 MB console.log arrives whole, in frames under the limit", async () => {
    const mark = logs.text.length;
    pidOf(await nodePool.invoke('{"mode":"big-log"}'));
    assert.equal(charactersInRuns(logs.text.slice(mark), "y"), 7_000_000);
  });
});

describe("python3 functions through the pool", () => {
  test("garbage: Runtime.InvalidResponse, the instance is killed and replaced", async () => {
    const before = pidOf(await pythonPool.invoke("{}"));
    const error = errorOf(await pythonPool.invoke('{"mode":"garbage"}'));
    assert.equal(error.errorType, "Runtime.InvalidResponse");
    assert.match(error.errorMessage, /not a valid frame/);
    await waitForExit(before, 5_000);
    assert.notEqual(pidOf(await pythonPool.invoke("{}")), before);
  });

  test("a 7 MB print arrives whole, in frames under the limit", async () => {
    const mark = logs.text.length;
    pidOf(await pythonPool.invoke('{"mode":"big-print"}'));
    assert.equal(charactersInRuns(logs.text.slice(mark), "z"), 7_000_000);
  });
});
