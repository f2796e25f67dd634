/**
 * Instance processes as whole process groups, with real processes: a kill reaches children and
 * children that detached themselves, and Portico's exit (normal, or by an uncaught exception) takes
 * every live group with it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { killGroup, spawnGroup } from "../../../src/processes/index.js";
import { repoRoot } from "../../helpers/paths.js";
import { isAlive, waitForExit } from "../../helpers/process-exit.js";

/** A Node.js process that starts a `sleep` child in its group and a detached one, prints the three pids, and stays. */
const PARENT = `
const { spawn } = require("node:child_process");
const attached = spawn("sleep", ["600"], { stdio: "ignore" });
const detached = spawn("sleep", ["600"], { stdio: "ignore", detached: true });
console.log(JSON.stringify([process.pid, attached.pid, detached.pid]));
setInterval(() => {}, 1000);
`;

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(
      () => reject(new Error(`no line within 10 s; got ${JSON.stringify(text)}`)),
      10_000,
    );
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const end = text.indexOf("\n");
      if (end >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, end));
      }
    });
  });
}

test("killGroup ends the leader, its children, and a child that detached into a group of its own", async () => {
  const child = spawnGroup(process.execPath, ["-e", PARENT], { env: process.env });
  const pids = JSON.parse(await firstLine(child.stdout as NodeJS.ReadableStream)) as number[];
  assert.equal(pids[0], child.pid);
  assert.ok(pids.every(isAlive));
  await killGroup(child.pid as number);
  await Promise.all(pids.map((pid) => waitForExit(pid, 5_000)));
});

for (const [how, ending] of [
  ["calls process.exit", "process.exit(0);"],
  ["dies of an uncaught exception", "throw new Error('boom');"],
] as const) {
  test(`when Portico's process ${how}, every group it leads is killed with it`, async () => {
    const processes = join(repoRoot, "dist", "src", "processes", "index.js");
    // Stands in for Portico: starts two instance groups, reports their pids, then ends.
    const portico = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `
const { spawnGroup } = await import(${JSON.stringify(processes)});
const read = (child) => new Promise((resolve) => child.stdout.once("data", (chunk) => resolve(JSON.parse(chunk))));
const groups = [0, 1].map(() => spawnGroup(process.execPath, ["-e", ${JSON.stringify(PARENT)}], { env: process.env }));
console.log(JSON.stringify((await Promise.all(groups.map(read))).flat()));
${ending}
`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const pids = JSON.parse(await firstLine(portico.stdout)) as number[];
    assert.equal(pids.length, 6);
    await new Promise((resolve) => portico.once("exit", resolve));
    await Promise.all(pids.map((pid) => waitForExit(pid, 5_000)));
  });
}
