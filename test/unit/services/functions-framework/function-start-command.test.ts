/**
 * Start commands for Functions Framework targets, resolved in source directories built per case:
 * language detection, which framework copy runs, the FUNCTION_* variables, and the deploy errors.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";
import { after, test } from "node:test";
import { resolveStartCommand, type StartCommand } from "../../../../src/services/index.js";
import { repoRoot } from "../../../helpers/paths.js";

const made: string[] = [];
after(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A fresh directory (outside Portico's tree) holding `files`. */
async function sourceDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "portico-function-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** Runs `body` with PATH set to `path`: Python functions use the python3 found on PATH. */
async function withPath<T>(path: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = path;
  try {
    return await body();
  } finally {
    process.env.PATH = saved;
  }
}

/** The system Python first: Debian's python3-flask is installed for it. */
const FLASK_PATH = `/usr/bin${delimiter}${process.env.PATH}`;
const PORTICO_NODE_MODULES = join(repoRoot, "node_modules");
const PORTICO_FRAMEWORK = join(
  PORTICO_NODE_MODULES,
  "@google-cloud",
  "functions-framework",
  "build",
  "src",
  "main.js",
);
const FRAMEWORK_MANIFEST = join("node_modules", "@google-cloud", "functions-framework", "package.json");
const OWN_FRAMEWORK = JSON.stringify({
  name: "@google-cloud/functions-framework",
  version: "5.0.5",
  bin: { "functions-framework": "./build/src/main.js" },
});

test("Node.js by package.json: Portico's framework with --target, NODE_PATH to its copy, FUNCTION_* set", async () => {
  const dir = await sourceDir({ "package.json": "{}", "index.js": "" });
  const start = await resolveStartCommand(dir, undefined, "helloHttp");
  assert.deepEqual(start.argv, [process.execPath, PORTICO_FRAMEWORK, "--target=helloHttp"]);
  assert.equal(start.shell, undefined);
  assert.equal(start.cwd, dir);
  assert.equal(start.origin, "functions-framework");
  assert.equal(start.env.FUNCTION_TARGET, "helloHttp");
  assert.equal(start.env.FUNCTION_SIGNATURE_TYPE, "http");
  assert.equal(start.env.NODE_PATH?.split(delimiter)[0], PORTICO_NODE_MODULES);
  assert.ok(existsSync(PORTICO_FRAMEWORK), "a dev dependency of Portico, found from its own directory");
});

test("Node.js: the source's own framework wins, found in node_modules up from the source, without NODE_PATH", async () => {
  const root = await sourceDir({ [FRAMEWORK_MANIFEST]: OWN_FRAMEWORK, "fn/index.mjs": "" });
  const start = await resolveStartCommand(join(root, "fn"), undefined, "api.v1");
  const own = join(root, "node_modules", "@google-cloud", "functions-framework", "build", "src", "main.js");
  assert.deepEqual(start.argv, [process.execPath, own, "--target=api.v1"]);
  assert.deepEqual(start.env, { FUNCTION_TARGET: "api.v1", FUNCTION_SIGNATURE_TYPE: "http" });
});

test("Node.js: an empty FUNCTION_TARGET serves `function`, the framework's default", async () => {
  const dir = await sourceDir({ "function.cjs": "" });
  const start = await resolveStartCommand(dir, undefined, "");
  assert.equal(start.argv?.at(-1), "--target=function");
  assert.equal(start.env.FUNCTION_TARGET, "function");
});

test("a function target wins over the Procfile and package.json start; `command` wins over the target", async () => {
  const files = {
    Procfile: "web: node server.js\n",
    "package.json": JSON.stringify({ scripts: { start: "node server.js" } }),
  };
  const dir = await sourceDir(files);
  assert.equal((await resolveStartCommand(dir, undefined, "hello")).origin, "functions-framework");
  const explicit = await resolveStartCommand(dir, "node other.js", "hello");
  assert.deepEqual(
    { origin: explicit.origin, shell: explicit.shell, env: explicit.env },
    { origin: "command", shell: "node other.js", env: {} },
  );
});

