/** A service from an OCI image through `portico dev`: served at NAME.localhost, revisions, no container left. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { detectContainerEngine } from "../../src/services/container-engine.js";
import { nodeAppImage } from "../helpers/container-image.js";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { PorticoProcess } from "../helpers/portico-process.js";

const run = promisify(execFile);
const found = await detectContainerEngine().catch((error: unknown) => error as Error);
const skip = found instanceof Error ? `no working container engine here: ${found.message}` : false;
const projectDir = mkdtempSync(join(tmpdir(), "portico-image-"));
after(() => rmSync(projectDir, { recursive: true, force: true }));

test("an image service answers at NAME.localhost; a config change deploys a new revision; exit removes the containers", {
  skip,
  timeout: 120_000,
}, async () => {
  const engine = found as Exclude<typeof found, Error>;
  const image = await nodeAppImage(engine, join(fixturesDir, "services", "container-echo", "server.mjs"));
  const config = join(projectDir, "portico.yaml");
  writeFileSync(config, `services:\n  echo:\n    image: ${image.ref}\n    env: { MODE: from-config }\n`);
  const portico = new PorticoProcess(["dev", projectDir, "--port", "0", "--admin-port", "0"]);
  try {
    // Starting a container takes the engine seconds, more on a busy machine.
    const [, found] = await portico.waitFor(
      /Service \[echo\] Service URL: http:\/\/echo\.localhost:(\d+)\//,
      {
        timeoutMs: 60_000,
      },
    );
    const port = Number(found);
    const ask = async () => {
      const response = await send({ port, path: "/hi", headers: { host: `echo.localhost:${port}` } });
      assert.equal(response.status, 200, response.text);
      return response.json() as Record<string, string>;
    };
    const first = await ask();
    assert.equal(first.K_SERVICE, "echo");
    assert.match(first.K_REVISION as string, /^echo-00001-[a-z]{3}$/);
    assert.equal(first.MODE, "from-config", "the service's env overrides the image's ENV");
    assert.equal(first.GREETING, "hello from the image");
    assert.equal(first.path, "/hi");

    const mark = portico.output.length;
    writeFileSync(config, `services:\n  echo:\n    image: ${image.ref}\n    env: { MODE: changed }\n`);
    await portico.waitFor(
      /Service \[echo\] revision \[echo-00002-[a-z]{3}\] has been deployed and is serving 100 percent of traffic\./,
      { from: mark, timeoutMs: 60_000 },
    );
    const second = await ask();
    assert.equal(second.MODE, "changed");
    assert.match(second.K_REVISION as string, /^echo-00002-[a-z]{3}$/);
  } finally {
    await portico.stop();
  }
  const { stdout } = await run(engine.program, [
    "ps",
    "-a",
    "--filter",
    "label=portico.service=echo",
    "--format",
    "{{.Names}}",
  ]);
  assert.equal(stdout.trim(), "", "no container is left once portico dev has exited");
});
