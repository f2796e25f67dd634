/** End to end through `portico dev`: SAM projects as the AWS docs write them run unchanged. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

// biome-ignore lint/suspicious/noExplicitAny: the fixture functions answer loosely typed JSON.
type Json = Record<string, any>;

describe("sam init: Python hello world on a REST Api event", () => {
  let portico: PorticoProcess;
  let port: number;

  before(async () => {
    ({ portico, port } = await startDev(join(fixturesDir, "projects", "sam-hello-python")));
  });
  after(() => portico.stop());

  test("curl /hello gives 200 and the template's body", async () => {
    const response = await send({ port, path: "/hello" });
    assert.equal(response.status, 200);
    assert.equal(response.text, '{"message": "hello world"}');
    assert.deepEqual(response.json(), { message: "hello world" });
    // The template's Globals set LoggingConfig.LogFormat: JSON, so the REPORT line is Lambda's JSON record.
    await portico.waitFor(
      /\[HelloWorldFunction\] \{"time":"[^"]+","type":"platform\.report","record":\{"requestId":"[0-9a-f-]{36}","metrics":\{"durationMs":/,
    );
  });

  test("the implicit ServerlessRestApi's Prod stage is served at /Prod/", async () => {
    await portico.waitFor(
      new RegExp(`API serverlessrestapi \\(stage Prod\\): http://localhost:${port}/Prod/\n`),
    );
    const response = await send({ port, path: "/Prod/hello" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { message: "hello world" });
  });

  test("a REST API defaults the Content-Type of a response without one to application/json", async () => {
    // aws.md §0.5: HTTP APIs default to text/plain; REST APIs (an `Api` event) to application/json, and
    // `sam local start-api` does the same. `curl -i` on the tutorial's endpoint shows it.
    const response = await send({ port, path: "/hello" });
    assert.equal(response.headers["content-type"], "application/json");
  });

  test("the URL in the template's Outputs (/Prod/hello/, with its trailing slash) answers", async () => {
    // REST APIs ignore a trailing slash (aws.md §0.12); the SAM tutorial curls exactly this URL.
    const response = await send({ port, path: "/Prod/hello/" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { message: "hello world" });
  });
});

describe("Node.js HttpApi with Globals, CorsConfiguration, StageName and a $default route", () => {
  let portico: PorticoProcess;
  let port: number;
  const allowed = "https://app.example.com";

  before(async () => {
    ({ portico, port } = await startDev(join(fixturesDir, "projects", "sam-http-api-node")));
  });
  after(() => portico.stop());

  test("StageName (a Parameter) is a path segment: in rawPath and requestContext.stage, not the route key", async () => {
    await portico.waitFor(new RegExp(`API itemsapi \\(stage v1\\): http://localhost:${port}/v1/\n`));
    const response = await send({ port, path: "/v1/items/42" });
    assert.equal(response.status, 200);
    const item = response.json() as Json;
    assert.equal(item.id, "42");
    assert.equal(item.routeKey, "GET /items/{id}");
    assert.equal(item.rawPath, "/v1/items/42");
    assert.equal(item.stage, "v1");
  });

  test("the same deployment is served at the root as the $default stage, as sam local serves it", async () => {
    const item = (await send({ port, path: "/items/42" })).json() as Json;
    assert.equal(item.routeKey, "GET /items/{id}");
    assert.equal(item.rawPath, "/items/42");
    assert.equal(item.stage, "$default");
  });

  test("Globals merge into each function: !Ref to a Parameter, merged Environment, MemorySize, Timeout", async () => {
    const item = (await send({ port, path: "/v1/items/7" })).json() as Json;
    assert.equal(item.table, "items-table", "TABLE_NAME: !Ref TableName takes the parameter's Default");
    assert.equal(item.service, "items", "Globals variables are kept");
    assert.equal(item.access, "read-only", "the function's own variables are merged in");
    assert.equal(item.memory, "256");
    assert.ok(item.remainingMs > 3000 && item.remainingMs <= 5000, `Timeout 5 s, got ${item.remainingMs} ms`);
    const fallback = (await send({ port, path: "/v1/other" })).json() as Json;
    assert.equal(fallback.table, "items-table", "a function without Environment still gets Globals'");
  });

  test("CorsConfiguration: an allowed origin gets the CORS headers, another origin none", async () => {
    const response = await send({ port, path: "/v1/items/42", headers: { origin: allowed } });
    assert.equal(response.status, 200);
    assert.equal(response.headers["access-control-allow-origin"], allowed);
    assert.equal(response.headers["access-control-expose-headers"], "x-item-version");
    assert.equal(response.headers["x-item-version"], "3");
    const other = await send({ port, path: "/v1/items/42", headers: { origin: "https://evil.example" } });
    assert.equal(other.status, 200);
    assert.equal(other.headers["access-control-allow-origin"], undefined);
    assert.equal(other.headers["access-control-expose-headers"], undefined);
  });

  test("an event without Path and Method is the $default route: it catches unmatched paths and methods", async () => {
    const unmatched = await send({ port, path: "/v1/anything/else?x=1", method: "POST", body: "{}" });
    assert.equal(unmatched.status, 404, "the fallback function's own status");
    const event = unmatched.json() as Json;
    assert.deepEqual(event, {
      fallback: true,
      routeKey: "$default",
      method: "POST",
      rawPath: "/v1/anything/else",
      stage: "v1",
      table: "items-table",
    });
    const otherMethod = (await send({ port, path: "/v1/items/42", method: "DELETE" })).json() as Json;
    assert.equal(otherMethod.routeKey, "$default", "GET /items/{id} does not match DELETE");
  });

  test("with a $default route, a CORS preflight reaches the function (aws.md §0.14), with CORS headers added", async () => {
    const response = await send({
      port,
      path: "/v1/items/42",
      method: "OPTIONS",
      headers: { origin: allowed, "access-control-request-method": "POST" },
    });
    const event = response.json() as Json;
    assert.equal(event.routeKey, "$default");
    assert.equal(event.method, "OPTIONS");
    assert.equal(response.headers["access-control-allow-origin"], allowed);
  });
});

describe("Node.js functions on REST Api events get API Gateway's REST proxy event and REST's answers", () => {
  let portico: PorticoProcess;
  let port: number;

  before(async () => {
    ({ portico, port } = await startDev(join(fixturesDir, "projects", "sam-rest-api-node")));
  });
  after(() => portico.stop());

  test("resource, stage, requestContext.path and path parameters under /Prod/", async () => {
    const response = await send({ port, path: "/Prod/items/42?a=1" });
    assert.equal(response.status, 200);
    const event = response.json() as Json;
    assert.equal(event.resource, "/items/{id}");
    assert.equal(event.httpMethod, "GET");
    assert.deepEqual(event.pathParameters, { id: "42" });
    assert.deepEqual(event.multiValueQueryStringParameters, { a: ["1"] });
    assert.equal(event.requestContext.stage, "Prod");
    assert.equal(event.requestContext.path, "/Prod/items/42");
    assert.equal(event.requestContext.resourcePath, "/items/{id}");
  });

  test("`path` leaves out the stage and there is no `version`, as in captured REST events", async () => {
    // test/fixtures/aws/events-rest/rest-post-no-auth.json: `path` "/no-auth", `requestContext.path`
    // "/prod/no-auth", no `version` key (aws.md §10). Web adapters route on `path` (serverless-http,
    // hono/aws-lambda), so an Express app behind a REST API sees "/Prod/items/42" and answers 404.
    const event = (await send({ port, path: "/Prod/items/42" })).json() as Json;
    assert.equal(event.path, "/items/42");
    assert.equal("version" in event, false);
  });

  test("REST ids: a UUID requestId sent as x-amzn-RequestId, the short id as x-amz-apigw-id, no apigw-requestid", async () => {
    const first = await send({ port, path: "/Prod/items/42" });
    const event = first.json() as Json;
    const context = event.requestContext;
    assert.match(context.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(context.extendedRequestId, /^[A-Za-z0-9_-]{15}=$/);
    assert.equal(first.headers["x-amzn-requestid"], context.requestId);
    assert.equal(first.headers["x-amz-apigw-id"], context.extendedRequestId);
    assert.equal(first.headers["x-amzn-trace-id"], event.headers["X-Amzn-Trace-Id"]);
    assert.equal(first.headers["apigw-requestid"], undefined);
    assert.match(context.resourceId, /^[a-z0-9]{6}$/);
    assert.match(context.deploymentId, /^[a-z0-9]{6}$/);
    assert.equal("cognitoAmr" in context.identity, false);
    const second = (await send({ port, path: "/Prod/items/7" })).json() as Json;
    assert.equal(second.requestContext.resourceId, context.resourceId, "stable per resource");
    assert.equal(second.requestContext.deploymentId, context.deploymentId, "stable per API");
    assert.notEqual(second.requestContext.requestId, context.requestId);
  });

  test("served at the root, the REST API is its Prod stage: stage Prod, no stage segment in either path", async () => {
    const event = (await send({ port, path: "/items/42" })).json() as Json;
    assert.equal(event.requestContext.stage, "Prod");
    assert.equal(event.path, "/items/42");
    assert.equal(event.requestContext.path, "/items/42");
  });

  test("one trailing slash is ignored for matching and kept in the event's path", async () => {
    const response = await send({ port, path: "/Prod/items/42/" });
    assert.equal(response.status, 200);
    const event = response.json() as Json;
    assert.equal(event.resource, "/items/{id}");
    assert.deepEqual(event.pathParameters, { id: "42" });
    assert.equal(event.path, "/items/42/");
  });

  test("no route is 403 Missing Authentication Token (REST), not an HTTP API's 404", async () => {
    for (const [method, path] of [
      ["GET", "/Prod/nothing/here"],
      ["GET", "/nothing"],
      ["POST", "/Prod/items/42"],
      ["GET", "/Prod/items"],
    ] as const) {
      const response = await send({ port, path, method });
      assert.equal(response.status, 403, `${method} ${path}`);
      assert.equal(response.text, '{"message":"Missing Authentication Token"}');
      assert.equal(response.headers["content-type"], "application/json");
      assert.match(String(response.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    }
  });

  test('a function error is 502 {"message": "Internal server error"}, REST\'s exact body', async () => {
    const mark = portico.output.length;
    const response = await send({ port, path: "/Prod/fail" });
    assert.equal(response.status, 502);
    assert.equal(response.text, '{"message": "Internal server error"}');
    assert.equal(response.headers["content-type"], "application/json");
    await portico.waitFor(/\[FailFunction\] REPORT RequestId: [0-9a-f-]{36}\t/, { from: mark });
  });

  test("a malformed proxy response is the same 502, and the reason is logged", async () => {
    const mark = portico.output.length;
    const response = await send({ port, path: "/Prod/malformed" });
    assert.equal(response.status, 502);
    assert.equal(response.text, '{"message": "Internal server error"}');
    await portico.waitFor(
      /MalformedFunction: malformed Lambda proxy response \(statusCode must be an integer from 100 to 599, got "ok"\); answered 502/,
      { from: mark },
    );
  });
});
