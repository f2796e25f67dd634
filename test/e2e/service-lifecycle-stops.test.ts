/**
 * How `portico dev` stops and restarts service instances, as Cloud Run does (cloudrun.md §1.6, 2.2):
 * an instance stopped for scale-down, for a redeploy or because `dev` exits first finishes its requests,
 * then gets SIGTERM, then SIGKILL after 10 s; instances that keep dying are restarted at a growing
 * distance. Requests the fixture app must hold call the test's gate server, so the test decides when
 * they finish.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { GateServer } from "../helpers/gate-server.js";
import type { TestResponse } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { isAlive, waitForExit } from "../helpers/process-exit.js";
import { type ServiceDev, startServiceDev, waitForPortClosed } from "../helpers/service-dev.js";

/** What the fixture app's `/hold` answers: its pid, and a body large enough to span many chunks. */
interface Held {
  pid: number;
  filler: string;
}
const FILLER_LENGTH = 256 * 1024;

const fixture = join(fixturesDir, "projects", "service-lifecycle");
const gates = new GateServer();

before(() => gates.listen());
after(() => gates.close());

/** A complete 200 answer from `/hold`. */
function held(response: TestResponse): Held {
  assert.equal(response.status, 200, response.text);
  const body = response.json() as Held;
  assert.equal(body.filler.length, FILLER_LENGTH, "the whole body arrived");
  return body;
}

/** Asserts that `first` and `then` were both printed, in that order. */
function assertPrintedInOrder(output: string, first: string, then: string): void {
  const firstAt = output.indexOf(first);
  const thenAt = output.indexOf(then);
  assert.ok(firstAt >= 0, `"${first}" was not printed:\n${output}`);
  assert.ok(thenAt >= 0, `"${then}" was not printed:\n${output}`);
  assert.ok(firstAt < thenAt, `"${then}" was printed before "${first}":\n${output}`);
}

