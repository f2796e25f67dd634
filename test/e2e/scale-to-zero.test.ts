/**
 * Scale to zero through `portico dev`: an instance idle for longer than its function's `idleTimeout` is
 * stopped (its process exits), and the next request cold-starts a new one.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";
import { isAlive, waitForExit } from "../helpers/process-exit.js";

const projectDir = mkdtempSync(join(tmpdir(), "portico-scale-to-zero-"));
let portico: PorticoProcess;
let port: number;

before(async () => {
  mkdirSync(join(projectDir, "fns"));
  writeFileSync(
    join(projectDir, "fns", "pid.mjs"),
    `export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, Number(event.queryStringParameters?.ms ?? 0)));
  return { pid: process.pid };
};
`,
  );
  writeFileSync(
    join(projectDir, "fns", "pid.py"),
    'import os\n\n\ndef handler(event, context):\n    return {"pid": os.getpid()}\n',
  );
  writeFileSync(
    join(projectDir, "portico.yaml"),
    [
      "functions:",
      "  nodeIdle: { runtime: nodejs20.x, handler: fns/pid.handler, idleTimeout: 1 }",
      "  pythonIdle: { runtime: python3, handler: fns/pid.handler, idleTimeout: 1 }",
      "  busy: { runtime: nodejs20.x, handler: fns/pid.handler, idleTimeout: 1, timeout: 5 }",
      "apis:",
      "  app:",
      "    routes:",
      "      GET /node: nodeIdle",
      "      GET /python: pythonIdle",
      "      GET /busy: busy",
      "",
    ].join("\n"),
  );
  ({ portico, port } = await startDev(projectDir));
});
after(async () => {
  await portico?.stop();
  rmSync(projectDir, { recursive: true, force: true });
});

/** GET `path`; the function answers with its process id. */
async function pidFrom(path: string): Promise<number> {
  const response = await send({ port, path });
  assert.equal(response.status, 200, response.text);
  return (response.json() as { pid: number }).pid;
}

for (const [runtime, path, name] of [
  ["Node.js", "/node", "nodeIdle"],
  ["Python", "/python", "pythonIdle"],
] as const) {
  test(`${runtime}: an instance idle for idleTimeout (1 s) exits; the next request cold-starts a new one`, async () => {
    const first = await pidFrom(path);
    assert.equal(await pidFrom(path), first, "reused while warm");
    const idleSince = Date.now();
    assert.ok(isAlive(first));

    await waitForExit(first, 2_500);
    const idleMs = Date.now() - idleSince;
    assert.ok(idleMs >= 900, `stopped after ${idleMs} ms idle, before its idle timeout`);

    const mark = portico.output.length;
    const next = await pidFrom(path);
    assert.notEqual(next, first);
    // Lambda marks a cold start with the Init Duration in its REPORT line.
    await portico.waitFor(new RegExp(`\\[${name}\\] REPORT RequestId: .*\\tInit Duration: [\\d.]+ ms`), {
      from: mark,
    });
  });
}

test("a busy instance is not stopped for idleness: an invocation longer than idleTimeout completes", async () => {
  const pid = await pidFrom("/busy?ms=1500");
  assert.ok(isAlive(pid), "still warm right after its invocation");
  await waitForExit(pid, 2_500);
});
