/**
 * A deploy switches atomically under load: requests in flight finish on the version they began on, new ones see
 * the new version, and not one request fails while it happens.
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startServer } from "../helpers/portico-process.js";

let work: string;
let project: string;
let server: { portico: PorticoProcess; port: number; server: string };

before(async () => {
  work = await mkdtemp(join(tmpdir(), "portico-atomic-"));
  project = join(work, "shop");
  await cp(join(fixturesDir, "projects", "server"), project, { recursive: true });
  server = await startServer(join(work, "data"));
  const first = await runPortico(["deploy", project, "--server", server.server], { timeoutMs: 60_000 });
  assert.equal(first.code, 0, first.stderr);
});

after(async () => {
  await server?.portico.stop();
  await rm(work, { recursive: true, force: true });
});

test("no request fails while a new version is switched in, and the new one serves after", async () => {
  const statuses = new Map<number, number>();
  const versions: string[] = [];
  let deploying = true;
  const client = async () => {
    // Bounded: the deploy below ends well within this, and the loop ends with it.
    const deadline = Date.now() + 60_000;
    while (deploying && Date.now() < deadline) {
      const answer = await send({ port: server.port, path: "/b", headers: { host: "shop.localhost" } });
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 200) versions.push((answer.json() as { version: string }).version);
    }
  };
  const clients = Array.from({ length: 4 }, client);
  await writeFile(join(project, "b", "version.txt"), "2\n");
  const deployed = await runPortico(["deploy", project, "--server", server.server], { timeoutMs: 60_000 });
  assert.equal(deployed.code, 0, deployed.stderr);
  // Keep the load on a little after the switch, so the new version serves some of it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  deploying = false;
  await Promise.all(clients);
  assert.deepEqual([...statuses.keys()], [200], `statuses: ${JSON.stringify([...statuses])}`);
  assert.ok(versions.includes("1") && versions.includes("2"), "both versions served during the test");
  assert.equal(versions.at(-1), "2");
  const after = await send({ port: server.port, path: "/b", headers: { host: "shop.localhost" } });
  assert.equal((after.json() as { version: string }).version, "2");
});
