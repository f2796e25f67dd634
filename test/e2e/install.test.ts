/**
 * Portico installed as a user installs it: `npm pack`, `npm install -g` of the tarball into a
 * temporary prefix, then the `portico` command run in projects outside this checkout.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { send } from "../helpers/http-client.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";
import { PorticoProcess } from "../helpers/portico-process.js";

const FRAMEWORK = "@google-cloud/functions-framework";
/**
 * Packing takes ~2 s, installing Portico's few dependencies ~10 s with npm's cache warm, plus building
 * better-sqlite3 from source (~90 s on 2 cores) where its prebuilt binary cannot be downloaded.
 */
const NPM_TIMEOUT_MS = 300_000;

const root = mkdtempSync(join(tmpdir(), "portico-install-"));
const prefix = join(root, "prefix");
const installed = join(prefix, "bin", "portico");
const project = join(root, "project");
const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };

/**
 * A shell's environment outside any npm script: the npm_* variables of `npm test` would point the
 * npm commands below at this checkout. The installed `portico` and the Node.js running the tests
 * come first on PATH.
 */
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("npm_"))),
  PATH: [join(prefix, "bin"), dirname(process.execPath), process.env.PATH].join(delimiter),
};

/** Runs a command to completion within NPM_TIMEOUT_MS (its whole process group is killed after). */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    output += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // The group has already exited.
    }
  }, NPM_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) =>
    child.once("close", (exitCode) => resolve(exitCode)),
  );
  clearTimeout(timer);
  const line = `${command} ${args.join(" ")} (in ${cwd})`;
  if (timedOut) {
    throw new Error(
      `${line} did not finish within ${NPM_TIMEOUT_MS / 1000} s: is the npm registry reachable? Output:\n${output}`,
    );
  }
  if (code !== 0) throw new Error(`${line} exited with ${code}:\n${output}`);
  return stdout;
}

before(async () => {
  // The tests run after a build, so dist/ is current: no `prepare` (a second build) while packing.
  const packed = await run(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", root, "--loglevel=error"],
    repoRoot,
  );
  const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
  // Cached metadata and tarballs first; the registry only for what the cache lacks.
  await run(
    "npm",
    [
      "install",
      "-g",
      "--prefix",
      prefix,
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      join(root, filename),
    ],
    root,
  );
  cpSync(join(fixturesDir, "projects", "installed"), project, { recursive: true });
});
after(() => rmSync(root, { recursive: true, force: true }));

test("the installed `portico` runs from any directory, and --version is Portico's own even in a project's npm script", async () => {
  assert.equal((await run(installed, ["--version"], root)).trim(), version);
  // The project's package.json says 9.9.9: npm gives its scripts that as npm_package_version.
  assert.equal(
    (await run("npm", ["run", "--silent", "portico-version"], join(project, "api"))).trim(),
    version,
  );
});

test("`portico dev` in the project's own directory serves its JavaScript and TypeScript functions", async () => {
  const portico = new PorticoProcess(["dev", "--port", "0", "--admin-port", "0"], {
    cwd: join(project, "api"),
    env,
    executable: installed,
  });
  try {
    const [, port] = await portico.waitFor(/API app \(stage \$default\): http:\/\/[^:]+:(\d+)\//, {
      timeoutMs: 30_000,
    });
    const hello = await send({ port: Number(port), path: "/hello" });
    assert.equal(hello.status, 200);
    assert.equal(hello.text, "Hello from an installed Portico");
    const greet = await send({ port: Number(port), path: "/greet/Ann" });
    assert.equal(greet.status, 200, greet.text);
    assert.deepEqual(greet.json(), { greeting: "Hello Ann" });
    // The console ships in the package, built.
    const [, adminPort] = await portico.waitFor(/Console: http:\/\/127\.0\.0\.1:(\d+)\//);
    const page = await send({ port: Number(adminPort), path: "/" });
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /<div id="app"><\/div>/);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    assert.equal((await send({ port: Number(adminPort), path: `/${script}` })).status, 200);
  } finally {
    await portico.stop();
  }
});

test("a Node.js Functions Framework function: without the framework anywhere, the deploy says how to install it; beside Portico, it serves", async () => {
  const functionProject = join(project, "function");
  const failing = new PorticoProcess(["dev", "--port", "0", "--admin-port", "0"], {
    cwd: functionProject,
    env,
    executable: installed,
  });
  try {
    const exit = await Promise.race([failing.exited, delay(30_000, "still running", { ref: false })]);
    assert.equal(exit, 1, failing.output);
    const source = join(functionProject, "hello");
    // stderr may still be arriving after the exit.
    await failing.waitFor(/npm install -g/, { timeoutMs: 5_000 });
    for (const part of [
      `portico: The service in ${source} is a Node.js function (target \`helloHttp\`)`,
      `\`npm install ${FRAMEWORK}\` in ${source}`,
      `\`npm install -g ${FRAMEWORK}\``,
    ]) {
      assert.ok(failing.output.includes(part), `the error mentions ${part}:\n${failing.output}`);
    }
  } finally {
    await failing.stop();
  }

  // What `npm install -g @google-cloud/functions-framework` leaves: the package beside Portico's,
  // here linked to this checkout's copy rather than installing its ~130 packages again.
  const beside = join(prefix, "lib", "node_modules", FRAMEWORK);
  mkdirSync(dirname(beside), { recursive: true });
  symlinkSync(join(repoRoot, "node_modules", FRAMEWORK), beside, "dir");
  const serving = new PorticoProcess(["dev", "--port", "0", "--admin-port", "0"], {
    cwd: functionProject,
    env,
    executable: installed,
  });
  try {
    const [, port] = await serving.waitFor(
      /Service \[hello\] Service URL: http:\/\/hello\.localhost:(\d+)\//,
      {
        timeoutMs: 30_000,
      },
    );
    const response = await send({
      port: Number(port),
      path: "/?name=Ann",
      headers: { host: `hello.localhost:${port}` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.text, "Hello Ann from hello");
  } finally {
    await serving.stop();
  }
});
