/**
 * Services on `portico up`: revisions deployed from uploaded source, a traffic split and tags, all still there
 * after a restart, with the same revision names, and served.
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startServer } from "../helpers/portico-process.js";

let work: string;
let source: string;
let server: { portico: PorticoProcess; port: number; server: string };

before(async () => {
  work = await mkdtemp(join(tmpdir(), "portico-up-services-"));
  source = join(work, "web");
  await cp(join(fixturesDir, "projects", "services", "web"), source, { recursive: true });
  server = await startServer(join(work, "data"));
});

after(async () => {
  await server?.portico.stop();
  await rm(work, { recursive: true, force: true });
});

const cli = (...args: string[]) => runPortico([...args, "--server", server.server], { timeoutMs: 60_000 });

async function describe(): Promise<{
  revisions: { name: string; percent: number; tags: string[] }[];
  traffic: unknown;
}> {
  const result = await cli("services", "describe", "web", "--json");
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

async function servedRevision(host = "web.localhost"): Promise<string> {
  const answer = await send({ port: server.port, headers: { host } });
  assert.equal(answer.status, 200, answer.text);
  return (answer.json() as { env: { K_REVISION: string } }).env.K_REVISION;
}

test("revisions, traffic and tags deployed to up survive a restart, with the same names", async () => {
  const first = await cli("services", "deploy", "web", "--source", source);
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stdout,
    /Service \[web\] revision \[web-00001-[a-z]{3}\] has been deployed and is serving 100 percent of traffic\./,
  );
  const second = await cli(
    "services",
    "deploy",
    "web",
    "--source",
    source,
    "--no-traffic",
    "--tag",
    "canary",
  );
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /serving 0 percent of traffic/);
  const before = await describe();
  const [newest, oldest] = before.revisions.map((revision) => revision.name);
  const split = await cli("services", "update-traffic", "web", "--to-revisions", `${oldest}=50,${newest}=50`);
  assert.equal(split.code, 0, split.stderr);
  const configured = await describe();

  await server.portico.stop();
  server = await startServer(join(work, "data"));
  assert.match(server.portico.output, /1 service\(s\)/);

  const after = await describe();
  assert.deepEqual(after.traffic, configured.traffic);
  assert.deepEqual(
    after.revisions.map(({ name, percent, tags }) => ({ name, percent, tags })),
    configured.revisions.map(({ name, percent, tags }) => ({ name, percent, tags })),
  );
  const served = new Set<string>();
  for (let i = 0; i < 4; i++) served.add(await servedRevision());
  assert.deepEqual([...served].sort(), [newest, oldest].sort(), "both revisions serve their half");
  assert.equal(await servedRevision(`canary---web.localhost`), newest);
});
