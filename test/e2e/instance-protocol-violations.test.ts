/**
 * End to end through `portico dev`: function instances that break their protocol with Portico (bytes
 * that are not frames on fd 3, oversized frames, a `provided` runtime that dies or hangs up while
 * posting its response). Each gets AWS's 500, the function's log names Lambda's error type, the
 * instance is replaced, and Portico keeps serving everything else.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";
import { isAlive, waitForExit } from "../helpers/process-exit.js";

const projectDir = join(fixturesDir, "projects", "instance-protocol");
let portico: PorticoProcess;
let port: number;

before(async () => {
  ({ portico, port } = await startDev(projectDir));
});
after(() => portico.stop());

const get = (path: string) => send({ port, path, timeoutMs: 20_000 });

async function pidOf(path: string): Promise<number> {
  const response = await get(path);
  assert.equal(response.status, 200, response.text);
  return (response.json() as { pid: number }).pid;
}

/** Portico is up and another function still answers. */
async function assertStillServing(): Promise<void> {
  assert.equal(portico.child.exitCode, null, `portico exited:\n${portico.output}`);
  assert.equal((await get("/healthy")).status, 200);
}

/** The request gets AWS's answer to a function error, and the function's log names `errorType`. */
async function assertFunctionError(path: string, fn: string, errorType: string): Promise<void> {
  const mark = portico.output.length;
  const response = await get(path);
  assert.equal(response.status, 500);
  assert.deepEqual(response.json(), { message: "Internal Server Error" });
  await portico.waitFor(
    new RegExp(`\\[${fn}\\] REPORT .*Status: error\\tError Type: ${errorType.replace(".", "\\.")}`),
    {
      from: mark,
    },
  );
  await assertStillServing();
}

describe("nodejs code that writes to the channel on fd 3", () => {
  const invalid = [
    "garbage",
    "bad-header",
    "array-header",
    "oversized-header",
    "oversized-log",
    "unknown-type",
    "wrong-request-id",
  ];
  for (const mode of invalid) {
    test(`${mode}: Runtime.InvalidResponse, and the next invocation gets a new instance`, async () => {
      const before = await pidOf("/node");
      await assertFunctionError(`/node?mode=${mode}`, "node", "Runtime.InvalidResponse");
      await waitForExit(before, 5_000);
      assert.notEqual(await pidOf("/node"), before);
    });
  }

  test("the log says what was wrong with the bytes", async () => {
    const mark = portico.output.length;
    assert.equal((await get("/node?mode=bad-header")).status, 500);
    await portico.waitFor(
      /\[node\] RequestId: \S+ Error: the runtime wrote bytes to fd 3 that are not a valid frame: its header is not JSON/,
      { from: mark },
    );
  });

  test("a process that dies in the middle of a frame is Runtime.ExitError", async () => {
    await assertFunctionError("/node?mode=dies-mid-frame", "node", "Runtime.ExitError");
  });

  test("garbage while idle kills the instance; the next invocation starts a new one", async () => {
    const mark = portico.output.length;
    const idle = await pidOf("/node?mode=garbage-when-idle");
    await portico.waitFor(/\[node\] Error: the runtime wrote bytes to fd 3 that are not a valid frame/, {
      from: mark,
    });
    await waitForExit(idle, 5_000);
    assert.notEqual(await pidOf("/node"), idle);
  });

  test("garbage written while the module loads fails the init with Runtime.InvalidResponse", async () => {
    const mark = portico.output.length;
    const response = await get("/node-init-garbage");
    assert.equal(response.status, 500);
    assert.deepEqual(response.json(), { message: "Internal Server Error" });
    await portico.waitFor(
      /\[nodeInitGarbage\] INIT_REPORT .*Status: error\tError Type: Runtime\.InvalidResponse/,
      {
        from: mark,
      },
    );
    await assertStillServing();
  });

  test("a response over 6 MB is Function.ResponseSizeTooLarge and the instance stays warm", async () => {
    const before = await pidOf("/node");
    const response = await get("/node?mode=big-response");
    assert.equal(response.status, 500);
    assert.deepEqual(response.json(), { message: "Internal Server Error" });
    assert.equal(await pidOf("/node"), before);
    assert.ok(isAlive(before));
  });

  test("a 7 MB log line goes out in frames under the limit", async () => {
    const before = await pidOf("/node");
    assert.equal((await get("/node?mode=big-log")).status, 200);
    assert.equal(await pidOf("/node"), before);
  });
});

