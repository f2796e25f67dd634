/** Which API a request on the bare host goes to when several APIs share it, and SAM's CORS mock methods. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { BareHostRouting } from "../../../src/gateway/bare-host.js";
import { CompiledApi } from "../../../src/gateway/compiled-api.js";
import { isBareHost } from "../../../src/gateway/host-dispatch.js";
import type { FunctionIntegration } from "../../../src/gateway/integration.js";
import type { ApiSpec, CorsSpec, RouteSpec } from "../../../src/model/index.js";

// Never invoked: these tests only read how requests are routed.
const integration: FunctionIntegration = {
  invoke: () => Promise.reject(new Error("not invoked in these tests")),
};

function route(routeKey: string): RouteSpec {
  const [method, path] =
    routeKey === "$default" ? ["$default", null] : (routeKey.split(" ") as [string, string]);
  return { routeKey, method, path, functionName: "f", payloadFormat: "1.0", timeoutMs: 29_000 };
}

function api(
  name: string,
  kind: ApiSpec["kind"],
  routeKeys: string[],
  options: Partial<ApiSpec> = {},
): CompiledApi {
  const spec: ApiSpec = {
    name,
    kind,
    apiId: `${name}xxxxxxxxxx`.slice(0, 10),
    cors: null,
    routes: routeKeys.map(route),
    stages: [{ name: "$default", variables: {} }],
    domains: [],
    ...options,
  };
  return new CompiledApi(spec, () => integration);
}

function chosen(routing: BareHostRouting, method: string, path: string): string {
  const choice = routing.choose(method, path);
  if ("api" in choice) return choice.api.spec.name;
  return "none" in choice ? "none" : `ambiguous: ${choice.ambiguous.join("; ")}`;
}

test("the bare host is loopback by any name, with any port, or no Host at all", () => {
  for (const host of [
    "localhost",
    "localhost:3000",
    "127.0.0.1:3000",
    "[::1]:3000",
    "LOCALHOST",
    undefined,
  ]) {
    assert.equal(isBareHost(host), true, String(host));
  }
  for (const host of ["items.localhost:3000", "example.test", "10.0.0.2:3000"]) {
    assert.equal(isBareHost(host), false, host);
  }
});

test("across APIs a literal path beats variables, which beat a greedy path, which beats $default", () => {
  const routing = new BareHostRouting([
    api("literal", "http", ["GET /items/special"]),
    api("variable", "http", ["GET /items/{id}"]),
    api("greedy", "http", ["ANY /items/{proxy+}"]),
    api("fallback", "http", ["$default"]),
  ]);
  assert.equal(chosen(routing, "GET", "/items/special"), "literal");
  assert.equal(chosen(routing, "GET", "/items/7"), "variable");
  assert.equal(chosen(routing, "POST", "/items/7"), "greedy");
  assert.equal(chosen(routing, "GET", "/elsewhere"), "fallback");
});

test("equally good routes in two APIs are ambiguous, and no match is none", () => {
  const routing = new BareHostRouting([
    api("a", "rest", ["GET /same"]),
    api("b", "rest", ["GET /same", "GET /b"]),
  ]);
  assert.equal(chosen(routing, "GET", "/same"), "ambiguous: a: GET /same; b: GET /same");
  assert.equal(chosen(routing, "GET", "/b"), "b");
  assert.equal(chosen(routing, "GET", "/nothing"), "none");
});

test("a path that starts with an API's stage is matched after the stage segment", () => {
  const staged = api("staged", "rest", ["GET /items"], {
    stages: [
      { name: "$default", variables: {} },
      { name: "v1", variables: {} },
    ],
  });
  const routing = new BareHostRouting([staged, api("other", "rest", ["GET /v2/items"])]);
  assert.equal(chosen(routing, "GET", "/v1/items"), "staged");
  assert.equal(chosen(routing, "GET", "/items"), "staged");
  assert.equal(chosen(routing, "GET", "/v2/items"), "other");
});

test("a REST API's CORS mock methods answer OPTIONS on its paths only, as a literal OPTIONS method", () => {
  const cors: CorsSpec = {
    allowOrigins: ["*"],
    allowMethods: [],
    allowHeaders: [],
    exposeHeaders: [],
    maxAge: undefined,
    allowCredentials: false,
  };
  const files = api("files", "rest", ["GET /files/{name}", "DELETE /files/{name}", "OPTIONS /own"], { cors });
  assert.deepEqual(files.restPreflight("OPTIONS", "/files/a.txt/")?.headers, [
    ["Content-Type", "application/json"],
    ["Access-Control-Allow-Origin", "*"],
    ["Access-Control-Allow-Methods", "DELETE,GET,OPTIONS"],
  ]);
  assert.equal(files.restPreflight("OPTIONS", "/files"), null, "no method on /files: no mock either");
  assert.equal(files.restPreflight("OPTIONS", "/own"), null, "the path's own OPTIONS method answers");
  assert.equal(files.restPreflight("GET", "/files/a.txt"), null);
  const routing = new BareHostRouting([files, api("catchall", "rest", ["ANY /{proxy+}"])]);
  assert.equal(chosen(routing, "OPTIONS", "/files/a.txt"), "files");
  assert.equal(chosen(routing, "OPTIONS", "/elsewhere"), "catchall");
});
