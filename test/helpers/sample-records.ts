/** Desired-state records of each kind, as a deploy would write them, for store tests. */
import type { ApiRecord, FunctionRecord, ProjectRecord, ServiceRecord } from "../../src/model/index.js";

export function projectRecord(name: string, digest = "d1"): ProjectRecord {
  return {
    name,
    artifact: null,
    configFile: "portico.yaml",
    digest,
    deployedAt: "2026-01-02T03:04:05.000Z",
  };
}

export function functionRecord(name: string, version = 1): FunctionRecord {
  return {
    name,
    project: "shop",
    version,
    key: `key-${name}-${version}`,
    config: {
      name,
      runtime: "nodejs",
      runtimeId: "nodejs20.x",
      handler: "src/app.handler",
      timeoutSeconds: 3,
      memoryMb: 128,
      environment: { TABLE: "items", "WITH SPACE": "é ✓ \u0000 end" },
      concurrency: 10,
      idleTimeoutSeconds: 300,
    },
    code: { artifact: "ab".repeat(32), path: "", digest: "cd".repeat(32) },
    modifiedAt: "2026-01-02T03:04:05.000+0000",
    aws: { Description: "lists items", Architectures: ["x86_64"], Layers: [] },
    permissions: { s1: { Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" } } },
  };
}

export function apiRecord(name: string, deployment = 1): ApiRecord {
  return {
    name,
    project: null,
    spec: {
      name,
      kind: "http",
      apiId: "abcdefghij",
      cors: {
        allowOrigins: ["*"],
        allowMethods: ["GET"],
        allowHeaders: [],
        exposeHeaders: [],
        maxAge: 600,
        allowCredentials: false,
      },
      routes: [
        {
          routeKey: "GET /items/{id}",
          method: "GET",
          path: "/items/{id}",
          functionName: "items",
          payloadFormat: "2.0",
          timeoutMs: 30000,
        },
        {
          routeKey: "$default",
          method: "$default",
          path: null,
          functionName: "fallback",
          payloadFormat: "1.0",
          timeoutMs: 50,
        },
      ],
      stages: [{ name: "$default", variables: {} }],
      domains: [],
    },
    deployment,
    createdAt: "2026-01-02T03:04:05.000Z",
    deployedAt: "2026-01-02T03:04:06.000Z",
  };
}

export function serviceRecord(name: string, generation = 1): ServiceRecord {
  const revisions = Array.from({ length: generation }, (_, index) => ({
    name: `${name}-0000${index + 1}-abc`,
    generation: index + 1,
    createdAt: "2026-01-02T03:04:05.000Z",
    config: {
      name,
      command: "node server.js",
      image: null,
      functionTarget: null,
      env: {},
      concurrency: 80,
      minInstances: 0,
      maxInstances: 3,
      timeoutSeconds: 300,
      idleTimeoutSeconds: 900,
      startupTimeoutSeconds: 240,
      public: true,
      domains: ["web.example.test"],
    },
    source: { artifact: null, path: "/srv/web", digest: "ef".repeat(32) },
    key: `rev-key-${index + 1}`,
    status: index === 0 ? ("FAILED" as const) : ("READY" as const),
    ...(index === 0 ? { message: "exited with code 1" } : {}),
  }));
  return {
    name,
    project: "shop",
    generation,
    revisions,
    traffic: {
      split: [{ revision: revisions[revisions.length - 1]?.name ?? "LATEST", percent: 100 }],
      tags: { blue: "LATEST" },
    },
    createdAt: "2026-01-02T03:04:05.000Z",
  };
}
