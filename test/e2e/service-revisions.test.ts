/** A service's revisions in `portico dev`: a change deploys a new one; one that cannot start never takes traffic. */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { PorticoProcess } from "../helpers/portico-process.js";

const projectDir = mkdtempSync(join(tmpdir(), "portico-revisions-"));
const serverFile = join(projectDir, "web", "server.js");
let portico: PorticoProcess;
let port: number;

before(async () => {
  for (const dir of ["web", "api"]) {
    cpSync(join(fixturesDir, "projects", "services", "web"), join(projectDir, dir), { recursive: true });
  }
  writeFileSync(
    join(projectDir, "portico.yaml"),
    "services:\n  web:\n    source: web\n  api:\n    source: api\n",
  );
  portico = new PorticoProcess(["dev", projectDir, "--port", "0", "--admin-port", "0"]);
  const [, found] = await portico.waitFor(/Service \[web\] Service URL: http:\/\/web\.localhost:(\d+)\//);
  port = Number(found);
  await portico.waitFor(/Watching for changes/);
});
after(async () => {
  await portico.stop();
  rmSync(projectDir, { recursive: true, force: true });
});

async function revision(service = "web"): Promise<string> {
  const response = await send({ port, path: "/", headers: { host: `${service}.localhost:${port}` } });
  assert.equal(response.status, 200);
  return (response.json() as { env: { K_REVISION: string } }).env.K_REVISION;
}

test("a revision that cannot start never takes traffic; the next good change does", async () => {
  assert.match(await revision(), /^web-00001-[a-z]{3}$/);
  const working = readFileSync(serverFile, "utf8");

  let mark = portico.output.length;
  writeFileSync(serverFile, 'console.error("missing configuration"); process.exit(1);\n');
  await portico.waitFor(
    /Reload failed after a change to web\/server\.js; still serving the last good version\./,
    {
      from: mark,
    },
  );
  await portico.waitFor(/Container failed to start/, { from: mark });
  await portico.waitFor(/missing configuration/, { from: mark });
  assert.match(await revision(), /^web-00001-[a-z]{3}$/, "the previous revision keeps serving");

  mark = portico.output.length;
  writeFileSync(serverFile, working);
  await portico.waitFor(/Reloaded after a change to web\/server\.js/, { from: mark });
  assert.match(await revision(), /^web-00003-[a-z]{3}$/, "revisions are numbered, the failed one included");
});

test("files saved together in two services' sources give each a new revision", async () => {
  const before = { web: await revision("web"), api: await revision("api") };
  const mark = portico.output.length;
  // As `sed -i` saves: a temporary file beside the target, renamed over it.
  const edited = `${readFileSync(serverFile, "utf8")}\n// edited\n`;
  const temporary = join(projectDir, "web", "sedX1y2Z3");
  writeFileSync(temporary, edited);
  renameSync(temporary, serverFile);
  writeFileSync(join(projectDir, "api", "server.js"), edited);
  await portico.waitFor(/Reloaded after a change to (web|api)\/server\.js and 1 other file\n/, {
    from: mark,
  });
  await portico.waitFor(
    /Service \[web\] revision \[web-\d{5}-[a-z]{3}\] has been deployed and is serving 100 percent/,
    { from: mark },
  );
  await portico.waitFor(
    /Service \[api\] revision \[api-00002-[a-z]{3}\] has been deployed and is serving 100 percent/,
    { from: mark },
  );
  assert.notEqual(await revision("web"), before.web);
  assert.match(await revision("api"), /^api-00002-[a-z]{3}$/);
});
