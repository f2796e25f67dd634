/** Functions and APIs as Cloud Run services running Portico: one per API, its manifest, and its warnings. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  apiServiceManifest,
  apiServiceWarnings,
  planApiServices,
} from "../../../src/export/gcp/api-services.js";
import type { ApiSpec, FunctionSpec, Project, RouteSpec } from "../../../src/model/index.js";
import { knativeServiceProblems } from "../../helpers/knative-schema.js";

function fn(name: string, memoryMb = 128): FunctionSpec {
  return {
    name,
    runtime: "nodejs",
    runtimeId: "nodejs20.x",
    handler: "index.handler",
    codeDir: "/p/src",
    timeoutSeconds: 3,
    memoryMb,
    environment: {},
    concurrency: 10,
    idleTimeoutSeconds: 300,
  };
}

function route(routeKey: string, functionName: string, timeoutMs = 30_000): RouteSpec {
  const [method = "", path = null] = routeKey.split(" ");
  return { routeKey, method, path, functionName, payloadFormat: "2.0", timeoutMs };
}

function api(name: string, routes: RouteSpec[], extra: Partial<ApiSpec> = {}): ApiSpec {
  return {
    name,
    kind: "http",
    apiId: "abcdefghij",
    cors: null,
    routes,
    stages: [{ name: "$default", variables: {} }],
    domains: [],
    ...extra,
  };
}

function project(functions: FunctionSpec[], apis: ApiSpec[], services: string[] = []): Project {
  return {
    rootDir: "/p",
    configFile: "/p/portico.yaml",
    functions: new Map(functions.map((f) => [f.name, f])),
    apis,
    services: new Map(services.map((name) => [name, {} as never])),
  };
}

describe("planApiServices", () => {
  test("one service per API, with the functions its routes and Lambda authorizers invoke", () => {
    const items = api("items", [route("GET /items", "list")], {
      authorizers: [
        {
          name: "auth",
          type: "lambda",
          functionName: "authorize",
          requestType: "REQUEST",
          payloadFormat: "2.0",
          simpleResponses: true,
          identitySources: [],
          resultTtlSeconds: 0,
        },
      ],
    });
    const other = api("other", [route("GET /x", "x")]);
    const plan = planApiServices(
      project([fn("list"), fn("x"), fn("authorize"), fn("cron")], [items, other]),
      new Set(),
    );
    assert.deepEqual(
      plan.services.map((service) => [service.name, service.functions.map((f) => f.name)]),
      [
        ["items", ["list", "authorize"]],
        ["other", ["x"]],
      ],
    );
    assert.deepEqual(plan.warnings, [
      {
        subject: "function cron",
        reason:
          "is not exported: no API route or authorizer invokes it, and Cloud Run serves HTTP only; put it behind a route, or run it with `portico invoke`",
      },
    ]);
  });

  test("an API whose name Cloud Run refuses, or a service took, gets another, and a warning", () => {
    const plan = planApiServices(project([fn("f")], [api("9lives", [route("GET /", "f")])]), new Set());
    assert.equal(plan.services[0]?.name, "api-9lives");
    assert.match(plan.warnings[0]?.reason ?? "", /^is served by the Cloud Run service api-9lives/);
    assert.equal(plan.warnings[0]?.subject, "API 9lives");
  });
});

describe("apiServiceManifest", () => {
  test("the API's longest integration timeout, its functions' memory together, Cloud Run's scaling defaults", () => {
    const items = api("items", [route("GET /a", "a", 5_000), route("GET /b", "b", 12_500)]);
    const plan = planApiServices(project([fn("a", 512), fn("b", 256)], [items]), new Set());
    const manifest = apiServiceManifest(plan.services[0] as never);
    assert.equal(manifest.metadata.name, "items");
    assert.equal(manifest.spec.template.spec.timeoutSeconds, 13);
    assert.equal(manifest.spec.template.spec.containerConcurrency, 80);
    const [container] = manifest.spec.template.spec.containers;
    assert.deepEqual(container.resources, { limits: { memory: "768Mi" } });
    assert.equal(container.image, "REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy/items");
    assert.equal(container.env, undefined);
    assert.deepEqual(knativeServiceProblems(manifest), []);
  });
});

describe("apiServiceWarnings", () => {
  test("shared instances, per-instance throttling, a local JWKS file and domains are warned of", () => {
    const items = api("items", [route("GET /a", "a")], {
      stages: [{ name: "$default", variables: {}, throttling: { rateLimit: 10, burstLimit: 20 } }],
      domains: ["api.example.com"],
      authorizers: [
        {
          name: "jwt",
          type: "jwt",
          identitySource: "$request.header.Authorization",
          issuer: "https://issuer.example.com",
          audience: ["a"],
          jwksFile: "/p/jwks.json",
        },
      ],
    });
    const plan = planApiServices(project([fn("a")], [items]), new Set());
    const warnings = apiServiceWarnings(plan.services[0] as never);
    assert.deepEqual(
      warnings.map((warning) => warning.subject),
      ["API items", "API items", "API items authorizer jwt", "API items"],
    );
    assert.match(warnings[0]?.reason ?? "", /functions share each Cloud Run instance of items.*a 10/);
    assert.match(
      warnings[1]?.reason ?? "",
      /^throttling \(stage \$default\) is enforced by each Cloud Run instance/,
    );
    assert.match(warnings[2]?.reason ?? "", /keys of its `jwks` file/);
    assert.match(warnings[3]?.reason ?? "", /domains \(api\.example\.com\)/);
  });
});
