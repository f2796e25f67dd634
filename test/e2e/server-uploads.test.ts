/**
 * Uploads to `portico up` are hostile until proven otherwise: entries that escape the project, links that point
 * out of it, and archives past Lambda's limits (50 MB zipped, 250 MB unzipped) are refused with a message, and
 * nothing is deployed.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { type PorticoProcess, startServer } from "../helpers/portico-process.js";
import { rawZip } from "../helpers/zip-bytes.js";

let work: string;
let server: { portico: PorticoProcess; port: number; adminPort: number };

const CONFIG = "functions:\n  f:\n    runtime: nodejs20.x\n    handler: index.handler\n";

before(async () => {
  work = await mkdtemp(join(tmpdir(), "portico-uploads-"));
  server = await startServer(join(work, "data"));
});

after(async () => {
  await server?.portico.stop();
  await rm(work, { recursive: true, force: true });
});

function upload(zip: Buffer) {
  return send({
    port: server.adminPort,
    method: "PUT",
    path: "/v1/projects/evil",
    headers: { "content-type": "application/zip" },
    body: zip,
    timeoutMs: 60_000,
  });
}

async function assertNothingDeployed(): Promise<void> {
  const projects = await send({ port: server.adminPort, path: "/v1/projects" });
  assert.deepEqual(projects.json(), { projects: [] });
}

const escapes: [string, Buffer][] = [
  [
    "a ../ entry",
    rawZip([
      { name: "portico.yaml", data: CONFIG },
      { name: "../escaped.js", data: "x" },
    ]),
  ],
  [
    "an absolute path",
    rawZip([
      { name: "portico.yaml", data: CONFIG },
      { name: "/tmp/escaped.js", data: "x" },
    ]),
  ],
  [
    "a nested ../",
    rawZip([
      { name: "portico.yaml", data: CONFIG },
      { name: "a/../../escaped.js", data: "x" },
    ]),
  ],
  [
    "a symlink to /etc",
    rawZip([
      { name: "portico.yaml", data: CONFIG },
      { name: "index.js", data: "/etc/passwd", mode: 0o120777 },
    ]),
  ],
  [
    "a symlink out through ..",
    rawZip([
      { name: "portico.yaml", data: CONFIG },
      { name: "up", data: "../..", mode: 0o120777 },
    ]),
  ],
];

for (const [what, zip] of escapes) {
  test(`an archive with ${what} is refused with 400, naming the entry, and nothing is deployed`, async () => {
    const answer = await upload(zip);
    assert.equal(answer.status, 400, answer.text);
    const body = answer.json() as { code: string; message: string };
    assert.match(body.code, /^ARCHIVE_/);
    assert.doesNotMatch(answer.text, /\n\s+at /, "no stack trace");
    await assertNothingDeployed();
  });
}

test("an archive declared larger than 50 MB is refused with 413 before it is read", async () => {
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.adminPort,
        method: "PUT",
        path: "/v1/projects/evil",
        headers: { "content-type": "application/zip", "content-length": String(60 * 1024 * 1024) },
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.write(Buffer.alloc(1024));
  });
  assert.equal(answer.status, 413);
  assert.match(answer.body, /larger than 52428800 bytes/);
});

test("an archive that inflates past 250 MB is refused with 413, in Lambda's words", async () => {
  const bomb = rawZip([
    { name: "portico.yaml", data: CONFIG },
    { name: "zeros.bin", data: Buffer.alloc(251 * 1024 * 1024) },
  ]);
  assert.ok(bomb.length < 1024 * 1024, "the bomb itself is small");
  const answer = await upload(bomb);
  assert.equal(answer.status, 413, answer.text);
  assert.match(answer.text, /Unzipped size must be smaller than 262144000 bytes/);
  await assertNothingDeployed();
});
