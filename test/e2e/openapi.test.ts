/**
 * End to end through `portico dev`: APIs whose routes exist only in OpenAPI documents (SAM: inline DefinitionBody,
 * AWS::Include, a local DefinitionUri; portico.yaml: apis.NAME.openapi) are served, with their API kind's events.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

// biome-ignore lint/suspicious/noExplicitAny: the fixture function answers loosely typed JSON.
type Json = Record<string, any>;

describe("SAM APIs defined by OpenAPI documents", () => {
  let portico: PorticoProcess;
  let port: number;
  const at = (
    api: string,
    path: string,
    options: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) => send({ port, path, ...options, headers: { host: `${api}.localhost:${port}`, ...options.headers } });

  before(async () => {
    ({ portico, port } = await startDev(join(fixturesDir, "projects", "sam-openapi")));
  });
  after(() => portico.stop());

  test("inline DefinitionBody (HTTP API): a route with payload 2.0, its path parameter and route key", async () => {
    const response = await at("itemsapi", "/items/42");
    assert.equal(response.status, 200);
    const event = response.json() as Json;
    assert.equal(event.version, "2.0");
    assert.equal(event.routeKey, "GET /items/{id}");
    assert.deepEqual(event.pathParameters, { id: "42" });
    assert.equal(event.stage, "$default");
  });

  test("x-amazon-apigateway-any-method with payload 1.0 takes any method", async () => {
    const response = await at("itemsapi", "/v1/a/b", { method: "DELETE" });
    assert.equal(response.status, 200);
    const event = response.json() as Json;
    assert.equal(event.version, "1.0");
    assert.equal(event.httpMethod, "DELETE");
    assert.equal(event.resource, "/v1/{proxy+}");
    assert.deepEqual(event.pathParameters, { proxy: "a/b" });
  });

  test("a path the document does not define is 404 Not Found, as API Gateway answers", async () => {
    const response = await at("itemsapi", "/nothing");
    assert.equal(response.status, 404);
    assert.deepEqual(response.json(), { message: "Not Found" });
  });

  test("x-amazon-apigateway-cors: an allowed origin gets the CORS headers", async () => {
    const response = await at("itemsapi", "/items/1", { headers: { origin: "https://app.example.com" } });
    assert.equal(response.headers["access-control-allow-origin"], "https://app.example.com");
    const other = await at("itemsapi", "/items/1", { headers: { origin: "https://evil.example" } });
    assert.equal(other.headers["access-control-allow-origin"], undefined);
  });

  test("AWS::Include: the included local file's routes are served", async () => {
    const response = await at("includedapi", "/hello");
    assert.equal(response.status, 200);
    const event = response.json() as Json;
    assert.equal(event.routeKey, "GET /hello");
    assert.equal(event.version, "2.0");
  });

  test("DefinitionUri (REST API, Swagger 2): REST's event, at the root and at the stage", async () => {
    for (const [path, stage] of [
      ["/pets/7", "prod"],
      ["/prod/pets/7", "prod"],
    ]) {
      const response = await at("petsapi", path as string);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers["content-type"], "application/json");
      const event = response.json() as Json;
      assert.equal(event.version, null, "a REST proxy event has no version");
      assert.equal(event.resource, "/pets/{petId}");
      assert.deepEqual(event.pathParameters, { petId: "7" });
      assert.equal(event.stage, stage);
    }
  });

  test("a plain ARN naming the function by its logical id serves too; the function's own Api event adds a route", async () => {
    const upload = await at("petsapi", "/upload", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hi",
    });
    assert.equal(upload.status, 200);
    assert.equal((upload.json() as Json).body, "hi");
    assert.equal((upload.json() as Json).isBase64Encoded, false);
    const fromEvent = await at("petsapi", "/from-event");
    assert.equal(fromEvent.status, 200);
    assert.equal((fromEvent.json() as Json).resource, "/from-event");
  });

  test("REST answers a missing route with 403 Missing Authentication Token", async () => {
    const response = await at("petsapi", "/nothing");
    assert.equal(response.status, 403);
    assert.deepEqual(response.json(), { message: "Missing Authentication Token" });
  });
});

describe("portico.yaml: an API's routes from apis.NAME.openapi", () => {
  let portico: PorticoProcess;
  let port: number;

  before(async () => {
    ({ portico, port } = await startDev(join(fixturesDir, "projects", "portico-openapi")));
  });
  after(() => portico.stop());

  test("the document's routes, by function name and by Lambda ARN, beside the API's own", async () => {
    const byName = await send({ port, path: "/orders/9" });
    assert.equal(byName.status, 200);
    assert.equal((byName.json() as Json).routeKey, "GET /orders/{id}");
    assert.deepEqual((byName.json() as Json).pathParameters, { id: "9" });
    const byArn = await send({ port, path: "/orders", method: "POST", body: "{}" });
    assert.equal(byArn.status, 200);
    assert.equal((byArn.json() as Json).version, "1.0");
    const own = await send({ port, path: "/health" });
    assert.equal((own.json() as Json).routeKey, "GET /health");
  });
});
