/**
 * `portico up` and `portico deploy` as a self-hosting user runs them: deploy a project from another directory,
 * redeploy with one function changed (the other stays warm), the same content again (a no-op), a deploy that
 * cannot start (the old version keeps serving), and a restart or `kill -9` (the same state, served).
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startServer } from "../helpers/portico-process.js";

let work: string;
let data: string;
let project: string;
let server: { portico: PorticoProcess; port: number; adminPort: number; server: string };

const get = (path: string) => send({ port: server.port, path, headers: { host: "shop.localhost" } });
const deploy = (...args: string[]) =>
  runPortico(["deploy", project, "--server", server.server, ...args], { timeoutMs: 60_000 });

before(async () => {
  work = await mkdtemp(join(tmpdir(), "portico-up-"));
  data = join(work, "data");
  project = join(work, "shop");
  await cp(join(fixturesDir, "projects", "server"), project, { recursive: true });
  server = await startServer(data);
});

after(async () => {
  await server?.portico.stop();
  await rm(work, { recursive: true, force: true });
});

test("deploy: uploads the project, prints its invoke URL, and serves it", async () => {
  const result = await deploy();
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Deployed project shop \(\d+ files, [\d.]+ MB, sha256:[0-9a-f]{12}\)\./);
  assert.match(
    result.stdout,
    new RegExp(`API shop \\(stage \\$default\\): http://shop\\.localhost:${server.port}/`),
  );
  const answer = await get("/a");
  assert.equal(answer.status, 200);
  assert.equal((answer.json() as { fn: string }).fn, "a");
  // .gitignore and .porticoignore kept these out of the archive.
  assert.equal((answer.json() as { ignored: boolean[] }).ignored.join(), "false,false");
});

test("deploy: the same content again changes nothing and says so", async () => {
  const result = await deploy();
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Project shop is unchanged/);
});

test("deploy: only the changed function restarts; the other keeps its warm instance", async () => {
  const pidOf = async (path: string) => ((await get(path)).json() as { pid: number }).pid;
  const [a, b] = [await pidOf("/a"), await pidOf("/b")];
  await writeFile(join(project, "b", "version.txt"), "2\n");
  const result = await deploy();
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Functions: 1 updated \(shop-b v2\), 1 unchanged\./);
  assert.equal(await pidOf("/a"), a, "a kept its instance");
  assert.notEqual(await pidOf("/b"), b, "b runs its new version");
  assert.equal(((await get("/b")).json() as { version: string }).version, "2");
});

test("deploy: a handler that cannot load refuses the deploy, and the version serving stays", async () => {
  const broken = join(work, "broken");
  await cp(project, broken, { recursive: true });
  await writeFile(join(broken, "a", "index.mjs"), "throw new Error('cannot load this');\n");
  const result = await runPortico(["deploy", broken, "--name", "shop", "--server", server.server], {
    timeoutMs: 60_000,
  });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Function shop-a cannot start: [\w.]+: cannot load this/);
  const answer = await get("/a");
  assert.equal(answer.status, 200);
  assert.equal((answer.json() as { fn: string }).fn, "a");
});

test("ls lists the project's functions and API; invoke --server runs a deployed function", async () => {
  const listed = await runPortico(["ls", "--server", server.server]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /shop\s+function\s+shop-a\s+v1 nodejs20\.x index\.handler/);
  assert.match(listed.stdout, /shop\s+function\s+shop-b\s+v2/);
  assert.match(listed.stdout, new RegExp(`shop\\s+api\\s+shop\\s+http://shop\\.localhost:${server.port}/`));
  const invoked = await runPortico([
    "invoke",
    "shop-a",
    "--server",
    server.server,
    "--event",
    '{"rawPath":"/x"}',
  ]);
  assert.equal(invoked.code, 0, invoked.stderr);
  assert.equal((JSON.parse(JSON.parse(invoked.stdout).body) as { fn: string }).fn, "a");
});

test("a restart serves exactly the last committed state", async () => {
  await server.portico.stop();
  server = await startServer(data);
  assert.match(server.portico.output, /Serving 1 project\(s\): 2 function\(s\), 1 API\(s\), 0 service\(s\)/);
  assert.equal(((await get("/b")).json() as { version: string }).version, "2");
});

test("after kill -9, the restarted server serves the same state", async () => {
  server.portico.child.kill("SIGKILL");
  await server.portico.exited;
  server = await startServer(data);
  assert.equal(((await get("/b")).json() as { version: string }).version, "2");
  assert.equal(((await get("/a")).json() as { fn: string }).fn, "a");
});

test("rm removes the project and everything it deployed", async () => {
  const removed = await runPortico(["rm", "shop", "--server", server.server]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /Removed project shop, function shop-a, function shop-b, api shop\./);
  const listed = await runPortico(["ls", "--server", server.server]);
  assert.match(listed.stdout, /Nothing is deployed yet/);
});

test("archives no record names any more are deleted, once no instance runs from them", async () => {
  const zips = join(data, "artifacts", "zips");
  // Collected once the removed project's instances have stopped: bounded polling, as nothing announces it.
  const deadline = Date.now() + 15_000;
  let left = await readdir(zips);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = await readdir(zips);
  }
  assert.deepEqual(left, []);
});