/** `promise`, or a failure naming `what` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("stopping and restarting service instances", { concurrency: true }, () => {
  describe("scale-down and redeploy", { concurrency: true }, () => {
    // The project is copied, since the redeploy test edits its portico.yaml.
    const tempDir = mkdtempSync(join(tmpdir(), "portico-lifecycle-"));
    const projectDir = join(tempDir, "shutdown");
    /** Instances that ignore SIGTERM: killed here should the test that waits for them fail. */
    const stubborn: number[] = [];
    let dev: ServiceDev;

    before(async () => {
      cpSync(fixture, tempDir, { recursive: true });
      dev = await startServiceDev(projectDir);
    });
    after(async () => {
      await dev?.portico.stop();
      for (const pid of stubborn) if (isAlive(pid)) process.kill(pid, "SIGKILL");
      rmSync(tempDir, { recursive: true, force: true });
    });

    test("scale-down: a busy instance is not stopped; once its request finished (200, whole body) it gets SIGTERM", async () => {
      // concurrency 1: the two requests are on two instances.
      const busy = dev.request("drain", `/hold?gate=${gates.ref("drain-busy")}`);
      await gates.arrivals("drain-busy");
      const other = dev.request("drain", `/hold?gate=${gates.ref("drain-other")}`);
      await gates.arrivals("drain-other");
      const [, busyInstance] = await dev.portico.waitFor(/\[drain\] (\S+ instance-\d+): start drain-busy/);
      const [, otherInstance] = await dev.portico.waitFor(/\[drain\] (\S+ instance-\d+): start drain-other/);

      gates.open("drain-other");
      held(await other);
      // The other instance is stopped for idling (idleTimeout 1 s): the idle check has run since the
      // busy instance was last idle, and left it alone.
      await dev.portico.waitFor(new RegExp(`\\[drain\\] ${otherInstance}: got SIGTERM`));
      assert.doesNotMatch(dev.portico.output, new RegExp(`\\[drain\\] ${busyInstance}: got SIGTERM`));

      gates.open("drain-busy");
      held(await busy);
      await dev.portico.waitFor(new RegExp(`\\[drain\\] ${busyInstance}: got SIGTERM`));
      assertPrintedInOrder(
        dev.portico.output,
        `${busyInstance}: finished drain-busy`,
        `${busyInstance}: got SIGTERM`,
      );
    });

    test("redeploy: the old revision's instance finishes its request (200, whole body), then gets SIGTERM", async () => {
      // Held across the reload below, which may take up to 20 s under load: the default 15 s would cut it first.
      const request = dev.request("redeploy", `/hold?gate=${gates.ref("redeploy")}`, { timeoutMs: 45_000 });
      await gates.arrivals("redeploy");
      const [, oldInstance] = await dev.portico.waitFor(
        /\[redeploy\] (redeploy-00001-[a-z]{3} instance-\d+): start redeploy/,
      );

      const mark = dev.portico.output.length;
      const configFile = join(projectDir, "portico.yaml");
      writeFileSync(configFile, readFileSync(configFile, "utf8").replace('VERSION: "1"', 'VERSION: "2"'));
      await dev.portico.waitFor(/Reloaded after a change to portico\.yaml/, {
        from: mark,
        timeoutMs: 20_000,
      });
      const fresh = await dev.request("redeploy", "/");
      assert.equal(fresh.status, 200, fresh.text);
      assert.match((fresh.json() as { revision: string }).revision, /^redeploy-00002-[a-z]{3}$/);

      gates.open("redeploy");
      held(await request);
      await dev.portico.waitFor(new RegExp(`\\[redeploy\\] ${oldInstance}: got SIGTERM`), { from: mark });
      assertPrintedInOrder(
        dev.portico.output,
        `${oldInstance}: finished redeploy`,
        `${oldInstance}: got SIGTERM`,
      );
    });

    test("an instance that ignores SIGTERM is killed when the 10 s grace period ends", async () => {
      const response = await dev.request("stubborn", "/");
      assert.equal(response.status, 200, response.text);
      const { pid } = response.json() as { pid: number };
      stubborn.push(pid);
      // Stopped for idling (idleTimeout 1 s); it ignores SIGTERM and keeps running...
      await dev.portico.waitFor(
        new RegExp(`\\[stubborn\\] \\S+ instance-\\d+: got SIGTERM \\(pid ${pid}\\)`),
      );
      assert.ok(isAlive(pid), "SIGTERM alone does not stop it");
      // ...until SIGKILL comes, 10 s later.
      await waitForExit(pid, 20_000);
      assert.doesNotMatch(dev.portico.output, /\[stubborn\] .*crashed/);
    });
  });

  describe("restart loops", { concurrency: true }, () => {
    const markers: string[] = [];
    let dev: ServiceDev;

    before(async () => {
      dev = await startServiceDev(join(fixture, "restarts"));
    });
    after(async () => {
      await dev?.portico.stop();
      for (const marker of markers) rmSync(marker, { force: true });
    });

    /** Makes every instance of `service` crash, now and on start; resolves with the output offset before. */
    async function startCrashLoop(service: string): Promise<number> {
      const [, revision] = await dev.portico.waitFor(
        new RegExp(`\\[${service}\\] (${service}-00001-[a-z]{3}) instance-\\d+: listening on`),
      );
      const marker = join(tmpdir(), `portico-lifecycle-crash-${revision}`);
      markers.push(marker);
      const mark = dev.portico.output.length;
      writeFileSync(marker, "");
      return mark;
    }

    test("an instance that crashes on start is restarted, at most 3 times in 3.5 s (1 s, then 2 s apart)", async () => {
      const mark = await startCrashLoop("crashloop");
      const crashedOnStart = /\[crashloop\] \S+ instance-\d+: crashing on start/;
      const first = await dev.portico.waitFor(crashedOnStart, { from: mark });
      const windowStart = mark + (first.index ?? 0);
      await sleep(3_500);
      const window = dev.portico.output.slice(windowStart);
      const starts = window.match(new RegExp(crashedOnStart, "g"))?.length ?? 0;
      assert.ok(starts <= 3, `${starts} failed starts in 3.5 s`);
      // It keeps being restarted.
      await dev.portico.waitFor(/(\[crashloop\] \S+ instance-\d+: crashing on start[\s\S]*){2}/, {
        from: windowStart,
      });
    });

    test("the logs say when an instance that crashes on start is restarted next", async () => {
      const mark = await startCrashLoop("crashlog");
      // Exactly as docs/services.md shows it.
      const restarting = (seconds: number, failures: number) =>
        new RegExp(
          `\\[crashlog\\] crashlog-00001-[a-z]{3}: restarting in ${seconds} s \\(${failures} failures in a row\\)\n`,
        );
      await dev.portico.waitFor(restarting(1, 2), { from: mark, timeoutMs: 6_000 });
      await dev.portico.waitFor(restarting(2, 3), { from: mark, timeoutMs: 6_000 });
    });

    test("an instance that exits right after it listens is restarted at most 3 times in 3.5 s, and the logs say when", async () => {
      const mark = dev.portico.output.length;
      await sleep(3_500);
      const window = dev.portico.output.slice(mark);
      const starts = window.match(/\[flapper\] \S+ instance-\d+: listening on/g)?.length ?? 0;
      assert.ok(starts <= 3, `${starts} starts in 3.5 s`);
      assert.match(window, /\[flapper\] [^\n]*restarting in \d+ s/);
    });
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`on ${signal}, portico dev lets a request in flight finish (200, whole body), then stops its instance`, async () => {
      const dev = await startServiceDev(join(fixture, "exit"));
      try {
        const name = `exit-${signal}`;
        const request = dev.request("web", `/hold?gate=${gates.ref(name)}`, {
          headers: { connection: "close" },
        });
        await gates.arrivals(name);
        const [, instance] = await dev.portico.waitFor(
          new RegExp(`\\[web\\] (\\S+ instance-\\d+): start ${name}`),
        );

        dev.portico.child.kill(signal);
        // The gateway stops listening first: `dev` is shutting down while the request is in the app.
        await waitForPortClosed(dev.port);
        gates.open(name);
        const { pid } = held(await request);

        assert.equal(await within(dev.portico.exited, 10_000, "portico dev exiting"), 0);
        assertPrintedInOrder(dev.portico.output, `${instance}: finished ${name}`, `${instance}: got SIGTERM`);
        assert.ok(!isAlive(pid), "the instance is gone once portico dev has exited");
      } finally {
        await dev.portico.stop();
      }
    });
  }

  test("on SIGINT, portico dev exits once its last response is sent, though the client keeps the connection", async () => {
    const dev = await startServiceDev(join(fixture, "exit"));
    const agent = new Agent({ keepAlive: true, timeout: 60_000 });
    try {
      const request = new Promise<number>((resolve, reject) => {
        httpGet(
          {
            host: "127.0.0.1",
            port: dev.port,
            path: `/hold?gate=${gates.ref("exit-keep-alive")}`,
            headers: { host: `web.localhost:${dev.port}` },
            agent,
          },
          (response) => {
            response.resume();
            response.on("end", () => resolve(response.statusCode ?? 0));
          },
        ).on("error", reject);
      });
      await gates.arrivals("exit-keep-alive");
      dev.portico.child.kill("SIGINT");
      await waitForPortClosed(dev.port);
      gates.open("exit-keep-alive");
      assert.equal(await request, 200);
      assert.equal(await within(dev.portico.exited, 5_000, "portico dev exiting"), 0);
    } finally {
      agent.destroy();
      await dev.portico.stop();
    }
  });
});