test("JavaScript beside Python files is Node.js; Python files alone are Python", async () => {
  const both = await sourceDir({ "main.py": "", "index.js": "" });
  assert.equal((await resolveStartCommand(both, undefined, "hello")).argv?.[0], process.execPath);
  const python = await sourceDir({ "handlers.py": "", "README.md": "" });
  const start = await withPath(FLASK_PATH, () => resolveStartCommand(python, undefined, "hello"));
  assert.equal(start.argv?.[0], "python3");
});

test("Python by main.py: python3 runs Portico's launcher in the source directory, FUNCTION_* set", async () => {
  const dir = await sourceDir({ "main.py": "def hello_http(request):\n    return 'hi'\n" });
  const start: StartCommand = await withPath(FLASK_PATH, () =>
    resolveStartCommand(dir, undefined, "hello_http"),
  );
  assert.equal(start.argv?.length, 2);
  assert.equal(start.argv?.[0], "python3");
  assert.equal(basename(start.argv?.[1] as string), "python_launcher.py");
  assert.ok(existsSync(start.argv?.[1] as string), "the launcher is copied next to the compiled code");
  assert.equal(start.cwd, dir);
  assert.deepEqual(start.env, { FUNCTION_TARGET: "hello_http", FUNCTION_SIGNATURE_TYPE: "http" });
});

test("Python without a target: SERVICE_FUNCTION_TARGET_REQUIRED, as Python's framework has no default", async () => {
  const dir = await sourceDir({ "main.py": "" });
  await assert.rejects(resolveStartCommand(dir, undefined, ""), (error: Error & { code?: string }) => {
    assert.equal(error.code, "SERVICE_FUNCTION_TARGET_REQUIRED");
    assert.match(error.message, /Set `functionTarget:` for the service in portico\.yaml/);
    return true;
  });
});

test("Python whose python3 cannot import Flask: SERVICE_FLASK_MISSING naming that python3 and how to install Flask", async () => {
  // A real python3 without its site-packages (-S), where Flask would be installed.
  const bin = await sourceDir({});
  const python = join(bin, "python3");
  await writeFile(python, `#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n`);
  await chmod(python, 0o755);
  const dir = await sourceDir({ "main.py": "" });
  await assert.rejects(
    withPath(`${bin}${delimiter}${process.env.PATH}`, () => resolveStartCommand(dir, undefined, "hello")),
    (error: Error & { code?: string; isUserError?: boolean }) => {
      assert.equal(error.code, "SERVICE_FLASK_MISSING");
      assert.equal(error.isUserError, true);
      for (const part of [
        `The service in ${dir} is a Python function (target \`hello\`)`,
        "`import flask` fails in /usr/bin/python3 (the python3 on PATH)",
        "`/usr/bin/python3 -m pip install flask`",
        "`apt install python3-flask`",
      ]) {
        assert.ok(error.message.includes(part), `message mentions ${part}: ${error.message}`);
      }
      return true;
    },
  );
});

test("Python with no python3 on PATH: SERVICE_PYTHON_NOT_FOUND", async () => {
  const empty = await sourceDir({});
  const dir = await sourceDir({ "main.py": "" });
  await assert.rejects(
    withPath(empty, () => resolveStartCommand(dir, undefined, "hello")),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, "SERVICE_PYTHON_NOT_FOUND");
      assert.match(error.message, /there is no python3 on PATH/);
      return true;
    },
  );
});

test("neither Node.js nor Python: SERVICE_FUNCTION_LANGUAGE_UNKNOWN naming the directory and what was looked for", async () => {
  const dir = await sourceDir({ "main.go": "", "lib/index.js": "" });
  await assert.rejects(resolveStartCommand(dir, undefined, "hello"), (error: Error & { code?: string }) => {
    assert.equal(error.code, "SERVICE_FUNCTION_LANGUAGE_UNKNOWN");
    assert.ok(error.message.startsWith(`The service in ${dir} is a function`), error.message);
    assert.match(
      error.message,
      /a package\.json or \.js\/\.mjs\/\.cjs files\) nor Python \(main\.py or other \.py files\)/,
    );
    return true;
  });
});
