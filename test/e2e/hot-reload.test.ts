/**
 * `portico dev` reloading a project as it is edited: handler code, routes, a broken portico.yaml and its
 * fix, requests in flight and in parallel during a reload; and the errors that stop `dev` from starting.
 * The project is written to a temporary directory, which the tests edit.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { type PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";
import { waitForExit } from "../helpers/process-exit.js";

const nodeHandler = (answer: string) => `export const handler = async () => ${JSON.stringify(answer)};\n`;
const pythonHandler = (answer: string) =>
  `def handler(event, context):\n    return ${JSON.stringify(answer)}\n`;
/** Sleeps `?ms=` milliseconds, saying so in its log first, then answers with its version and pid. */
const slowHandler = (version: string) => `export const handler = async (event) => {
  console.log("slow: started");
  await new Promise((resolve) => setTimeout(resolve, Number(event.queryStringParameters?.ms ?? 0)));
  return { version: ${JSON.stringify(version)}, pid: process.pid };
};
`;

/** portico.yaml: the base project, `greet` settings appended to its entry, extra functions and routes. */
function config(options: { greet?: string; functions?: string[]; routes?: string[] } = {}): string {
  return [
    "functions:",
    `  greet: { runtime: nodejs20.x, handler: fns/greet.handler${options.greet ? `, ${options.greet}` : ""} }`,
    "  pyGreet: { runtime: python3, handler: pyfns/greet.handler }",
    "  pyStale: { runtime: python3, handler: pyfns/stale.handler }",
    "  slow: { runtime: nodejs20.x, handler: fns/slow.handler, timeout: 10 }",
    "  busy: { runtime: nodejs20.x, handler: fns/busy.handler, concurrency: 20 }",
    ...(options.functions ?? []).map((line) => `  ${line}`),
    "apis:",
    "  app:",
    "    routes:",
    "      GET /greet: greet",
    "      GET /py: pyGreet",
    "      GET /py-stale: pyStale",
    "      GET /slow: slow",
    "      GET /busy: busy",
    ...(options.routes ?? []).map((line) => `      ${line}`),
    "",
  ].join("\n");
}

const tempDir = mkdtempSync(join(tmpdir(), "portico-hot-reload-"));
const projectDir = join(tempDir, "project");
/** Code that a function may name with `code: ../outside`. */
const outsideDir = join(tempDir, "outside");
let portico: PorticoProcess;
let port: number;

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

before(async () => {
  write(join(projectDir, "portico.yaml"), config());
  write(join(projectDir, "fns", "greet.mjs"), nodeHandler("node v1"));
  write(join(projectDir, "pyfns", "greet.py"), pythonHandler("py v1"));
  write(join(projectDir, "pyfns", "stale.py"), pythonHandler("answer 1"));
  write(join(projectDir, "fns", "slow.mjs"), slowHandler("old"));
  write(join(projectDir, "fns", "busy.mjs"), nodeHandler("busy v1"));
  write(join(outsideDir, "ext.mjs"), nodeHandler("outside v1"));
  // As on a developer's machine: Python caches compiled modules in __pycache__.
  ({ portico, port } = await startDev(projectDir, [], { env: { PYTHONDONTWRITEBYTECODE: undefined } }));
});
after(async () => {
  await portico?.stop();
  rmSync(tempDir, { recursive: true, force: true });
});

const get = (path: string) => send({ port, path });

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Writes a file of the project (path relative to it) and waits for the reload it causes. */
async function change(file: string, text: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const mark = portico.output.length;
  write(join(projectDir, file), text);
  await portico.waitFor(new RegExp(`Reloaded after a change to ${escapeRegExp(file)}\\n`), {
    from: mark,
    timeoutMs: options.timeoutMs,
  });
}

