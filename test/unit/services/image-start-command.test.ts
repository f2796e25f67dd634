/**
 * Service instances from a container image, run by this machine's real engine (podman or docker): the
 * environment contract, logs, stop and crash, and no container left behind whatever ended the instance.
 * The image is built locally (no registry) once, then reused while its content is unchanged.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { PorticoError } from "../../../src/model/index.js";
import { type ContainerEngine, detectContainerEngine } from "../../../src/services/container-engine.js";
import {
  ContainerImages,
  InstanceStartError,
  type LogStream,
  ServiceInstance,
  type ServiceInstanceOptions,
  ServicePorts,
  type StartCommand,
} from "../../../src/services/index.js";
import { nodeAppImage, type TestImage } from "../../helpers/container-image.js";
import { send } from "../../helpers/http-client.js";
import { fixturesDir, repoRoot } from "../../helpers/paths.js";

const ports = new ServicePorts();
const images = new ContainerImages();

const run = promisify(execFile);
const TEST_TIMEOUT = { timeout: 60_000 };
const found = await detectContainerEngine().catch((error: unknown) => error as Error);
const skip = found instanceof Error ? `no working container engine here: ${found.message}` : false;
const engine = found as ContainerEngine;

/** Built once for the whole file (the first test waits for it). */
let image: Promise<TestImage> | undefined;
function testImage(): Promise<TestImage> {
  image ??= nodeAppImage(engine, join(fixturesDir, "services", "container-echo", "server.mjs"));
  return image;
}

const instances: ServiceInstance[] = [];
after(() => Promise.all(instances.map((instance) => instance.stop())));

class Logs {
  readonly lines: Array<{ line: string; stream: LogStream }> = [];
  readonly #waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];

  readonly onLog = (line: string, stream: LogStream): void => {
    this.lines.push({ line, stream });
    for (const waiter of [...this.#waiters]) {
      if (!waiter.pattern.test(line)) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  waitFor(pattern: RegExp): Promise<void> {
    if (this.lines.some(({ line }) => pattern.test(line))) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ pattern, resolve }));
  }

  has(line: string, stream?: LogStream): boolean {
    return this.lines.some(
      (entry) => entry.line === line && (stream === undefined || entry.stream === stream),
    );
  }
}

/** A revision name no other test (or earlier run) uses, so its containers can be found by label. */
function freshRevision(): string {
  return `web-00001-${randomBytes(3).toString("hex")}`;
}

function start(
  command: StartCommand,
  revision: string,
  options: Partial<ServiceInstanceOptions> = {},
): { instance: ServiceInstance; logs: Logs } {
  const logs = new Logs();
  const instance = new ServiceInstance({
    service: "web",
    revision,
    command,
    ports,
    onLog: logs.onLog,
    ...options,
  });
  instances.push(instance);
  return { instance, logs };
}

/** Names of the revision's containers, running or not. */
async function containers(revision: string): Promise<string[]> {
  const { stdout } = await run(engine.program, [
    "ps",
    "--all",
    "--filter",
    `label=portico.revision=${revision}`,
    "--format",
    "{{.Names}}",
  ]);
  return stdout.split("\n").filter((name) => name !== "");
}

test("an image instance: PORT and K_* set, the service's env over the image's, logs, graceful stop, no container left", {
  ...TEST_TIMEOUT,
  skip,
}, async () => {
  const { ref, env } = await testImage();
  const command = await images.resolve("web", ref);
  assert.equal(command.origin, "image");
  const revision = freshRevision();
  const { instance, logs } = start(command, revision, { env: { MODE: "from-service" } });
  await instance.ready;
  assert.ok(instance.port > 0);

  const response = await send({ port: instance.port, path: "/hello" });
  assert.deepEqual(response.json(), {
    PORT: String(instance.port),
    K_SERVICE: "web",
    K_REVISION: revision,
    K_CONFIGURATION: "web",
    MODE: "from-service",
    GREETING: env.GREETING,
    path: "/hello",
  });
  await logs.waitFor(/^pid \d+$/);
  assert.ok(logs.has(`listening on ${instance.port}`, "stdout"), JSON.stringify(logs.lines));
  assert.ok(logs.lines.some(({ line, stream }) => /^pid \d+$/.test(line) && stream === "stderr"));
  const running = await containers(revision);
  assert.equal(running.length, 1);
  assert.match(running[0] as string, new RegExp(`^portico-${revision}-instance-1-[0-9a-f]{4}$`));

  await instance.stop();
  assert.deepEqual(await instance.exited, { code: 0, signal: null });
  assert.equal(instance.crashed, false);
  assert.ok(logs.has("SIGTERM: draining") && logs.has("drained"), JSON.stringify(logs.lines));
  assert.deepEqual(await containers(revision), []);
});

test("two instances of a revision are two containers, numbered", { ...TEST_TIMEOUT, skip }, async () => {
  const command = await images.resolve("web", (await testImage()).ref);
  const revision = freshRevision();
  const first = start(command, revision).instance;
  const second = start(command, revision).instance;
  await Promise.all([first.ready, second.ready]);
  assert.notEqual(first.port, second.port);
  const answers = await Promise.all([send({ port: first.port }), send({ port: second.port })]);
  assert.deepEqual(
    answers.map((answer) => (answer.json() as { PORT: string }).PORT),
    [String(first.port), String(second.port)],
  );
  const names = (await containers(revision)).sort();
  assert.deepEqual(
    names.map((name) => name.replace(/-[0-9a-f]{4}$/, "")),
    [`portico-${revision}-instance-1`, `portico-${revision}-instance-2`],
  );
  await Promise.all([first.stop(), second.stop()]);
  assert.deepEqual(await containers(revision), []);
});

