/**
 * Service instances as real processes on real ports (fixture apps in test/fixtures/services/): the
 * environment contract, the TCP startup probe and its failures, crash versus stop, SIGTERM then
 * SIGKILL, and process groups.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  CONTAINER_FAILED_TO_START,
  InstanceStartError,
  type LogStream,
  type PoolableInstance,
  resolveStartCommand,
  ServiceInstance,
  type ServiceInstanceOptions,
  ServicePorts,
  type StartCommand,
} from "../../../src/services/index.js";
import { send } from "../../helpers/http-client.js";
import { fixturesDir } from "../../helpers/paths.js";
import { isAlive } from "../../helpers/process-exit.js";

const ports = new ServicePorts();

const appsDir = join(fixturesDir, "services");
const misbehaving = join(appsDir, "misbehaving");
const TEST_TIMEOUT = { timeout: 20_000 };
/** Long enough for node to start and log under load; short enough to keep the suite fast. */
const SHORT_DEADLINE_MS = 1_500;

const instances: ServiceInstance[] = [];
after(() => Promise.all(instances.map((instance) => instance.stop())));

/** Log lines as they arrive, and a way to wait for one (no sleeps). */
class Logs {
  readonly lines: Array<{ line: string; stream: LogStream }> = [];
  readonly #waiters: Array<{ pattern: RegExp; resolve: (match: RegExpExecArray) => void }> = [];

  readonly onLog = (line: string, stream: LogStream): void => {
    this.lines.push({ line, stream });
    for (const waiter of [...this.#waiters]) {
      const match = waiter.pattern.exec(line);
      if (!match) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  };

  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    for (const { line } of this.lines) {
      const match = pattern.exec(line);
      if (match) return Promise.resolve(match);
    }
    return new Promise((resolve) => this.#waiters.push({ pattern, resolve }));
  }

  has(line: string): boolean {
    return this.lines.some((entry) => entry.line === line);
  }
}

/**
 * Whether `pid` still runs. A process whose parent (the shell) died first is reaped by PID 1, which may
 * take its time: such a zombie is dead, though `kill(pid, 0)` still finds it.
 */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return isAlive(pid);
  }
}