describe("reloading on change", () => {
  test("editing a handler file: after the Reloaded line the new code answers (Node.js and Python)", async () => {
    assert.equal((await get("/greet")).text, "node v1");
    assert.equal((await get("/py")).text, "py v1");
    await change("fns/greet.mjs", nodeHandler("node v2, edited"));
    assert.equal((await get("/greet")).text, "node v2, edited");
    await change("pyfns/greet.py", pythonHandler("py v2, edited"));
    assert.equal((await get("/py")).text, "py v2, edited");
  });

  test("a Python edit that keeps the file's size within the same second is not served from a stale __pycache__", async () => {
    const file = join(projectDir, "pyfns", "stale.py");
    assert.equal((await get("/py-stale")).text, "answer 1"); // compiles pyfns/__pycache__/stale.*.pyc
    // Python trusts a .pyc whose recorded source size and mtime (whole seconds) match: an edit of the
    // same length saved within the same second as the last one (restored here, for determinism) looks
    // unchanged to it.
    const { atime, mtime } = statSync(file);
    const mark = portico.output.length;
    writeFileSync(file, pythonHandler("answer 2"));
    utimesSync(file, atime, mtime);
    await portico.waitFor(/Reloaded after a change to pyfns\/stale\.py\n/, { from: mark });
    assert.equal((await get("/py-stale")).text, "answer 2", "the new instance ran the stale compiled module");
  });

  test("adding a route to portico.yaml: the new route answers after the reload", async () => {
    assert.equal((await get("/added")).status, 404);
    await change("portico.yaml", config({ routes: ["GET /added: greet"] }));
    const added = await get("/added");
    assert.equal(added.status, 200);
    assert.equal(added.text, (await get("/greet")).text, "served by greet");
  });

  test("a reload that leaves a function's settings and code alone keeps its warm instance", async () => {
    const pidOf = async () => ((await get("/slow")).json() as { pid: number }).pid;
    const before = await pidOf();
    await change("portico.yaml", config({ routes: ["GET /added: greet", "GET /also-added: greet"] }));
    assert.equal((await get("/also-added")).status, 200);
    assert.equal(await pidOf(), before, "slow was not restarted by a change that is not its own");
  });

  test("an invalid portico.yaml is reported with file, key and reason while the last good version serves; fixing it serves again", async () => {
    const served = await get("/greet");
    assert.equal(served.status, 200);

    let mark = portico.output.length;
    write(join(projectDir, "portico.yaml"), config({ greet: "timeout: 0, memry: 256" }));
    await portico.waitFor(
      /Reload failed after a change to portico\.yaml; still serving the last good version\.\n/,
      { from: mark },
    );
    await portico.waitFor(
      /portico\.yaml: functions\.greet\.timeout: must be a whole number of seconds between 1 and 900, got 0/,
      { from: mark },
    );
    await portico.waitFor(/portico\.yaml: functions\.greet\.memry: unknown key \(did you mean `memory`\?\)/, {
      from: mark,
    });
    const during = await get("/greet");
    assert.equal(during.status, 200);
    assert.equal(during.text, served.text);

    mark = portico.output.length;
    write(join(projectDir, "portico.yaml"), "functions:\n  greet: { runtime: nodejs20.x\napis: [\n");
    await portico.waitFor(/Reload failed after a change to portico\.yaml;/, { from: mark });
    await portico.waitFor(/portico\.yaml:\d+:\d+: YAML syntax error: /, { from: mark });
    assert.equal((await get("/greet")).text, served.text);

    await change("portico.yaml", config({ routes: ["GET /fixed: greet"] }));
    const fixed = await get("/fixed");
    assert.equal(fixed.status, 200);
    assert.equal(fixed.text, served.text);
  });

  test("a function added by a reload with its code outside the project directory is watched too", async () => {
    await change(
      "portico.yaml",
      config({
        functions: ["outside: { runtime: nodejs20.x, handler: ext.handler, code: ../outside }"],
        routes: ["GET /outside: outside"],
      }),
    );
    assert.equal((await get("/outside")).text, "outside v1");
    const mark = portico.output.length;
    write(join(outsideDir, "ext.mjs"), nodeHandler("outside v2"));
    await portico.waitFor(/Reloaded after a change to \.\.\/outside\/ext\.mjs\n/, {
      from: mark,
      timeoutMs: 5_000,
    });
    assert.equal((await get("/outside")).text, "outside v2");
  });
});

