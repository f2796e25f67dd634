/**
 * Function instances through `portico dev`, from start to end: an init that never ends is cut at
 * Lambda's 10 s; whatever an instance starts (children, detached ones too) ends with it on a
 * timeout, on scale to zero and when Portico stops (SIGTERM, SIGHUP, SIGINT), even mid-init; and a
 * machine-wide instance budget holds back a function past it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { GateServer } from "../helpers/gate-server.js";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";
import { isAlive, liveMembersOf, waitForExit } from "../helpers/process-exit.js";

const fixture = join(fixturesDir, "projects", "function-lifecycle");

/**
 * The pids a function printed (`pids 1 2 3`, or `pid 1` for an init that loops): its instance's
 * process first, then the processes it started.
 */
async function pidsFrom(portico: PorticoProcess, name: string, from: number): Promise<number[]> {
  const [, list] = await portico.waitFor(new RegExp(`\\[${name}\\] (?:[^\\n]*\\t)?pids? ([\\d ]+)\\n`), {
    from,
  });
  return (list as string).trim().split(" ").map(Number);
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe("one portico dev", () => {
  let portico: PorticoProcess;
  let port: number;
  before(async () => {
    ({ portico, port } = await startDev(fixture));
  });
  after(() => portico?.stop());

  test("a timed-out invocation's instance is killed with every process it started", async () => {
    const mark = portico.output.length;
    const response = await send({ port, path: "/times-out" });
    assert.equal(response.status, 500);
    const pids = await pidsFrom(portico, "timesOut", mark);
    assert.equal(pids.length, 3);
    await Promise.all(pids.map((pid) => waitForExit(pid, 3_000)));
  });

  test("scale to zero stops an idle instance with every process it started", async () => {
    const mark = portico.output.length;
    assert.equal((await send({ port, path: "/idles" })).status, 200);
    const pids = await pidsFrom(portico, "idles", mark);
    assert.ok(pids.every(isAlive), "the instance and its children live on while it is warm");
    // idleTimeout is 1 s; the reaper looks every 250 ms and a stop may take up to 2 s.
    await Promise.all(pids.map((pid) => waitForExit(pid, 5_000)));
  });

  test("an init that never ends (Node.js, Python) is cut at 10 s and retried within the 1 s timeout; the invocation fails and frees its slot", async () => {
    const mark = portico.output.length;
    const responses = await Promise.all(
      ["/spin", "/pyspin"].map((path) => send({ port, path, timeoutMs: 25_000 })),
    );
    assert.deepEqual(
      responses.map((response) => response.status),
      [500, 500],
    );
    for (const name of ["spin", "pyspin"]) {
      // The answer may overtake the last log lines on their way to the terminal.
      await portico.waitFor(new RegExp(`\\[${name}\\] REPORT RequestId: [^\\n]*\\n`), { from: mark });
      const log = portico.output
        .slice(mark)
        .split("\n")
        .filter((line) => line.startsWith(`[${name}] `))
        .join("\n");
      assert.match(log, /INIT_REPORT Init Duration: 10\d{3}\.\d\d ms\tPhase: init\tStatus: timeout\n/);
      assert.match(log, /INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: invoke\tStatus: timeout\n/);
      assert.match(log, /Task timed out after 1\.00 seconds/);
      assert.match(log, /REPORT RequestId: [^\n]*\tStatus: timeout\t/);
      // Both inits' processes (the first, then the retry) are gone.
      const pids = [...log.matchAll(/pid (\d+)/g)].map((match) => Number(match[1]));
      assert.equal(pids.length, 2, log);
      await Promise.all(pids.map((pid) => waitForExit(pid, 3_000)));
    }
    // concurrency is 1: a slot still held would keep the next invocation waiting, then throttle it.
    const next = portico.output.length;
    const again = send({ port, path: "/spin", timeoutMs: 25_000 }).catch(() => undefined);
    await portico.waitFor(/\[spin\] [^\n]*\tpid \d+\n/, { from: next, timeoutMs: 4_000 });
    void again;
  });
});

describe("portico dev stopping", () => {
  const started = [
    ["hold", "/hold"],
    ["pyhold", "/pyhold"],
    ["stuck", "/stuck"],
    ["providedStuck", "/provided-stuck"],
  ] as const;

  for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) {
    test(`on ${signal} no process is left: not of an invocation in flight, nor of an init in progress`, async () => {
      const { portico, port } = await startDev(fixture);
      try {
        const mark = portico.output.length;
        const requests = started.map(([, path]) =>
          send({ port, path, timeoutMs: 30_000 }).catch(() => undefined),
        );
        const lists = await Promise.all(started.map(([name]) => pidsFrom(portico, name, mark)));
        const pids = lists.flat();
        // Each instance's process leads its group; the children were started inside it (or left it).
        const groups = new Set(lists.map((list) => list[0] as number));
        assert.ok(pids.every(isAlive));

        portico.child.kill(signal);
        assert.equal(await within(portico.exited, 15_000, "portico dev exiting"), 0);
        await Promise.all(pids.map((pid) => waitForExit(pid, 2_000)));
        assert.deepEqual(liveMembersOf(groups), [], "nothing is left in the instances' process groups");
        await Promise.all(requests);
      } finally {
        await portico.stop();
      }
    });
  }
});

describe("the machine-wide instance budget", () => {
  const gates = new GateServer();
  before(() => gates.listen());
  after(() => gates.close());

  test("with --max-instances 1, another function is throttled after 5 s while the only instance is busy, and takes its place once it is idle", async () => {
    const { portico, port } = await startDev(fixture, ["--max-instances", "1"]);
    try {
      const first = send({ port, path: `/a?gate=${gates.ref("budget")}` });
      await gates.arrivals("budget");

      const throttled = await send({ port, path: "/b" });
      assert.equal(throttled.status, 500);
      await portico.waitFor(/\[gatedB\] Throttled: instance budget of 1 reached/);

      const second = send({ port, path: "/b" });
      gates.open("budget");
      const { pid } = (await first).json() as { pid: number };
      const answer = await second;
      assert.equal(answer.status, 200, answer.text);
      // The one instance allowed is now B's: A's, idle, was stopped to make room.
      await waitForExit(pid, 3_000);
    } finally {
      await portico.stop();
    }
  });

  test("a budget below 1 is refused with one clear line", async () => {
    const { code, stderr } = await runPortico(["dev", fixture, "--port", "0", "--max-instances", "0"]);
    assert.equal(code, 1);
    assert.match(stderr, /--max-instances.*at least 1/);
  });
});
