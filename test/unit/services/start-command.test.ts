/** Start command resolution in source directories built per case: the order of origins and what each yields. */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { resolveStartCommand, type StartCommand } from "../../../src/services/index.js";

const made: string[] = [];
after(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A fresh source directory holding `files` (a trailing `/` makes an empty directory). */
async function sourceDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "portico-start-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    if (name.endsWith("/")) {
      await mkdir(join(dir, name), { recursive: true });
      continue;
    }
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const PROCFILE = "worker: python3 worker.py\r\nweb: gunicorn -b :$PORT main:app\r\n";
const PACKAGE = JSON.stringify({ name: "shop", version: "1.2.3", scripts: { start: "node index.js" } });
const DOCKERFILE =
  'FROM node:20\nWORKDIR /app\nCOPY . .\nENV NODE_ENV=production\nCMD ["node", "index.js"]\n';

interface Case {
  name: string;
  files: Record<string, string>;
  command?: string;
  /** Expected fields; `cwd` is relative to the source directory. */
  expect: Partial<Omit<StartCommand, "cwd">> & { cwd?: string };
}

const cases: Case[] = [
  {
    name: "an explicit command wins over every file, run by /bin/sh -c",
    files: { Procfile: PROCFILE, "package.json": PACKAGE, Dockerfile: DOCKERFILE, "main.py": "" },
    command: "python3 app.py --port $PORT",
    expect: { origin: "command", shell: "python3 app.py --port $PORT", argv: undefined, env: {}, cwd: "" },
  },
  {
    name: "Procfile web: line (other process types and CRLF ignored)",
    files: { Procfile: PROCFILE, "package.json": PACKAGE, Dockerfile: DOCKERFILE },
    expect: { origin: "Procfile", shell: "gunicorn -b :$PORT main:app", env: {}, cwd: "" },
  },
  {
    name: "a Procfile without web: falls through to package.json",
    files: { Procfile: "worker: node worker.js\n", "package.json": PACKAGE },
    expect: { origin: "package.json", shell: "node index.js" },
  },
  {
    name: "package.json start script beats the Dockerfile",
    files: { "package.json": PACKAGE, Dockerfile: DOCKERFILE },
    expect: { origin: "package.json", shell: "node index.js", cwd: "" },
  },
  {
    name: "package.json prestart runs first, as npm start does",
    files: {
      "package.json": JSON.stringify({ scripts: { prestart: "node build.js", start: "node dist/index.js" } }),
    },
    expect: { origin: "package.json", shell: "node build.js && node dist/index.js" },
  },
  {
    name: "package.json without a start script falls through to server.js",
    files: { "package.json": JSON.stringify({ scripts: { test: "node --test" } }), "server.js": "" },
    expect: { origin: "server.js", argv: [process.execPath, "server.js"], env: {} },
  },
  {
    name: "Dockerfile exec form with ENV; WORKDIR = the COPY . destination = the source directory",
    files: { Dockerfile: DOCKERFILE, "main.py": "" },
    expect: { origin: "Dockerfile", argv: ["node", "index.js"], env: { NODE_ENV: "production" }, cwd: "" },
  },
  {
    name: "Dockerfile shell form",
    files: { Dockerfile: "FROM python:3.12\nCMD exec gunicorn --bind :$PORT main:app\n" },
    expect: { origin: "Dockerfile", shell: "exec gunicorn --bind :$PORT main:app", argv: undefined },
  },
  {
    name: "Dockerfile ENTRYPOINT + CMD",
    files: { Dockerfile: 'FROM python\nENTRYPOINT ["python3"]\nCMD ["-m", "app"]\n' },
    expect: { origin: "Dockerfile", argv: ["python3", "-m", "app"] },
  },
  {
    name: "Dockerfile WORKDIR below the COPY . destination maps into the source directory",
    files: {
      Dockerfile: 'FROM node\nCOPY . /app\nWORKDIR /app/api\nCMD ["node", "server.js"]\n',
      "api/": "",
    },
    expect: { origin: "Dockerfile", cwd: "api" },
  },
  {
    name: "Dockerfile WORKDIR missing from the source maps to the source directory",
    files: { Dockerfile: 'FROM node\nCOPY . /app\nWORKDIR /app/dist\nCMD ["node", "server.js"]\n' },
    expect: { cwd: "" },
  },
  {
    name: "Dockerfile WORKDIR without COPY . is the source directory",
    files: { Dockerfile: 'FROM node\nWORKDIR /srv/app\nCOPY package.json ./\nCMD ["node", "server.js"]\n' },
    expect: { cwd: "" },
  },
  {
    name: "Dockerfile WORKDIR outside the COPY . destination is the source directory",
    files: { Dockerfile: 'FROM node\nCOPY . /app\nWORKDIR /tmp\nCMD ["node", "server.js"]\n' },
    expect: { cwd: "" },
  },
  {
    name: "a Dockerfile without CMD or ENTRYPOINT falls through to main.py",
    files: { Dockerfile: "FROM python:3.12\nCOPY . /app\n", "main.py": "", "app.py": "" },
    expect: { origin: "main.py", argv: ["python3", "main.py"], env: {}, cwd: "" },
  },
  {
    name: "app.py with python3",
    files: { "app.py": "", "server.js": "" },
    expect: { origin: "app.py", argv: ["python3", "app.py"] },
  },
  {
    name: "server.js with the Node.js running Portico",
    files: { "server.js": "", "README.md": "" },
    expect: { origin: "server.js", argv: [process.execPath, "server.js"] },
  },
];