describe("requests during a reload", () => {
  test("a request in flight completes with 200 and the old code's answer; its instance then stops", async () => {
    const mark = portico.output.length;
    const inFlight = get("/slow?ms=1000");
    let answered = false;
    inFlight.then(
      () => {
        answered = true;
      },
      () => {},
    );
    await portico.waitFor(/\[slow\] .*slow: started/, { from: mark });
    await change("fns/slow.mjs", slowHandler("new"));
    assert.equal(answered, false, "the reload was done while the request was still running");

    const response = await inFlight;
    assert.equal(response.status, 200);
    const old = response.json() as { version: string; pid: number };
    assert.equal(old.version, "old");
    const next = (await get("/slow")).json() as { version: string; pid: number };
    assert.equal(next.version, "new");
    assert.notEqual(next.pid, old.pid);
    await waitForExit(old.pid, 5_000);
  });

  test("many parallel requests during a reload all succeed, on the old code or the new", async () => {
    let reloaded = false;
    /** Sends requests one after another until three have been sent after the reload. */
    const client = async (): Promise<string[]> => {
      const seen: string[] = [];
      for (let afterReload = 0; afterReload < 3; ) {
        if (reloaded) afterReload++;
        const response = await get("/busy");
        seen.push(`${response.status} ${response.text}`);
      }
      return seen;
    };
    const clients = Array.from({ length: 12 }, client);
    try {
      await change("fns/busy.mjs", nodeHandler("busy v2"));
    } finally {
      reloaded = true;
    }
    const answers = await Promise.all(clients);
    const all = answers.flat();
    assert.ok(all.length > 36, `${all.length} requests`);
    for (const answer of all) assert.match(answer, /^200 busy v[12]$/);
    for (const seen of answers) assert.equal(seen.at(-1), "200 busy v2", "requests sent after the reload");
  });
});

describe("refusing to start", () => {
  test("a directory without portico.yaml or template.yaml: exit 1 and one clear line", async () => {
    const empty = join(tempDir, "empty");
    mkdirSync(empty);
    const result = await runPortico(["dev", empty, "--port", "0", "--admin-port", "0"], {
      timeoutMs: 15_000,
    });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(
      result.stderr,
      /^portico: .*no config file found: looked for portico\.yaml, portico\.yml, template\.yaml, template\.yml and a cdk synth STACK\.template\.json in \S+\n$/,
    );
  });

  test("a bad initial config: exit 1, every issue listed with file, key and reason", async () => {
    const bad = join(tempDir, "bad");
    write(join(bad, "fns", "greet.mjs"), nodeHandler("never served"));
    write(
      join(bad, "portico.yaml"),
      [
        "functions:",
        "  greet: { runtime: nodejs20.x, handler: fns/greet.handler, timeout: 0, memry: 256 }",
        "apis:",
        "  app:",
        "    routes:",
        "      GET /greet: greeet",
        "",
      ].join("\n"),
    );
    const result = await runPortico(["dev", bad, "--port", "0", "--admin-port", "0"], { timeoutMs: 15_000 });
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.stdout, /Portico dev: serving/);
    assert.match(result.stderr, /portico\.yaml has 3 problems:/);
    assert.match(
      result.stderr,
      /portico\.yaml: functions\.greet\.timeout: must be a whole number of seconds between 1 and 900, got 0\n/,
    );
    assert.match(result.stderr, /portico\.yaml: functions\.greet\.memry: unknown key/);
    assert.match(
      result.stderr,
      /portico\.yaml: apis\.app\.routes\["GET \/greet"\]: names an unknown function `greeet`/,
    );
  });
});
