/** Which routes of which stage a compiled API throttles: a route's own limit over the stage's default, none else. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CompiledApi } from "../../../src/gateway/compiled-api.js";
import type { FunctionIntegration } from "../../../src/gateway/integration.js";
import type { ApiSpec, RouteSpec, StageSpec } from "../../../src/model/index.js";

// Never invoked: these tests only read how the API was compiled.
const integration: FunctionIntegration = {
  invoke: () => Promise.reject(new Error("not invoked in these tests")),
};

function route(routeKey: string): RouteSpec {
  const [method, path] = routeKey.split(" ") as [string, string];
  return { routeKey, method, path, functionName: "f", payloadFormat: "2.0", timeoutMs: 30_000 };
}

function api(kind: ApiSpec["kind"], stages: StageSpec[]): CompiledApi {
  const spec: ApiSpec = {
    name: "shop",
    kind,
    apiId: "abcdefghij",
    cors: null,
    routes: [route("GET /a"), route("GET /b")],
    stages,
    domains: [],
  };
  return new CompiledApi(spec, () => integration);
}

test("an API without throttling has no throttles in any stage", () => {
  const compiled = api("http", [
    { name: "$default", variables: {} },
    { name: "prod", variables: {} },
  ]);
  assert.equal(compiled.defaultStage.throttles, null);
  assert.equal(compiled.namedStages.get("prod")?.throttles, null);
});

test("a route's own limit overrides the stage default; other stages are unaffected", () => {
  const compiled = api("http", [
    { name: "$default", variables: {} },
    {
      name: "prod",
      variables: {},
      throttling: { rateLimit: 10, burstLimit: 20 },
      routeThrottling: { "GET /b": { rateLimit: 0.5, burstLimit: 1 } },
    },
  ]);
  assert.equal(compiled.defaultStage.throttles, null);
  const prod = compiled.namedStages.get("prod")?.throttles;
  const [a, b] = compiled.spec.routes as [RouteSpec, RouteSpec];
  assert.deepEqual(prod?.get(a)?.limit, { rateLimit: 10, burstLimit: 20 });
  assert.deepEqual(prod?.get(b)?.limit, { rateLimit: 0.5, burstLimit: 1 });
});

test("only routes with a setting of their own are throttled when the stage has no default", () => {
  const compiled = api("http", [
    { name: "$default", variables: {}, routeThrottling: { "GET /a": { rateLimit: 1, burstLimit: 1 } } },
  ]);
  const throttles = compiled.defaultStage.throttles;
  const [a, b] = compiled.spec.routes as [RouteSpec, RouteSpec];
  assert.equal(throttles?.size, 1);
  assert.ok(throttles?.get(a));
  assert.equal(throttles?.get(b), undefined);
});

test("a REST API's stage served at the root and at /NAME shares one bucket per route", () => {
  const compiled = api("rest", [
    { name: "$default", variables: {} },
    { name: "Prod", variables: {}, throttling: { rateLimit: 1, burstLimit: 1 } },
  ]);
  const a = compiled.spec.routes[0] as RouteSpec;
  const root = compiled.defaultStage.throttles?.get(a);
  assert.ok(root);
  assert.equal(root, compiled.namedStages.get("Prod")?.throttles?.get(a));
});