/** Polls, there being no exit event for a process that is not our child; bounded. */
async function waitUntilGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) assert.fail(`process ${pid} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function start(
  command: StartCommand,
  options: Partial<ServiceInstanceOptions> = {},
): { instance: ServiceInstance; logs: Logs } {
  const logs = new Logs();
  const instance = new ServiceInstance({
    service: "web",
    revision: "web-00001-abc",
    command,
    ports,
    onLog: logs.onLog,
    ...options,
  });
  instances.push(instance);
  return { instance, logs };
}

function node(file: string, cwd = misbehaving): StartCommand {
  return { argv: [process.execPath, file], env: {}, cwd, origin: "command" };
}

function startError(code: string, check: (error: InstanceStartError) => void) {
  return (error: unknown) => {
    assert.ok(error instanceof InstanceStartError, String(error));
    assert.equal(error.code, code, error.message);
    check(error);
    return true;
  };
}

test(
  "a node:http app from source: PORT and K_* set, ready on its port, logs by line, graceful stop",
  TEST_TIMEOUT,
  async () => {
    const command = await resolveStartCommand(join(appsDir, "node-echo"));
    assert.equal(command.origin, "server.js");
    const { instance, logs } = start(
      { ...command, env: { MODE: "from-command", K_SERVICE: "not-this" } },
      { env: { MODE: "from-service", PORT: "1" } },
    );
    assert.equal(instance.state, "starting");
    await instance.ready;
    assert.equal(instance.state, "ready");
    assert.ok(instance.port > 0);
    // What the revision pool needs of an instance, checked by the compiler.
    const poolable: PoolableInstance = instance;
    assert.equal(poolable.port, instance.port);

    const response = await send({ port: instance.port });
    assert.deepEqual(response.json(), {
      PORT: String(instance.port),
      K_SERVICE: "web",
      K_REVISION: "web-00001-abc",
      K_CONFIGURATION: "web",
      MODE: "from-service",
      pid: instance.pid,
    });
    await logs.waitFor(/^pid \d+$/);
    assert.ok(
      logs.lines.some((entry) => entry.line === `listening on ${instance.port}` && entry.stream === "stdout"),
    );
    assert.ok(logs.lines.some((entry) => entry.line === `pid ${instance.pid}` && entry.stream === "stderr"));

    await instance.stop();
    assert.deepEqual(await instance.exited, { code: 0, signal: null });
    assert.equal(instance.state, "exited");
    assert.equal(instance.crashed, false);
    assert.ok(logs.has("SIGTERM: draining") && logs.has("drained"), JSON.stringify(logs.lines));
  },
);

test(
  "a Python standard-library app (main.py) works the same: any language listening on $PORT",
  TEST_TIMEOUT,
  async () => {
    const command = await resolveStartCommand(join(appsDir, "python-main"));
    assert.deepEqual(command.argv, ["python3", "main.py"]);
    const { instance, logs } = start(command);
    await instance.ready;
    const response = await send({ port: instance.port, path: "/hello" });
    assert.deepEqual(response.json(), {
      language: "python",
      PORT: String(instance.port),
      K_SERVICE: "web",
      K_REVISION: "web-00001-abc",
    });
    // Unbuffered output: the line is there without the process exiting.
    await logs.waitFor(/^request \/hello$/);
    assert.ok(logs.has(`python listening on ${instance.port}`));
    await instance.stop();
    assert.deepEqual(await instance.exited, { code: null, signal: "SIGTERM" });
    assert.equal(instance.crashed, false);
  },
);

test("an app that exits after it was ready is a crash", TEST_TIMEOUT, async () => {
  const { instance } = start(node("server.js", join(appsDir, "node-echo")));
  await instance.ready;
  await send({ port: instance.port, path: "/exit" });
  assert.deepEqual(await instance.exited, { code: 7, signal: null });
  assert.equal(instance.crashed, true);
  assert.equal(instance.state, "exited");
  await instance.stop();
});

test(
  "an app that never listens: Cloud Run's message with the port, the deadline and its log lines",
  TEST_TIMEOUT,
  async () => {
    const { instance } = start(node("never-listens.js"), { startupTimeoutMs: SHORT_DEADLINE_MS });
    await assert.rejects(
      instance.ready,
      startError("SERVICE_START_TIMEOUT", (error) => {
        assert.ok(error.message.startsWith(CONTAINER_FAILED_TO_START), error.message);
        assert.ok(
          error.message.includes(
            `Revision web-00001-abc: nothing listened on PORT=${instance.port} within 1.5 s`,
          ),
        );
        assert.ok(error.message.endsWith("Last log lines:\n  booting\n  warming caches"), error.message);
        assert.deepEqual(error.logTail, ["booting", "warming caches"]);
        assert.equal(error.isUserError, true);
      }),
    );
    // Shut down like Cloud Run does; Portico asked for it, so it is no crash.
    const exit = await instance.exited;
    assert.equal(exit.signal, "SIGTERM");
    assert.equal(instance.crashed, false);
    assert.equal(instance.state, "exited");
  },
);

test(
  "an app listening on another port than $PORT fails the same way, its log showing where it listened",
  TEST_TIMEOUT,
  async () => {
    const { instance } = start(node("wrong-port.js"), { startupTimeoutMs: SHORT_DEADLINE_MS });
    await assert.rejects(
      instance.ready,
      startError("SERVICE_START_TIMEOUT", (error) => {
        assert.match(error.message, new RegExp(`listening on \\d+, not on ${instance.port}$`));
      }),
    );
    await instance.exited;
  },
);

test(
  "an app that exits at once: rejected as soon as it exits, with its exit code and stderr",
  TEST_TIMEOUT,
  async () => {
    const { instance } = start(node("exits-at-once.js"));
    await assert.rejects(
      instance.ready,
      startError("SERVICE_START_EXITED", (error) => {
        assert.ok(error.message.startsWith(CONTAINER_FAILED_TO_START));
        assert.ok(
          error.message.includes(`the process exited with code 3 before listening on PORT=${instance.port}`),
        );
        assert.ok(error.message.endsWith("Last log lines:\n  Error: DATABASE_URL is not set"), error.message);
      }),
    );
    assert.deepEqual(await instance.exited, { code: 3, signal: null });
    assert.equal(instance.crashed, true);
  },
);

test(
  "a command that does not exist: exec'd (spawn ENOENT) or through sh (exit 127)",
  TEST_TIMEOUT,
  async () => {
    const missing = start({
      argv: ["portico-no-such-program"],
      env: {},
      cwd: misbehaving,
      origin: "command",
    });
    await assert.rejects(
      missing.instance.ready,
      startError("SERVICE_START_EXITED", (error) => {
        assert.match(
          error.message,
          /the command could not be started \(spawn portico-no-such-program ENOENT\)/,
        );
        assert.match(error.message, /The instance wrote no log lines\.$/);
      }),
    );
    assert.equal(missing.instance.pid, undefined);
    assert.equal(missing.instance.crashed, true);

    const viaShell = start({
      shell: "portico-no-such-program",
      env: {},
      cwd: misbehaving,
      origin: "command",
    });
    await assert.rejects(
      viaShell.instance.ready,
      startError("SERVICE_START_EXITED", (error) => {
        assert.match(error.message, /exited with code 127/);
        assert.match(error.message, /portico-no-such-program: not found/);
      }),
    );
  },
);

test("an app that ignores SIGTERM is killed with SIGKILL after the grace period", TEST_TIMEOUT, async () => {
  const { instance, logs } = start(node("ignores-sigterm.js"), { stopGraceMs: 300 });
  await instance.ready;
  const stoppedAt = Date.now();
  await instance.stop();
  const elapsed = Date.now() - stoppedAt;
  assert.deepEqual(await instance.exited, { code: null, signal: "SIGKILL" });
  assert.ok(elapsed >= 250, `killed after ${elapsed} ms`);
  assert.ok(logs.has("ignoring SIGTERM"));
  assert.equal(instance.crashed, false);
});

test("sh -c: stop reaches the app the shell started, which drains and is gone", TEST_TIMEOUT, async () => {
  const { instance, logs } = start({
    shell: `"${process.execPath}" server.js; echo "shell done"`,
    env: {},
    cwd: join(appsDir, "node-echo"),
    origin: "Procfile",
  });
  await instance.ready;
  const { pid: appPid } = (await send({ port: instance.port })).json() as { pid: number };
  assert.notEqual(appPid, instance.pid, "the app runs under the shell");
  await instance.stop();
  await waitUntilGone(appPid, 1_000);
  // The shell died of the SIGTERM; the app got it too and drained before the instance counted as exited.
  assert.deepEqual(await instance.exited, { code: null, signal: "SIGTERM" });
  assert.ok(logs.has("drained"));
});

test(
  "sh -c: an app under the shell that ignores SIGTERM is killed with the group after the grace",
  TEST_TIMEOUT,
  async () => {
    const { instance, logs } = start(
      {
        shell: `"${process.execPath}" ignores-sigterm.js; true`,
        env: {},
        cwd: misbehaving,
        origin: "command",
      },
      { stopGraceMs: 300 },
    );
    await instance.ready;
    const appPid = Number((await logs.waitFor(/^pid (\d+)$/))[1]);
    assert.notEqual(appPid, instance.pid);
    await instance.stop();
    await waitUntilGone(appPid, 1_000);
    assert.ok(logs.has("ignoring SIGTERM"));
  },
);

test("a crash of the shell takes the rest of the instance's processes with it", TEST_TIMEOUT, async () => {
  const { instance, logs } = start({
    shell: `"${process.execPath}" ignores-sigterm.js & wait`,
    env: {},
    cwd: misbehaving,
    origin: "command",
  });
  await instance.ready;
  const appPid = Number((await logs.waitFor(/^pid (\d+)$/))[1]);
  process.kill(instance.pid as number, "SIGKILL");
  assert.deepEqual(await instance.exited, { code: null, signal: "SIGKILL" });
  assert.equal(instance.crashed, true);
  await waitUntilGone(appPid, 1_000);
});

test(
  "stop() while starting: ready rejects as cancelled (Portico's doing, not the app's)",
  TEST_TIMEOUT,
  async () => {
    const early = start(node("never-listens.js"));
    await early.instance.stop();
    await assert.rejects(
      early.instance.ready,
      startError("SERVICE_START_CANCELLED", (error) => assert.equal(error.isUserError, false)),
    );
    assert.equal(early.instance.pid, undefined, "stopped before it was spawned");
    assert.deepEqual(await early.instance.exited, { code: null, signal: null });

    const spawned = start(node("never-listens.js"));
    await spawned.logs.waitFor(/^booting$/);
    await spawned.instance.stop();
    await assert.rejects(
      spawned.instance.ready,
      startError("SERVICE_START_CANCELLED", () => {}),
    );
    assert.equal((await spawned.instance.exited).signal, "SIGTERM");
    assert.equal(spawned.instance.crashed, false);
  },
);

test("stop() is idempotent and resolves at once after exit", TEST_TIMEOUT, async () => {
  const { instance } = start(node("server.js", join(appsDir, "node-echo")));
  await instance.ready;
  const first = instance.stop();
  assert.equal(instance.stop(), first);
  assert.equal(instance.state, "stopping");
  await first;
  await instance.stop();
  assert.equal(instance.state, "exited");
});