describe("python3 code that writes to the channel on fd 3", () => {
  test("garbage: Runtime.InvalidResponse, and the next invocation gets a new instance", async () => {
    const before = await pidOf("/python");
    await assertFunctionError("/python?mode=garbage", "python", "Runtime.InvalidResponse");
    await waitForExit(before, 5_000);
    assert.notEqual(await pidOf("/python"), before);
  });

  test("a 7 MB print goes out in frames under the limit", async () => {
    const before = await pidOf("/python");
    assert.equal((await get("/python?mode=big-print")).status, 200);
    assert.equal(await pidOf("/python"), before);
  });
});

describe("a provided runtime that breaks the Runtime API", () => {
  test("dying in the middle of posting its response is Runtime.ExitError", async () => {
    const before = await pidOf("/custom");
    await assertFunctionError("/custom?mode=dies-mid-post", "custom", "Runtime.ExitError");
    await waitForExit(before, 5_000);
    assert.notEqual(await pidOf("/custom"), before);
  });

  test("hanging up in the middle of its response, and living on, is Runtime.InvalidResponse", async () => {
    const before = await pidOf("/custom");
    await assertFunctionError("/custom?mode=abort-mid-post", "custom", "Runtime.InvalidResponse");
    await waitForExit(before, 5_000);
    assert.notEqual(await pidOf("/custom"), before);
  });

  test("a response over 6 MB is answered 413 RequestEntityTooLarge; the instance serves on", async () => {
    const before = await pidOf("/custom");
    const mark = portico.output.length;
    assert.equal((await get("/custom?mode=too-large")).status, 500);
    await portico.waitFor(
      /\[custom\] a 7 MB response was answered 413 .*"errorType":"RequestEntityTooLarge"/,
      {
        from: mark,
      },
    );
    assert.equal(await pidOf("/custom"), before);
  });

  test("a second response is 403 InvalidStateTransition; a wrong request id is 400 InvalidRequestID", async () => {
    const mark = portico.output.length;
    assert.equal((await get("/custom?mode=twice")).status, 200);
    await portico.waitFor(
      /\[custom\] a second response was answered 403 .*"errorType":"InvalidStateTransition"/,
      {
        from: mark,
      },
    );
    assert.equal((await get("/custom?mode=wrong-id")).status, 200);
    await portico.waitFor(
      /\[custom\] a response for another request was answered 400 .*"errorType":"InvalidRequestID"/,
      {
        from: mark,
      },
    );
    await assertStillServing();
  });
});

test("portico invoke reports the error objects Lambda's Invoke API returns", async () => {
  const tooLarge = await runPortico([
    "invoke",
    "node",
    "--dir",
    projectDir,
    "--event",
    '{"mode":"big-response"}',
  ]);
  assert.equal(tooLarge.code, 1);
  assert.deepEqual(JSON.parse(tooLarge.stdout), {
    errorType: "Function.ResponseSizeTooLarge",
    errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
  });
  const garbage = await runPortico(["invoke", "node", "--dir", projectDir, "--event", '{"mode":"garbage"}']);
  assert.equal(garbage.code, 1);
  const error = JSON.parse(garbage.stdout) as { errorType: string; errorMessage: string };
  assert.equal(error.errorType, "Runtime.InvalidResponse");
  assert.match(
    error.errorMessage,
    /^RequestId: \S+ Error: the runtime wrote bytes to fd 3 that are not a valid frame/,
  );
});