for (const { name, files, command, expect } of cases) {
  test(name, async () => {
    const dir = await sourceDir(files);
    const start = await resolveStartCommand(dir, command);
    for (const [key, value] of Object.entries(expect)) {
      const wanted = key === "cwd" ? join(dir, value as string) : value;
      assert.deepEqual(start[key as keyof StartCommand], wanted, key);
    }
  });
}

test("package.json: node_modules/.bin of the package and its parents first on PATH, npm's variables set", async () => {
  const dir = await sourceDir({ "package.json": PACKAGE });
  const { env } = await resolveStartCommand(dir);
  const path = (env.PATH as string).split(":");
  assert.equal(path[0], join(dir, "node_modules", ".bin"));
  assert.equal(path[1], join(dirname(dir), "node_modules", ".bin"));
  assert.ok(path.includes("/node_modules/.bin"));
  assert.equal(path.at(-1), process.env.PATH?.split(":").at(-1));
  assert.equal(env.npm_lifecycle_event, "start");
  assert.equal(env.npm_lifecycle_script, "node index.js");
  assert.equal(env.npm_package_name, "shop");
  assert.equal(env.npm_package_version, "1.2.3");
  assert.equal(env.npm_package_json, join(dir, "package.json"));
});

test("nothing fits: SERVICE_NO_START_COMMAND names the directory, what was looked for, and the fixes", async () => {
  const dir = await sourceDir({
    "README.md": "",
    "package.json": JSON.stringify({ name: "x" }),
    Dockerfile: "FROM nginx\n",
  });
  await assert.rejects(
    resolveStartCommand(dir),
    (error: Error & { code?: string; isUserError?: boolean }) => {
      assert.equal(error.code, "SERVICE_NO_START_COMMAND");
      assert.equal(error.isUserError, true);
      for (const part of [
        dir,
        "Procfile with a `web:` line",
        "package.json with a `start` script",
        "Dockerfile with CMD or ENTRYPOINT",
        "main.py or app.py",
        "server.js",
        "package.json has no `start` script",
        "the Dockerfile has no CMD or ENTRYPOINT",
        "Set `command:` for the service in portico.yaml",
      ]) {
        assert.ok(error.message.includes(part), `message mentions ${part}: ${error.message}`);
      }
      return true;
    },
  );
});

test("a missing source directory: SERVICE_SOURCE_NOT_FOUND", async () => {
  const dir = join(await sourceDir({}), "nope");
  await assert.rejects(resolveStartCommand(dir, "true"), { code: "SERVICE_SOURCE_NOT_FOUND" });
});

test("package.json that is not JSON: SERVICE_SOURCE_INVALID naming the file", async () => {
  const dir = await sourceDir({ "package.json": "{ nope" });
  await assert.rejects(resolveStartCommand(dir), (error: Error & { code?: string }) => {
    assert.equal(error.code, "SERVICE_SOURCE_INVALID");
    assert.ok(error.message.startsWith(`${join(dir, "package.json")} is not valid JSON`));
    return true;
  });
});

test("a Dockerfile Portico cannot read: SERVICE_DOCKERFILE_INVALID with file and line", async () => {
  const dir = await sourceDir({ Dockerfile: 'FROM node\nENV A="open\nCMD ["node"]\n' });
  await assert.rejects(resolveStartCommand(dir), (error: Error & { code?: string }) => {
    assert.equal(error.code, "SERVICE_DOCKERFILE_INVALID");
    assert.ok(error.message.startsWith(`${join(dir, "Dockerfile")}:2: ENV:`), error.message);
    return true;
  });
});
