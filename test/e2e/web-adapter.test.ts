/**
 * A SAM function behind AWS's Lambda Web Adapter layer, as a hostile app would run it: an app that dies before
 * it listens fails the init with its reason in the log; a request that kills the app fails alone, and the next
 * one gets a new instance; Portico killed with SIGKILL leaves no app behind.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { startDev } from "../helpers/portico-process.js";
import { waitForExit } from "../helpers/process-exit.js";

const projectDir = join(fixturesDir, "web-adapter");

function pidDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "portico-web-adapter-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const appPids = (dir: string) => readdirSync(dir).map((file) => Number.parseInt(file, 10));

test("an app that exits before it listens fails the init, saying so in the function's log", async (t) => {
  const { portico, port } = await startDev(projectDir, [
    "--parameter-overrides",
    "FailStart=yes",
    "--parameter-overrides",
    `PidDir=${pidDir(t)}`,
  ]);
  t.after(() => portico.stop());
  const response = await send({ port, method: "GET", path: "/items" });
  assert.equal(response.status, 500);
  await portico.waitFor(/\[Web\] WebAdapter\.AppNotReady: the web app exited with code 3 before it answered/);
  await portico.waitFor(/INIT_REPORT .*Status: error\tError Type: WebAdapter\.AppNotReady/);
});

test("a request that kills the app fails alone; the next gets a new instance; SIGKILL leaves no app behind", async (t) => {
  const pids = pidDir(t);
  const { portico, port } = await startDev(projectDir, ["--parameter-overrides", `PidDir=${pids}`]);
  t.after(() => portico.stop());
  const get = async (path: string) => {
    const response = await send({ port, method: "GET", path });
    return [response.status, response.text];
  };
  assert.deepEqual(await get("/a?x=1"), [200, "hello /a?x=1"]);
  assert.deepEqual(await get("/crash"), [500, '{"message":"Internal Server Error"}']);
  assert.deepEqual(await get("/b"), [200, "hello /b"]);
  assert.equal(appPids(pids).length, 2, "the crashed app's instance was replaced by a new one");

  portico.child.kill("SIGKILL");
  for (const pid of appPids(pids)) await waitForExit(pid, 5_000);
});
