import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ConfigError, loadConfig, loadProject, removeGeneratedCode } from "../../../src/config/index.js";
import { AWS_REGION, type FunctionSpec } from "../../../src/model/index.js";
import { fixturesDir } from "../../helpers/paths.js";

const fixture = (name: string) => join(fixturesDir, "config", name);

describe("SAM template", () => {
  test("the sam init hello-world template", async () => {
    const dir = fixture("sam-hello-world");
    const { project, warnings } = await loadConfig(dir);
    assert.equal(project.configFile, join(dir, "template.yaml"));
    assert.deepEqual(
      [...project.functions.values()],
      [
        {
          name: "HelloWorldFunction",
          runtime: "python3",
          runtimeId: "python3.12",
          handler: "app.lambda_handler",
          codeDir: join(dir, "hello_world"),
          timeoutSeconds: 3,
          memoryMb: 128,
          environment: {},
          concurrency: 10,
          idleTimeoutSeconds: 300,
        },
      ],
    );
    assert.deepEqual(project.apis, [
      {
        name: "serverlessrestapi",
        kind: "rest",
        apiId: "bful7ts1qu",
        cors: null,
        routes: [
          {
            routeKey: "GET /hello",
            method: "GET",
            path: "/hello",
            functionName: "HelloWorldFunction",
            payloadFormat: "1.0",
            timeoutMs: 29000,
          },
        ],
        stages: [
          { name: "$default", variables: {} },
          { name: "Prod", variables: {} },
        ],
        domains: [],
      },
    ]);
    assert.deepEqual(warnings, []);
  });

  test("a SAM template describes no services", async () => {
    for (const name of ["sam-hello-world", "sam-http-api", "sam-rest-api"]) {
      const project = await loadProject(fixture(name));
      assert.deepEqual([...project.services], [], name);
      assert.ok(Object.isFrozen(project.services));
    }
  });

  describe("an HTTP API with Globals, CORS, a named stage and parameters", async () => {
    const dir = fixture("sam-http-api");
    const { project, warnings } = await loadConfig(dir);
    const fn = (name: string) => project.functions.get(name) as FunctionSpec;

    test("functions merge Globals: primitives replaced, maps merged with the resource winning", () => {
      assert.deepEqual(
        [...project.functions.keys()],
        ["GetItemFunction", "CatchAllFunction", "HealthFunction"],
      );
      assert.deepEqual(fn("GetItemFunction"), {
        name: "GetItemFunction",
        runtime: "nodejs",
        runtimeId: "nodejs20.x",
        handler: "get.handler",
        codeDir: join(dir, "src", "items"),
        timeoutSeconds: 10,
        memoryMb: 256,
        environment: {
          TABLE_NAME: "items",
          LOG_LEVEL: "debug",
          REGION_TABLE: `${AWS_REGION}-items`,
          STACK: "sam-http-api",
          TABLE_ARN: "",
          FEATURE: "off",
        },
        concurrency: 5,
        idleTimeoutSeconds: 300,
      });
      assert.equal(fn("CatchAllFunction").memoryMb, 512);
      assert.equal(fn("CatchAllFunction").environment.LOG_LEVEL, "info");
      assert.equal(fn("HealthFunction").runtimeId, "python3.12");
    });

    test("a resource whose Condition is false is left out", () => {
      assert.equal(project.functions.has("ProdOnlyFunction"), false);
    });

    test("HttpApi events become routes: trailing slash trimmed, no Path is $default", () => {
      const api = project.apis[0];
      assert.equal(api?.name, "itemsapi");
      assert.equal(api?.kind, "http");
      assert.deepEqual(api?.routes, [
        {
          routeKey: "GET /items/{id}",
          method: "GET",
          path: "/items/{id}",
          functionName: "GetItemFunction",
          payloadFormat: "2.0",
          timeoutMs: 5000,
        },
        {
          routeKey: "GET /items",
          method: "GET",
          path: "/items",
          functionName: "GetItemFunction",
          payloadFormat: "1.0",
          timeoutMs: 30000,
        },
        {
          routeKey: "$default",
          method: "$default",
          path: null,
          functionName: "CatchAllFunction",
          payloadFormat: "2.0",
          timeoutMs: 30000,
        },
      ]);
    });

    test("StageName from a parameter adds the stage, keeping $default; StageVariables resolved", () => {
      const variables = { TABLE: "items_prod", VERSION: "2" };
      assert.deepEqual(project.apis[0]?.stages, [
        { name: "$default", variables },
        { name: "prod", variables },
      ]);
      assert.deepEqual(project.apis[0]?.domains, ["items.example.test"]);
    });

    test("CorsConfiguration from Globals.HttpApi", () => {
      const cors = {
        allowOrigins: ["https://app.example.test"],
        allowMethods: ["GET", "POST"],
        allowHeaders: ["content-type", "authorization"],
        exposeHeaders: ["x-request-id"],
        maxAge: 600,
        allowCredentials: true,
      };
      assert.deepEqual(project.apis[0]?.cors, cors);
      assert.deepEqual(project.apis[1]?.cors, cors);
    });

    test("an event without ApiId joins the implicit ServerlessHttpApi", () => {
      assert.equal(project.apis.length, 2);
      assert.equal(project.apis[1]?.name, "serverlesshttpapi");
      assert.equal(project.apis[1]?.kind, "http");
      assert.deepEqual(project.apis[1]?.routes, [
        {
          routeKey: "ANY /health",
          method: "ANY",
          path: "/health",
          functionName: "HealthFunction",
          payloadFormat: "2.0",
          timeoutMs: 30000,
        },
      ]);
      assert.deepEqual(project.apis[1]?.stages, [{ name: "$default", variables: {} }]);
    });

    test("what could not be honoured is reported as warnings", () => {
      const file = join(dir, "template.yaml");
      assert.deepEqual(warnings, [
        {
          file,
          key: "Resources.GetItemFunction.Properties.Environment.Variables.TABLE_ARN",
          reason: '`Fn::GetAtt` cannot be resolved locally; the variable is set to "" (as sam local does)',
        },
        {
          file,
          key: "Globals.Function.Layers[0]",
          reason:
            "arn:aws:lambda:us-east-1:123456789012:layer:common:1 (an ARN) is not a layer of this template; the function runs without it",
        },
        {
          file,
          key: "Resources.CatchAllFunction.Properties.Events.Nightly.Type",
          reason: "event type `Schedule` is ignored: Portico serves HttpApi and Api events",
        },
        { file, key: "Resources.ItemsTable", reason: "(AWS::DynamoDB::Table) is not modelled; ignored" },
      ]);
    });

    test("the project is deep-frozen", () => {
      assert.ok(Object.isFrozen(project.apis[0]?.cors?.allowHeaders));
      assert.ok(Object.isFrozen(fn("GetItemFunction").environment));
    });
  });

  test("a REST API resource, Globals.Api Cors, CorsConfiguration: true and a custom runtime", async () => {
    const dir = fixture("sam-rest-api");
    const project = await loadProject(dir);
    assert.deepEqual(project.functions.get("ProxyFunction")?.timeoutSeconds, 20);
    assert.deepEqual(project.functions.get("GoFunction"), {
      name: "GoFunction",
      runtime: "provided",
      runtimeId: "provided.al2023",
      handler: "bootstrap",
      codeDir: join(dir, "go"),
      timeoutSeconds: 3,
      memoryMb: 1024,
      environment: {},
      concurrency: 10,
      idleTimeoutSeconds: 300,
    });
    const [shop, open] = project.apis;
    assert.equal(shop?.name, "shopapi");
    assert.equal(shop?.kind, "rest", "an AWS::Serverless::Api resource is a REST API");
    assert.deepEqual(shop?.cors, {
      allowOrigins: ["https://shop.example.test"],
      allowMethods: ["GET", "POST", "OPTIONS"],
      allowHeaders: ["content-type", "x-api-key"],
      exposeHeaders: [],
      maxAge: 600,
      allowCredentials: false,
    });
    assert.deepEqual(
      shop?.routes.map((route) => [route.routeKey, route.payloadFormat, route.timeoutMs]),
      [
        ["ANY /shop/{proxy+}", "1.0", 29000],
        ["GET /", "1.0", 29000],
      ],
    );
    assert.deepEqual(shop?.stages, [
      { name: "$default", variables: { MODE: "live" } },
      { name: "v1", variables: { MODE: "live" } },
    ]);
    assert.equal(open?.name, "openapi");
    assert.equal(open?.kind, "http");
    assert.deepEqual(open?.cors, {
      allowOrigins: ["*"],
      allowMethods: [],
      allowHeaders: [],
      exposeHeaders: [],
      maxAge: undefined,
      allowCredentials: false,
    });
    assert.deepEqual(open?.routes, [
      {
        routeKey: "POST /go",
        method: "POST",
        path: "/go",
        functionName: "GoFunction",
        payloadFormat: "1.0",
        timeoutMs: 30000,
      },
    ]);
  });

  test("BinaryMediaTypes from Globals.Api are prepended to the API's own, ~1 read as /", async () => {
    const project = await loadProject(fixture("sam-rest-binary"));
    const byName = new Map(project.apis.map((api) => [api.name, api]));
    assert.deepEqual(byName.get("filesapi")?.binaryMediaTypes, ["image/png", "application/*"]);
    assert.deepEqual(byName.get("serverlessrestapi")?.binaryMediaTypes, ["image/png"]);
  });

  test("a BinaryMediaTypes entry that is not a media type is refused, naming the key", async () => {
    const dir = fixture("sam-rest-binary-bad");
    await assert.rejects(loadProject(dir), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        'template.yaml: Resources.FilesApi.Properties.BinaryMediaTypes[0]: must be a media type such as image/png, image/* or */*, got "png"',
      );
      return true;
    });
  });

  test("InlineCode is written to index.js in the project's .portico/generated, the same directory on every load", async () => {
    const dir = fixture("sam-inline-code");
    try {
      const first = (await loadProject(dir)).functions.get("InlineFunction");
      assert.match(first?.codeDir ?? "", /[/\\]\.portico[/\\]generated[/\\]inline-[0-9a-f]{32}$/);
      assert.ok(first?.codeDir.startsWith(dir));
      assert.equal(first?.handler, "index.handler");
      assert.equal(
        readFileSync(join(first?.codeDir as string, "index.js"), "utf8"),
        'exports.handler = async () => ({ statusCode: 200, body: "hi" });\n',
      );
      assert.equal((await loadProject(dir)).functions.get("InlineFunction")?.codeDir, first?.codeDir);
    } finally {
      await removeGeneratedCode(dir);
    }
    assert.equal(existsSync(join(dir, ".portico")), false);
  });

  test("a logical id that is not alphanumeric is refused, as CloudFormation refuses it", async () => {
    await assert.rejects(loadProject(fixture("sam-bad-logical-id")), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.issues.map((issue) => `${issue.key}: ${issue.reason} (${issue.hint})`),
        [
          "Resources.Hello-World: is not a valid logical id: CloudFormation allows letters and digits only (A-Z, a-z, 0-9) (did you mean `HelloWorld`?)",
          'Resources["Tab\\tId"]: is not a valid logical id: CloudFormation allows letters and digits only (A-Z, a-z, 0-9) (did you mean `TabId`?)',
        ],
      );
      return true;
    });
  });

  test("InlineCode on a custom runtime, log levels without LogFormat JSON, and a damaged zip are errors", async () => {
    const dir = fixture("sam-function-mistakes");
    await assert.rejects(loadProject(dir), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.issues.map((issue) => `${issue.key}: ${issue.reason}`),
        [
          "Resources.GoInline.Properties.InlineCode: is for Node.js and Python functions; a provided.al2023 function needs CodeUri",
          "Resources.TextLogs.Properties.LoggingConfig.ApplicationLogLevel: needs LogFormat: JSON",
          "Resources.DamagedZip.Properties.CodeUri: cannot be extracted: End of central directory record signature not found. Either not a zip file, or file is truncated.",
          "Resources.MissingLayer.Properties.ContentUri: directory does not exist: " +
            join(dir, "no-such-layer"),
        ],
      );
      return true;
    });
    await removeGeneratedCode(dir);
  });
});
