/**
 * `--no-observability`: the function's output is still printed, but no access-log line is printed or kept, no log
 * line is stored, and `/metrics` says why it is not there.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { send } from "../helpers/http-client.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

/** Lines are stored in batches at least this often when observability is on. */
const STORE_BATCH_MS = 100;

let dir: string;
let portico: PorticoProcess;
let port: number;
let adminPort: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "portico-observability-off-"));
  await writeFile(
    join(dir, "portico.yaml"),
    "functions:\n  hello: { runtime: nodejs20.x, handler: app.handler }\napis:\n  quiet:\n    routes:\n      GET /hello: hello\n",
  );
  await writeFile(
    join(dir, "app.mjs"),
    `export const handler = async (event, context) => { console.log("served", context.awsRequestId); return { ok: true }; };\n`,
  );
  ({ portico, port, adminPort } = await startDev(dir, ["--access-log", "--no-observability"]));
});
after(async () => {
  await portico?.stop();
  await rm(dir, { recursive: true, force: true });
});

test("--no-observability prints the function's output but keeps, counts and logs nothing", async () => {
  const answer = await send({ port, path: "/hello", headers: { host: `quiet.localhost:${port}` } });
  assert.equal(answer.status, 200);
  const requestId = answer.headers["apigw-requestid"] as string;
  const [, awsRequestId] = await portico.waitFor(/\[hello\] .*served ([0-9a-f-]{36})/);

  const metrics = await send({ port: adminPort, path: "/metrics" });
  assert.equal(metrics.status, 404);
  assert.equal(JSON.parse(metrics.body.toString()).code, "METRICS_OFF");

  // Several batches' time: with observability on, the lines would be stored by now.
  await delay(STORE_BATCH_MS * 5);
  for (const id of [requestId, awsRequestId as string]) {
    const logs = await send({ port: adminPort, path: `/v1/logs?request=${id}` });
    assert.equal(logs.status, 200);
    assert.deepEqual(JSON.parse(logs.body.toString()).logs, []);
  }

  // Stopping flushes any printed access-log line: there is none.
  await portico.stop();
  assert.ok(!portico.output.includes(requestId), portico.output);
});
