/**
 * Finding a container engine: the error when none works says what was tried and what failed (programs
 * standing in for broken installs), the probe's fallbacks, and the real engine of this machine if any.
 */
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  ContainerEngineUnavailableError,
  detectContainerEngine,
} from "../../../src/services/container-engine.js";
import { ContainerImages } from "../../../src/services/index.js";

const TEST_TIMEOUT = { timeout: 60_000 };
const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A PATH holding only these programs (shell scripts), so the real engines are out of sight. */
async function pathWith(programs: Record<string, string>): Promise<NodeJS.ProcessEnv> {
  const dir = await mkdtemp(join(tmpdir(), "portico-engines-"));
  dirs.push(dir);
  for (const [name, script] of Object.entries(programs)) {
    await writeFile(join(dir, name), `#!/bin/sh\n${script}\n`);
    await chmod(join(dir, name), 0o755);
  }
  return { ...process.env, PATH: dir };
}

async function unavailable(env: NodeJS.ProcessEnv): Promise<ContainerEngineUnavailableError> {
  const error = await detectContainerEngine(env).then(
    (engine) => assert.fail(`expected no engine, found ${JSON.stringify(engine)}`),
    (error: unknown) => error,
  );
  assert.ok(error instanceof ContainerEngineUnavailableError, String(error));
  assert.equal(error.code, "CONTAINER_ENGINE_UNAVAILABLE");
  assert.equal(error.isUserError, true);
  return error;
}

test("neither podman nor docker installed: both named, and how to install one", TEST_TIMEOUT, async () => {
  const error = await unavailable(await pathWith({}));
  assert.deepEqual(error.attempts, [
    { engine: "podman", failure: "not installed (no `podman` on PATH)" },
    { engine: "docker", failure: "not installed (no `docker` on PATH)" },
  ]);
  assert.equal(
    error.message,
    "no working podman or docker found (podman: not installed (no `podman` on PATH); " +
      "docker: not installed (no `docker` on PATH)). Install podman (on Debian or Ubuntu: " +
      "`apt-get install --no-install-recommends podman runc catatonit`) or start the Docker daemon, then deploy again.",
  );
});

test(
  "installed but broken: each engine's own error, from the command that was tried",
  TEST_TIMEOUT,
  async () => {
    const error = await unavailable(
      await pathWith({
        podman: 'echo "Error: cannot open storage: permission denied" >&2; exit 125',
        docker:
          'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1',
      }),
    );
    assert.deepEqual(error.attempts, [
      { engine: "podman", failure: "`podman info` failed: Error: cannot open storage: permission denied" },
      {
        engine: "docker",
        failure:
          "`docker info` failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      },
    ]);
  },
);

test("podman that cannot create a container: every configuration the probe tried", TEST_TIMEOUT, async () => {
  const error = await unavailable(
    await pathWith({
      podman: [
        'case "$1" in',
        "  info) echo crun ;;",
        '  create) echo "Error: OCI runtime error: crun: cgroups in hybrid mode not supported" >&2; exit 125 ;;',
        "esac",
      ].join("\n"),
    }),
  );
  const crun = "Error: OCI runtime error: crun: cgroups in hybrid mode not supported";
  const ulimits = "--ulimit nofile=1024:1024 --ulimit nproc=1024:1024";
  assert.equal(
    error.attempts[0]?.failure,
    `podman cannot create a container (as configured: ${crun}; with ${ulimits}: ${crun}; ` +
      `with --runtime runc: ${crun}; with --runtime runc ${ulimits}: ${crun})`,
  );
  assert.deepEqual(error.attempts[1], { engine: "docker", failure: "not installed (no `docker` on PATH)" });
});

test("the probe keeps the first configuration that works", TEST_TIMEOUT, async () => {
  const engine = await detectContainerEngine(
    await pathWith({
      podman: [
        'case "$1 $*" in',
        "  info*) echo crun ;;",
        '  create*"--runtime runc --ulimit"*) echo created ;;',
        '  create*) echo "Error: crun: setrlimit RLIMIT_NOFILE: Operation not permitted" >&2; exit 125 ;;',
        "esac",
      ].join("\n"),
    }),
  );
  assert.deepEqual(engine, {
    name: "podman",
    program: "podman",
    runArgs: ["--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"],
  });
});

test("a daemon that answers makes docker the engine when podman is missing", TEST_TIMEOUT, async () => {
  const engine = await detectContainerEngine(await pathWith({ docker: "echo 27.1.0" }));
  assert.deepEqual(engine, { name: "docker", program: "docker", runArgs: [] });
});

const images = new ContainerImages();
const here = await images.engine().catch((error: unknown) => error);

test("this machine's engine is found once and reused", {
  ...TEST_TIMEOUT,
  skip: here instanceof Error ? `no working container engine here: ${here.message}` : false,
}, async () => {
  const engine = await images.engine();
  assert.equal(engine, here);
  assert.ok(engine.name === "podman" || engine.name === "docker");
  assert.equal(await images.engine(), engine);
});