test("an app that ignores SIGTERM is killed after the grace period, and its container removed", {
  ...TEST_TIMEOUT,
  skip,
}, async () => {
  const command = await images.resolve("web", (await testImage()).ref);
  const revision = freshRevision();
  const { instance, logs } = start(command, revision, { env: { IGNORE_SIGTERM: "1" }, stopGraceMs: 2_000 });
  await instance.ready;
  const stopping = instance.stop();
  // The app got the SIGTERM the engine's client was sent: the client passes signals on.
  await logs.waitFor(/^ignoring SIGTERM$/);
  await stopping;
  assert.deepEqual(await instance.exited, { code: null, signal: "SIGKILL" });
  assert.equal(instance.crashed, false);
  assert.deepEqual(await containers(revision), []);
});

test("the engine's client killed outright: a crash, and the container it left running is removed", {
  ...TEST_TIMEOUT,
  skip,
}, async () => {
  const command = await images.resolve("web", (await testImage()).ref);
  const revision = freshRevision();
  const { instance } = start(command, revision);
  await instance.ready;
  assert.equal((await containers(revision)).length, 1);
  process.kill(instance.pid as number, "SIGKILL");
  assert.deepEqual(await instance.exited, { code: null, signal: "SIGKILL" });
  assert.equal(instance.crashed, true);
  assert.deepEqual(await containers(revision), []);
});

test("Portico exiting without stopping its instances leaves no container running", {
  ...TEST_TIMEOUT,
  skip,
}, async () => {
  const { ref } = await testImage();
  const revision = freshRevision();
  const services = pathToFileURL(join(repoRoot, "dist", "src", "services", "index.js")).href;
  // A Portico process whose instance is ready when it exits: its exit hook must remove the container.
  const script = [
    `const { ContainerImages, ServiceInstance, ServicePorts } = await import(${JSON.stringify(services)});`,
    `const command = await new ContainerImages().resolve("web", ${JSON.stringify(ref)});`,
    `const instance = new ServiceInstance({ service: "web", revision: ${JSON.stringify(revision)}, command, ports: new ServicePorts() });`,
    "await instance.ready;",
    "process.exit(0);",
  ].join("\n");
  await run(process.execPath, ["--input-type=module", "--eval", script], { timeout: 30_000 });
  assert.deepEqual(await containers(revision), []);
});

test("an app that exits at once: Cloud Run's start failure with its exit code and stderr", {
  ...TEST_TIMEOUT,
  skip,
}, async () => {
  const command = await images.resolve("web", (await testImage()).ref);
  const revision = freshRevision();
  const { instance } = start(command, revision, { env: { EXIT_AT_ONCE: "1" } });
  await assert.rejects(instance.ready, (error: unknown) => {
    assert.ok(error instanceof InstanceStartError, String(error));
    assert.equal(error.code, "SERVICE_START_EXITED");
    assert.match(error.message, /the process exited with code 3 before listening/);
    assert.ok(error.logTail.includes("Error: EXIT_AT_ONCE is set"), error.message);
    return true;
  });
  assert.equal(instance.crashed, true);
  assert.deepEqual(await containers(revision), []);
});

test("`command:` replaces the image's entrypoint and runs through the image's /bin/sh", {
  ...TEST_TIMEOUT,
  skip,
}, async () => {
  const { ref } = await testImage();
  const imageId = (await images.resolve("web", ref)).argv?.at(-1);
  const shell = `MODE=from-command exec ${process.execPath} /server.mjs`;
  const command = await images.resolve("web", ref, shell);
  assert.deepEqual(command.argv?.slice(-5), ["--entrypoint", "/bin/sh", imageId, "-c", shell]);
  const { instance } = start(command, freshRevision(), { env: { MODE: "from-service" } });
  await instance.ready;
  // Only a shell makes that assignment: it ran the command.
  const answer = (await send({ port: instance.port })).json() as { MODE: string; PORT: string };
  assert.deepEqual([answer.MODE, answer.PORT], ["from-command", String(instance.port)]);
  await instance.stop();
});

test("an image that is neither local nor pullable: SERVICE_IMAGE_NOT_FOUND naming the key, the reason and what to do", {
  ...TEST_TIMEOUT,
  skip,
}, async () => {
  const notFound = (ref: string, reason: RegExp) => (error: unknown) => {
    assert.ok(error instanceof PorticoError, String(error));
    assert.equal(error.code, "SERVICE_IMAGE_NOT_FOUND");
    const start = `services.web.image: the image ${ref} is not among ${engine.name}'s local images and could not be pulled (`;
    assert.ok(error.message.startsWith(start), error.message);
    assert.match(error.message.slice(start.length), reason);
    assert.ok(error.message.includes(`\`${engine.name} build -t ${ref} DIR\``), error.message);
    return true;
  };
  // Built-here names are not pulled; another registry is asked, and its failure told.
  const local = "localhost/portico-no-such-image:1";
  await assert.rejects(
    images.resolve("web", local),
    notFound(local, /^images under localhost\/ are never pulled\)/),
  );
  const remote = "portico.invalid/no-such-image:1";
  await assert.rejects(images.resolve("web", remote), notFound(remote, /portico\.invalid/));
});
