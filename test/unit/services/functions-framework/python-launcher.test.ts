/**
 * Portico's Python Functions Framework launcher run directly with the system python3 (which has
 * Flask): what it refuses to start with, and serving a FUNCTION_SOURCE other than main.py.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { after, test } from "node:test";
import { send } from "../../../helpers/http-client.js";
import { repoRoot } from "../../../helpers/paths.js";

const LAUNCHER = join(repoRoot, "dist", "src", "services", "functions-framework", "python_launcher.py");
const PATH = `/usr/bin${delimiter}${process.env.PATH}`;
const START_TIMEOUT_MS = 15_000;

const made: string[] = [];
after(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function sourceDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "portico-launcher-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** Runs the launcher to its exit (it fails before listening in these cases). */
function launch(dir: string, env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync("python3", [LAUNCHER], {
    cwd: dir,
    env: { PATH, PORT: "0", ...env },
    encoding: "utf8",
    timeout: START_TIMEOUT_MS,
  });
  return { status: result.status, stderr: result.stderr };
}

const HELLO = "def hello(request):\n    return 'hello'\n";

const refusals: Array<{
  name: string;
  files: Record<string, string>;
  env: Record<string, string>;
  says: string;
}> = [
  {
    name: "no FUNCTION_TARGET",
    files: { "main.py": HELLO },
    env: {},
    says: "portico: FUNCTION_TARGET is not set: Python functions need the name of the function to serve (`functionTarget:` in portico.yaml).",
  },
  {
    name: "a signature type other than http",
    files: { "main.py": HELLO },
    env: { FUNCTION_TARGET: "hello", FUNCTION_SIGNATURE_TYPE: "cloudevent" },
    says: "portico: FUNCTION_SIGNATURE_TYPE is 'cloudevent': Portico serves HTTP functions only (`def name(request)`); remove FUNCTION_SIGNATURE_TYPE from the service's env.",
  },
  {
    name: "no main.py",
    files: { "app.py": HELLO },
    env: { FUNCTION_TARGET: "hello" },
    says: "it is the file that must define the function 'hello'. Add it, or set FUNCTION_SOURCE in the service's env to the right file.",
  },
  {
    name: "a target that is not a function",
    files: { "main.py": "hello = 3\n" },
    env: { FUNCTION_TARGET: "hello" },
    says: "portico: 'hello' in main.py is a int, not a function: the target must name a function.",
  },
  {
    name: "a CloudEvent function",
    files: {
      "main.py":
        "import functions_framework\n\n@functions_framework.cloud_event\ndef hello(event):\n    pass\n",
    },
    env: { FUNCTION_TARGET: "hello" },
    says: "portico: 'hello' in main.py is a CloudEvent function: Portico serves HTTP functions only.",
  },
  {
    name: "main.py failing on import, with its traceback",
    files: { "main.py": "import no_such_module_here\n" },
    env: { FUNCTION_TARGET: "hello" },
    says: "ModuleNotFoundError: No module named 'no_such_module_here'",
  },
];

for (const { name, files, env, says } of refusals) {
  test(`refuses to start: ${name}`, async () => {
    const { status, stderr } = launch(await sourceDir(files), env);
    assert.equal(status, 1, stderr);
    assert.ok(stderr.includes(says), stderr);
  });
}

/** Starts the launcher; resolves with its port once it prints that it serves. */
async function serve(
  dir: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; lines: Lines }> {
  const child = spawn("python3", [LAUNCHER], {
    cwd: dir,
    env: { PATH, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = new Lines(child);
  try {
    const [, port] = await lines.waitFor(/^Serving function '\w+' from \S+ on port (\d+)$/);
    return { child, port: Number(port), lines };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/** The launcher's stdout lines, waited on by pattern. */
class Lines {
  readonly #seen: string[] = [];
  readonly #waiting = new Set<() => void>();
  readonly #child: ChildProcess;

  constructor(child: ChildProcess) {
    this.#child = child;
    createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> }).on("line", (line) => {
      this.#seen.push(line);
      for (const check of this.#waiting) check();
    });
  }

  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (const line of this.#seen) {
          const match = pattern.exec(line);
          if (match) {
            done();
            resolve(match);
            return;
          }
        }
      };
      const onExit = (code: number | null) => {
        done();
        reject(new Error(`the launcher exited (${code}) before printing ${pattern}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no line matching ${pattern} within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        this.#waiting.delete(check);
        this.#child.off("exit", onExit);
      };
      this.#waiting.add(check);
      this.#child.once("exit", onExit);
      check();
    });
  }
}

test("serves FUNCTION_SOURCE's target, importing modules beside it, on every method and path", async () => {
  const dir = await sourceDir({
    "fn/handlers.py":
      "from words import WORD\n\ndef shout(request):\n    return f'{WORD} {request.method} {request.path}'\n",
    "fn/words.py": "WORD = 'HEY'\n",
  });
  const { child, port } = await serve(dir, { FUNCTION_TARGET: "shout", FUNCTION_SOURCE: "fn/handlers.py" });
  try {
    const response = await send({ port, method: "OPTIONS", path: "/a/b" });
    assert.equal(response.status, 200);
    assert.equal(response.text, "HEY OPTIONS /a/b");
  } finally {
    child.kill("SIGKILL");
  }
});

test("SIGTERM: the request in flight is answered, then the launcher exits with 0", async () => {
  const dir = await sourceDir({
    "main.py": [
      "import os, time",
      "",
      "def slow(request):",
      "    print('started', flush=True)",
      "    deadline = time.monotonic() + 10",
      "    while not os.path.exists('go') and time.monotonic() < deadline:",
      "        time.sleep(0.02)",
      "    return 'finished'",
      "",
    ].join("\n"),
  });
  const { child, port, lines } = await serve(dir, { FUNCTION_TARGET: "slow" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    const answer = send({ port, path: "/" });
    await lines.waitFor(/^started$/);
    child.kill("SIGTERM");
    await lines.waitFor(/^SIGTERM: finishing 1 request\(s\) in flight, then exiting$/);
    await writeFile(join(dir, "go"), "");
    const response = await answer;
    assert.equal(response.status, 200);
    assert.equal(response.text, "finished");
    assert.equal(await exited, 0);
  } finally {
    child.kill("SIGKILL");
  }
});

test("functions_framework.errorhandler answers for its exception, as on Google", async () => {
  const dir = await sourceDir({
    "main.py": [
      "import functions_framework",
      "",
      "class NotFound(Exception):",
      "    pass",
      "",
      "@functions_framework.errorhandler(NotFound)",
      "def not_found(error):",
      "    return {'error': str(error)}, 404",
      "",
      "@functions_framework.http",
      "def get(request):",
      "    raise NotFound('no such item')",
      "",
    ].join("\n"),
  });
  const { child, port } = await serve(dir, { FUNCTION_TARGET: "get" });
  try {
    const response = await send({ port, path: "/items/7" });
    assert.equal(response.status, 404);
    assert.equal(response.headers["x-google-status"], undefined);
    assert.deepEqual(response.json(), { error: "no such item" });
  } finally {
    child.kill("SIGKILL");
  }
});
