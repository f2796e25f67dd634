/** The README tutorial, step by step, against examples/items-api: the same requests, the answers it shows. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { repoRoot } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";

const exampleDir = join(repoRoot, "examples", "items-api");
// The example keeps its SQLite file in the temporary directory: give this run its own.
const tempDir = mkdtempSync(join(tmpdir(), "portico-tutorial-"));
let portico: PorticoProcess;
let port: number;

before(async () => {
  ({ portico, port } = await startDev(exampleDir, [], { env: { TMPDIR: tempDir } }));
});
after(async () => {
  await portico.stop();
  rmSync(tempDir, { recursive: true, force: true });
});

test("dev prints the invoke URL and the routes", () => {
  assert.match(portico.output, /API items \(stage \$default\): http:\/\/localhost:\d+\//);
  for (const route of ["GET /hello", "GET /items ", "GET /items/{id}", "POST /items", "DELETE /items/{id}"]) {
    assert.ok(portico.output.includes(route), `route ${route} listed`);
  }
});

test("GET /hello answers the Lambda console's hello function", async () => {
  const response = await send({ port, path: "/hello" });
  assert.equal(response.status, 200);
  assert.equal(response.text, '"Hello from Lambda!"');
  await portico.waitFor(/\[hello\] REPORT RequestId: .*Init Duration: [\d.]+ ms/);
});

test("create, list, get and delete an item; it persists across requests", async () => {
  const created = await send({
    port,
    path: "/items",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"name": "pen", "price": 1.5}',
  });
  assert.equal(created.status, 201);
  const item = created.json() as { id: string; name: string; price: number };
  assert.deepEqual({ name: item.name, price: item.price }, { name: "pen", price: 1.5 });
  assert.match(item.id, /^[0-9a-f-]{36}$/);
  assert.equal(created.text, `{"id": "${item.id}", "name": "pen", "price": 1.5}`);

  const listed = await send({ port, path: "/items" });
  assert.equal(listed.text, `[{"id": "${item.id}", "name": "pen", "price": 1.5}]`);

  const got = await send({ port, path: `/items/${item.id}` });
  assert.equal(got.status, 200);
  assert.deepEqual(got.json(), item);

  const deleted = await send({ port, path: `/items/${item.id}`, method: "DELETE" });
  assert.equal(deleted.text, `{"message": "Deleted item ${item.id}"}`);
  assert.equal((await send({ port, path: `/items/${item.id}` })).status, 404);
});

test("errors: the function's 404 and 400, the gateway's 404", async () => {
  const missing = await send({ port, path: "/items/nope" });
  assert.equal(missing.status, 404);
  assert.equal(missing.text, '{"message": "Item nope not found"}');

  const bad = await send({ port, path: "/items", method: "POST", body: "oops" });
  assert.equal(bad.status, 400);
  assert.equal(
    bad.text,
    '{"message": "The request body must be JSON, e.g. {\\"name\\": \\"pen\\", \\"price\\": 1.5}"}',
  );

  const nowhere = await send({ port, path: "/nowhere" });
  assert.equal(nowhere.status, 404);
  assert.equal(nowhere.text, '{"message":"Not Found"}');
});

test("a function that throws: Lambda's error object from portico invoke", async () => {
  const result = await runPortico(["invoke", "getItem", "--dir", exampleDir, "--event", "{}"]);
  assert.equal(result.code, 1);
  const error = JSON.parse(result.stdout) as {
    errorType: string;
    errorMessage: string;
    stackTrace: string[];
  };
  assert.equal(error.errorType, "KeyError");
  assert.equal(error.errorMessage, "'pathParameters'");
  assert.match(error.stackTrace[0] as string, /items\.py", line \d+, in get_item/);
  assert.match(result.stderr, /portico: function getItem failed with KeyError/);
  assert.doesNotMatch(result.stderr, /exited unexpectedly/);
});

test("CORS: the gateway answers the preflight for an allowed origin", async () => {
  const response = await send({
    port,
    path: "/items",
    method: "OPTIONS",
    headers: { origin: "http://localhost:8080", "access-control-request-method": "POST" },
  });
  assert.equal(response.status, 204);
  assert.equal(response.headers["access-control-allow-origin"], "http://localhost:8080");
  assert.equal(response.headers["access-control-allow-methods"], "GET,POST,DELETE");
  assert.equal(response.headers["access-control-allow-headers"], "content-type");
  assert.equal(response.headers["access-control-max-age"], "300");
});
