/** Services through `portico dev`: apps started from source, reached at NAME.localhost through the proxy. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { PorticoProcess } from "../helpers/portico-process.js";

let portico: PorticoProcess;
let port: number;

before(async () => {
  portico = new PorticoProcess([
    "dev",
    join(fixturesDir, "projects", "services"),
    "--port",
    "0",
    "--admin-port",
    "0",
  ]);
  const [, found] = await portico.waitFor(/Service \[web\] Service URL: http:\/\/web\.localhost:(\d+)\//);
  port = Number(found);
  await portico.waitFor(/Watching for changes/);
});
after(() => portico.stop());

interface Echo {
  pid: number;
  headers: Record<string, string>;
  env: Record<string, string>;
}

test("a Node.js app from package.json start gets PORT, K_* and its env, behind forwarded headers", async () => {
  const response = await send({ port, path: "/hello", headers: { host: `web.localhost:${port}` } });
  assert.equal(response.status, 200);
  const echo = response.json() as Echo;
  assert.equal(echo.env.K_SERVICE, "web");
  assert.equal(echo.env.K_CONFIGURATION, "web");
  assert.match(echo.env.K_REVISION as string, /^web-00001-[a-z]{3}$/);
  assert.match(echo.env.PORT as string, /^\d+$/);
  assert.notEqual(Number(echo.env.PORT), port);
  assert.equal(echo.env.MODE, "test");
  assert.equal(echo.headers.host, `web.localhost:${port}`);
  assert.equal(echo.headers["x-forwarded-for"], "127.0.0.1");
  assert.equal(echo.headers["x-forwarded-proto"], "http");
  assert.match(echo.headers.traceparent as string, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  await portico.waitFor(/\[web\] web-00001-[a-z]{3} instance-1: listening on \d+/);
});

test("any language: a Python main.py is started with python3", async () => {
  const response = await send({ port, path: "/", headers: { host: `py.localhost:${port}` } });
  assert.deepEqual(response.json(), { language: "python", service: "py" });
});

test("concurrency 1 scales out to maxInstances; extra requests wait for a free instance", async () => {
  const responses = await Promise.all(
    Array.from({ length: 3 }, () =>
      send({ port, path: "/?wait=300", headers: { host: `solo.localhost:${port}` } }),
    ),
  );
  assert.ok(responses.every((response) => response.status === 200));
  const pids = new Set(responses.map((response) => (response.json() as Echo).pid));
  assert.equal(pids.size, 2);
});

test("a crashed instance fails only its own request (503) and is replaced", async () => {
  const host = `web.localhost:${port}`;
  const before = (await send({ port, path: "/", headers: { host } })).json() as Echo;
  const mark = portico.output.length;
  const crashed = await send({ port, path: "/crash", headers: { host } });
  assert.equal(crashed.status, 503);
  assert.match(
    crashed.text,
    /The request failed because either the HTTP response was malformed or connection to the instance had an error\./,
  );
  await portico.waitFor(/\[web\] web-00001-[a-z]{3} instance-\d+: crashed \(exit code 7\)/, { from: mark });
  const after = (await send({ port, path: "/", headers: { host } })).json() as Echo;
  assert.equal(after.env.K_REVISION, before.env.K_REVISION);
  assert.notEqual(after.pid, before.pid, "a new instance serves");
});

test("an unknown host gets the gateway's 404", async () => {
  const response = await send({ port, path: "/", headers: { host: `nothing.localhost:${port}` } });
  assert.equal(response.status, 404);
});
