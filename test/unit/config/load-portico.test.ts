import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { DEFAULTS } from "../../../src/config/defaults.js";
import { ConfigError, findConfigFile, loadConfig, loadProject } from "../../../src/config/index.js";
import type { ApiSpec, FunctionSpec, ServiceSpec } from "../../../src/model/index.js";
import { fixturesDir } from "../../helpers/paths.js";

const items = join(fixturesDir, "config", "portico-items");

describe("portico.yaml", () => {
  test("the items project becomes exactly this model", async () => {
    const project = await loadProject(items);
    assert.equal(project.rootDir, items);
    assert.equal(project.configFile, join(items, "portico.yaml"));
    assert.deepEqual([...project.functions.keys()], ["getItem", "createItem", "files", "fallback"]);
    const functions: FunctionSpec[] = [
      {
        name: "getItem",
        runtime: "python3",
        runtimeId: "python3",
        handler: "items.get_item",
        codeDir: join(items, "src"),
        timeoutSeconds: 5,
        memoryMb: 256,
        environment: { TABLE: "items", PAGE_SIZE: "25", DEBUG: "false" },
        concurrency: 4,
        idleTimeoutSeconds: 60,
      },
      {
        name: "createItem",
        runtime: "nodejs",
        runtimeId: "nodejs20.x",
        handler: "create.handler",
        codeDir: join(items, "src"),
        timeoutSeconds: 3,
        memoryMb: 128,
        environment: {},
        concurrency: 10,
        idleTimeoutSeconds: 300,
      },
      {
        name: "files",
        runtime: "provided",
        runtimeId: "provided.al2023",
        handler: "provided",
        codeDir: join(items, "bin"),
        timeoutSeconds: 3,
        memoryMb: 128,
        environment: {},
        concurrency: 10,
        idleTimeoutSeconds: 300,
      },
      {
        name: "fallback",
        runtime: "nodejs",
        runtimeId: "nodejs",
        handler: "index.handler",
        codeDir: items,
        timeoutSeconds: 3,
        memoryMb: 128,
        environment: {},
        concurrency: 10,
        idleTimeoutSeconds: 300,
      },
    ];
    assert.deepEqual([...project.functions.values()], functions);
    const apis: ApiSpec[] = [
      {
        name: "items",
        kind: "http",
        apiId: "4uxm1d9vgr",
        cors: {
          allowOrigins: ["*"],
          allowMethods: ["GET", "POST"],
          allowHeaders: ["content-type"],
          exposeHeaders: [],
          maxAge: 300,
          allowCredentials: false,
        },
        routes: [
          {
            routeKey: "GET /items/{id}",
            method: "GET",
            path: "/items/{id}",
            functionName: "getItem",
            payloadFormat: "2.0",
            timeoutMs: 30000,
          },
          {
            routeKey: "POST /items",
            method: "POST",
            path: "/items",
            functionName: "createItem",
            payloadFormat: "1.0",
            timeoutMs: 5000,
          },
          {
            routeKey: "ANY /files/{proxy+}",
            method: "ANY",
            path: "/files/{proxy+}",
            functionName: "files",
            payloadFormat: "2.0",
            timeoutMs: 30000,
          },
          {
            routeKey: "$default",
            method: "$default",
            path: null,
            functionName: "fallback",
            payloadFormat: "2.0",
            timeoutMs: 30000,
          },
        ],
        stages: [
          { name: "$default", variables: { TABLE: "items_dev" } },
          { name: "prod", variables: { TABLE: "items_prod" } },
        ],
        domains: ["api.example.test"],
      },
      {
        name: "admin",
        kind: "http",
        apiId: "5du9c4g1i3",
        cors: null,
        routes: [
          {
            routeKey: "GET /",
            method: "GET",
            path: "/",
            functionName: "fallback",
            payloadFormat: "2.0",
            timeoutMs: 30000,
          },
        ],
        stages: [{ name: "$default", variables: {} }],
        domains: [],
      },
    ];
    assert.deepEqual(project.apis, apis);
    assert.deepEqual([...project.services.keys()], ["web", "shop", "worker", "landing"]);
    const services: ServiceSpec[] = [
      {
        name: "web",
        sourceDir: join(items, "web"),
        command: "python3 app.py",
        image: null,
        functionTarget: null,
        env: {},
        concurrency: 80,
        minInstances: 0,
        maxInstances: 100,
        timeoutSeconds: 300,
        idleTimeoutSeconds: 900,
        startupTimeoutSeconds: 240,
        public: true,
        domains: [],
      },
      {
        name: "shop",
        sourceDir: join(items, "web"),
        command: "gunicorn -b :8080 main:app",
        image: null,
        functionTarget: "hello_http",
        env: { MODE: "prod", WORKERS: "2", DEBUG: "false" },
        concurrency: 20,
        minInstances: 1,
        maxInstances: 5,
        timeoutSeconds: 60,
        idleTimeoutSeconds: 120,
        startupTimeoutSeconds: 30,
        public: false,
        domains: ["shop.example.test"],
      },
      {
        name: "worker",
        sourceDir: items,
        command: null,
        image: "ghcr.io/acme/worker:1.2",
        functionTarget: null,
        env: {},
        concurrency: 80,
        minInstances: 0,
        maxInstances: 100,
        timeoutSeconds: 300,
        idleTimeoutSeconds: 900,
        startupTimeoutSeconds: 240,
        public: true,
        domains: [],
      },
      {
        name: "landing",
        sourceDir: items,
        command: null,
        image: null,
        functionTarget: null,
        env: {},
        concurrency: 80,
        minInstances: 0,
        maxInstances: 100,
        timeoutSeconds: 300,
        idleTimeoutSeconds: 900,
        startupTimeoutSeconds: 240,
        public: true,
        domains: [],
      },
    ];
    assert.deepEqual([...project.services.values()], services);
  });

  test("the result is deep-frozen", async () => {
    const project = await loadProject(items);
    const fn = project.functions.get("getItem") as FunctionSpec;
    const api = project.apis[0] as ApiSpec;
    for (const value of [
      project,
      fn,
      fn.environment,
      project.apis,
      api,
      api.routes,
      api.routes[0],
      api.stages[0],
    ]) {
      assert.ok(Object.isFrozen(value));
    }
    assert.ok(Object.isFrozen(api.cors?.allowOrigins));
    assert.ok(Object.isFrozen(project.functions));
    const functions = project.functions as Map<string, FunctionSpec>;
    assert.throws(() => functions.set("x", fn), TypeError);
    assert.throws(() => functions.delete("getItem"), TypeError);
    assert.throws(() => functions.clear(), TypeError);
    assert.equal(project.functions.size, 4);
    const service = project.services.get("shop") as ServiceSpec;
    for (const value of [project.services, service, service.env, service.domains]) {
      assert.ok(Object.isFrozen(value));
    }
    const services = project.services as Map<string, ServiceSpec>;
    assert.throws(() => services.set("x", service), /the project's services are frozen/);
    assert.throws(() => services.delete("shop"), TypeError);
    assert.throws(() => services.clear(), TypeError);
    assert.equal(project.services.size, 4);
  });

  test("public: false loads, with a warning that it is not enforced", async () => {
    const { warnings } = await loadConfig(items);
    assert.deepEqual(warnings, [
      {
        file: join(items, "portico.yaml"),
        key: "services.shop.public",
        reason: "false is not enforced yet: the service answers every caller, without a token",
      },
    ]);
  });

  test("portico.yml is read too, and nothing is warned about", async () => {
    const dir = join(fixturesDir, "config", "portico-yml");
    const { project, warnings } = await loadConfig(dir);
    assert.equal(project.configFile, join(dir, "portico.yml"));
    assert.deepEqual([...project.functions.keys()], ["hello"]);
    assert.deepEqual(project.apis, []);
    assert.deepEqual([...project.services], []);
    assert.deepEqual(warnings, []);
  });

  test("defaults are the documented ones", () => {
    assert.deepEqual(
      {
        timeout: DEFAULTS.function.timeoutSeconds,
        memory: DEFAULTS.function.memoryMb,
        concurrency: DEFAULTS.function.concurrency,
        idleTimeout: DEFAULTS.function.idleTimeoutSeconds,
        code: DEFAULTS.function.code,
        payloadFormat: DEFAULTS.api.payloadFormat,
        integrationTimeout: DEFAULTS.api.integrationTimeoutMs,
        service: DEFAULTS.service,
      },
      {
        timeout: 3,
        memory: 128,
        concurrency: 10,
        idleTimeout: 300,
        code: ".",
        payloadFormat: "2.0",
        integrationTimeout: 30000,
        service: {
          source: ".",
          concurrency: 80,
          minInstances: 0,
          maxInstances: 100,
          timeoutSeconds: 300,
          idleTimeoutSeconds: 900,
          startupTimeoutSeconds: 240,
          public: true,
        },
      },
    );
  });

  test("a relative directory gives absolute paths", async () => {
    const project = await loadProject(relative(process.cwd(), items) || ".");
    assert.equal(project.rootDir, items);
    assert.equal(project.functions.get("getItem")?.codeDir, join(items, "src"));
    assert.equal(project.services.get("web")?.sourceDir, join(items, "web"));
    assert.equal(project.services.get("landing")?.sourceDir, items);
  });

  test("API ids are ten lowercase alphanumerics, stable per name", async () => {
    const [first, second] = await Promise.all([loadProject(items), loadProject(items)]);
    for (const api of first.apis) assert.match(api.apiId, /^[a-z0-9]{10}$/);
    assert.deepEqual(
      first.apis.map((api) => api.apiId),
      second.apis.map((api) => api.apiId),
    );
    assert.notEqual(first.apis[0]?.apiId, first.apis[1]?.apiId);
  });
});

describe("finding the config file", () => {
  const cases: [string, string | undefined][] = [
    ["portico-items", "portico.yaml"],
    ["portico-yml", "portico.yml"],
    ["sam-hello-world", "template.yaml"],
    ["no-config", undefined],
    ["does-not-exist", undefined],
  ];
  for (const [dir, expected] of cases) {
    test(`${dir} → ${expected ?? "none"}`, async () => {
      const root = join(fixturesDir, "config", dir);
      assert.equal(await findConfigFile(root), expected === undefined ? undefined : join(root, expected));
    });
  }

  test("a directory without a config file says which files were looked for", async () => {
    const root = join(fixturesDir, "config", "no-config");
    await assert.rejects(loadProject(root), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.code, "CONFIG_INVALID");
      assert.equal(error.file, root);
      assert.equal(
        error.message,
        `no-config: no config file found: looked for portico.yaml, portico.yml, template.yaml, template.yml and a cdk synth STACK.template.json in ${root}`,
      );
      return true;
    });
  });

  test("a missing directory is named", async () => {
    const root = join(fixturesDir, "config", "does-not-exist");
    await assert.rejects(loadProject(root), {
      name: "ConfigError",
      message: `does-not-exist: project directory does not exist: ${root}`,
    });
  });
});
