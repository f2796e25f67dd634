/**
 * The admin API's v1 resources as a client sees them: an API made from portico.yaml-style settings and served,
 * validation errors naming each field, 404 for what does not exist, 409 for a stale If-Match or a resource a
 * project owns, and an OpenAPI document that lists every route.
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
let server: { portico: PorticoProcess; port: number; adminPort: number; server: string };

before(async () => {
  work = await mkdtemp(join(tmpdir(), "portico-admin-v1-"));
  await cp(join(fixturesDir, "projects", "server"), join(work, "shop"), { recursive: true });
  server = await startServer(join(work, "data"));
  const deployed = await runPortico(["deploy", join(work, "shop"), "--server", server.server], {
    timeoutMs: 60_000,
  });
  assert.equal(deployed.code, 0, deployed.stderr);
});

after(async () => {
  await server?.portico.stop();
  await rm(work, { recursive: true, force: true });
});

function admin(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return send({
    port: server.adminPort,
    method,
    path,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

type ErrorBody = { code: string; message: string };

test("PUT /v1/apis/NAME makes an API from portico.yaml's settings, served at NAME.localhost", async () => {
  const made = await admin("PUT", "/v1/apis/front", {
    routes: { "GET /hello": "shop-a" },
    stages: { beta: {} },
  });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual(
    (made.json() as { stages: { stage: string; url: string }[] }).stages.map((stage) => stage.url),
    [`http://front.localhost:${server.port}/`, `http://front.localhost:${server.port}/beta/`],
  );
  const served = await send({ port: server.port, path: "/beta/hello", headers: { host: "front.localhost" } });
  assert.equal(served.status, 200);
  assert.equal((served.json() as { fn: string }).fn, "a");

  const onlyCreate = { "if-none-match": "*" };
  const taken = await admin("PUT", "/v1/apis/front", { routes: { "GET /other": "shop-a" } }, onlyCreate);
  assert.equal(taken.status, 409, taken.text);
  assert.equal((taken.json() as ErrorBody).code, "API_EXISTS");
  const kept = (await admin("GET", "/v1/apis/front")).json() as { spec: { routes: { path: string }[] } };
  assert.deepEqual(
    kept.spec.routes.map((route) => route.path),
    ["/hello"],
    "left as it was",
  );
});

test("POST /v1/apis/NAME/test sends a request to a stage through the gateway and answers what came back", async () => {
  const tested = await admin("POST", "/v1/apis/shop/test", {
    method: "get",
    path: "/a?x=1",
    headers: { "x-probe": "yes" },
  });
  assert.equal(tested.status, 200, tested.text);
  const answer = tested.json() as {
    status: number;
    headers: [string, string][];
    body: string;
    isBase64Encoded: boolean;
    latencyMs: number;
    requestId: string;
  };
  assert.equal(answer.status, 200);
  assert.equal((JSON.parse(answer.body) as { fn: string }).fn, "a");
  assert.equal(answer.isBase64Encoded, false);
  assert.ok(answer.latencyMs > 0);
  assert.match(answer.requestId, /^[A-Za-z0-9_-]+=$/, "API Gateway's request id, from apigw-requestid");
  assert.ok(
    answer.headers.some(
      ([name, value]) => name.toLowerCase() === "apigw-requestid" && value === answer.requestId,
    ),
  );

  const missing = await admin("POST", "/v1/apis/shop/test", { method: "GET", path: "/nowhere" });
  assert.equal(
    (missing.json() as { status: number; body: string }).status,
    404,
    "the gateway's own 404, passed on",
  );
  const noStage = await admin("POST", "/v1/apis/shop/test", { stage: "prod", method: "GET", path: "/a" });
  assert.equal(noStage.status, 404);
  assert.equal((noStage.json() as ErrorBody).code, "STAGE_NOT_FOUND");
  const ownHost = await admin("POST", "/v1/apis/shop/test", {
    method: "GET",
    path: "a",
    headers: { Host: "x" },
  });
  assert.equal(ownHost.status, 400);
  assert.match((ownHost.json() as ErrorBody).message, /path: must start with \//);
  assert.match((ownHost.json() as ErrorBody).message, /headers\.Host: is set by the test itself/);
  // What node:http would refuse to send is a 400 naming the field, never an internal error.
  const unsendable = await admin("POST", "/v1/apis/shop/test", {
    method: "GET",
    path: "/a b",
    headers: { "bad name": "x", "x-split": "a\r\nInjected: yes" },
  });
  assert.equal(unsendable.status, 400, unsendable.text);
  assert.deepEqual(
    (unsendable.json() as { issues: { key: string }[] }).issues.map((issue) => issue.key).sort(),
    ["headers.bad name", "headers.x-split", "path"],
  );
});

test("POST /v1/functions/NAME/invocations answers the payload with its request id, duration and log", async () => {
  const invoked = await admin("POST", "/v1/functions/shop-a/invocations", { from: "admin" });
  assert.equal(invoked.status, 200, invoked.text);
  const answer = invoked.json() as { payload: string; requestId: string; durationMs: number; log: string };
  assert.equal((JSON.parse(answer.payload) as { statusCode: number }).statusCode, 200);
  assert.match(answer.requestId, /^[0-9a-f-]{36}$/);
  assert.ok(answer.durationMs > 0);
  assert.match(answer.log, new RegExp(`^START RequestId: ${answer.requestId} Version: \\$LATEST\n`));
  assert.match(answer.log, new RegExp(`REPORT RequestId: ${answer.requestId}\tDuration: `));
});

test("PUT /v1/apis/NAME/cors replaces the API's CORS settings alone, each problem by its key", async () => {
  const refused = await admin("PUT", "/v1/apis/front/cors", {
    allowOrigins: ["https://a.example"],
    maxAge: "x",
  });
  assert.equal(refused.status, 400, refused.text);
  assert.deepEqual(
    (refused.json() as { issues: { key: string }[] }).issues.map((issue) => issue.key),
    ["cors.maxAge"],
  );
  const changed = await admin("PUT", "/v1/apis/front/cors", {
    allowOrigins: ["https://a.example"],
    maxAge: 60,
  });
  assert.equal(changed.status, 200, changed.text);
  const spec = (
    changed.json() as { spec: { cors: { allowOrigins: string[]; maxAge: number }; routes: unknown[] } }
  ).spec;
  assert.deepEqual(
    [spec.cors.allowOrigins, spec.cors.maxAge, spec.routes.length],
    [["https://a.example"], 60, 1],
  );
  const preflight = await send({
    port: server.port,
    method: "OPTIONS",
    path: "/hello",
    headers: {
      host: "front.localhost",
      origin: "https://a.example",
      "access-control-request-method": "GET",
    },
  });
  assert.equal(preflight.headers["access-control-allow-origin"], "https://a.example");
  assert.equal(
    (await admin("PUT", "/v1/apis/shop/cors", {})).status,
    409,
    "a project's API is changed in it",
  );
});

test("a body with several problems is a 400 naming each field at fault", async () => {
  const refused = await admin("PUT", "/v1/apis/front", {
    routes: { "GET /x": "nope", "FETCH /y": "shop-a" },
    cors: { maxAge: "a day" },
    extra: true,
  });
  assert.equal(refused.status, 400, refused.text);
  const { message } = refused.json() as ErrorBody;
  assert.match(message, /routes\["GET \/x"\]: names an unknown function `nope`/);
  assert.match(message, /routes\["FETCH \/y"\]/);
  assert.match(message, /cors\.maxAge/);
  assert.match(message, /extra: unknown key/);
  const issues = (refused.json() as { issues: { key: string; reason: string }[] }).issues;
  assert.deepEqual(
    issues.map((issue) => issue.key).sort(),
    ['routes["GET /x"]', 'routes["FETCH /y"]', "cors.maxAge", "extra"].sort(),
    "each problem by its key, for a client to show beside the field",
  );
  const patch = await admin("PATCH", "/v1/functions/shop-a", { memory: 64, timeout: "soon" });
  assert.equal(patch.status, 400, patch.text);
  assert.match((patch.json() as ErrorBody).message, /memory: .*between 128 and 10240/);
  assert.match((patch.json() as ErrorBody).message, /timeout: /);
});

test("unknown resources are 404; resources a project owns are changed through the project (409)", async () => {
  for (const path of ["/v1/apis/nope", "/v1/functions/nope", "/v1/services/nope", "/v1/projects/nope"]) {
    const missing = await admin("GET", path);
    assert.equal(missing.status, 404, `${path}: ${missing.text}`);
  }
  const owned = await admin("PATCH", "/v1/functions/shop-a", { memory: 256 });
  assert.equal(owned.status, 409);
  assert.equal((owned.json() as ErrorBody).code, "OWNED_BY_PROJECT");
  const removing = await admin("DELETE", "/v1/functions/shop-a", undefined, {
    "content-type": "application/json",
  });
  assert.equal(removing.status, 409);
});

test("a write with a stale If-Match is a 409; with the current ETag it goes through", async () => {
  const read = await admin("GET", "/v1/apis/front");
  const etag = read.headers.etag as string;
  assert.match(etag, /^"[\w-]+"$/);
  const changed = await admin(
    "PUT",
    "/v1/apis/front",
    { routes: { "GET /hello": "shop-b" } },
    { "if-match": etag },
  );
  assert.equal(changed.status, 200, changed.text);
  const stale = await admin(
    "PUT",
    "/v1/apis/front",
    { routes: { "GET /hello": "shop-a" } },
    { "if-match": etag },
  );
  assert.equal(stale.status, 409);
  assert.equal((stale.json() as ErrorBody).code, "PRECONDITION_FAILED");
  const served = await send({ port: server.port, path: "/hello", headers: { host: "front.localhost" } });
  assert.equal((served.json() as { fn: string }).fn, "b", "the stale write changed nothing");
});

test("GET /openapi.json describes every v1 route", async () => {
  const document = (await admin("GET", "/openapi.json")).json() as {
    openapi: string;
    paths: Record<string, object>;
  };
  assert.equal(document.openapi, "3.1.0");
  for (const [path, method] of [
    ["/v1/projects/{name}", "put"],
    ["/v1/apis/{name}", "put"],
    ["/v1/functions/{name}/code", "put"],
    ["/v1/services/{name}/traffic", "patch"],
  ] as const) {
    assert.ok((document.paths[path] as Record<string, unknown> | undefined)?.[method], `${method} ${path}`);
  }
});
