/** Plain CloudFormation and `cdk synth` templates → the model, and what is warned about on the way. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { ConfigError, type ConfigWarning, loadConfig } from "../../../src/config/index.js";
import type { ApiSpec, FunctionSpec } from "../../../src/model/index.js";
import { fixturesDir } from "../../helpers/paths.js";

const project = (name: string) => join(fixturesDir, "projects", name);
const scratch = mkdtempSync(join(tmpdir(), "portico-cfn-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
let scratchCount = 0;

function dir(files: Record<string, string>): string {
  const root = join(scratch, `d${scratchCount++}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const keysOf = (warnings: readonly ConfigWarning[]) =>
  warnings.map((warning) => `${warning.key}: ${warning.reason}`);

async function loadError(root: string): Promise<ConfigError> {
  try {
    await loadConfig(root);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail("loaded without an error");
}

describe("a REST API as CloudFormation resources (cfn-rest-api)", async () => {
  const root = project("cfn-rest-api");
  const { project: loaded, warnings } = await loadConfig(root);
  const api = loaded.apis[0] as ApiSpec;
  const file = join(root, "template.yaml");

  test("Lambda functions with Code.ZipFile are served from index.js, with their settings", () => {
    const fn = loaded.functions.get("PetsFunction") as FunctionSpec;
    assert.deepEqual(
      { ...fn, codeDir: "" },
      {
        name: "PetsFunction",
        runtime: "nodejs",
        runtimeId: "nodejs20.x",
        handler: "index.handler",
        codeDir: "",
        timeoutSeconds: 7,
        memoryMb: 512,
        environment: { TABLE: "pets-table", QUEUE_URL: "" },
        concurrency: 10,
        idleTimeoutSeconds: 300,
      },
    );
    assert.match(
      readFileSync(join(fn.codeDir, "index.js"), "utf8"),
      /^exports\.handler = async \(event\) =>/,
    );
    assert.deepEqual(
      [...loaded.functions.keys()],
      ["PetsFunction", "AuthorizerFunction"],
      "the S3 one is left out",
    );
  });

  test("Resource tree, Methods and Stage become routes and stages; the MOCK and S3-backed methods are left out", () => {
    assert.equal(api.name, "petsapi");
    assert.equal(api.kind, "rest");
    assert.deepEqual(
      api.routes.map((route) => [route.routeKey, route.functionName, route.payloadFormat, route.timeoutMs]),
      [
        ["GET /pets", "PetsFunction", "1.0", 29000],
        ["GET /pets/{petId}", "PetsFunction", "1.0", 29000],
        ["DELETE /pets/{petId}", "PetsFunction", "1.0", 29000],
        ["PUT /pets/{petId}", "PetsFunction", "1.0", 29000],
      ],
    );
    const variables = { owner: "pets-team", certificate: "" };
    const throttling = { rateLimit: 50, burstLimit: 20 };
    assert.deepEqual(api.stages, [
      { name: "$default", variables, throttling },
      { name: "v1", variables, throttling },
    ]);
    assert.deepEqual(api.binaryMediaTypes, ["image/png"]);
  });

  test("authorizers: TOKEN Lambda, Cognito and IAM unserved; routes name them with their scopes", () => {
    const auth = (key: string) => {
      const route = api.routes.find((candidate) => candidate.routeKey === key);
      return [route?.authorizer, route?.authorizationScopes];
    };
    assert.deepEqual(auth("GET /pets"), [undefined, undefined]);
    assert.deepEqual(auth("GET /pets/{petId}"), ["TokenAuthorizer", undefined]);
    assert.deepEqual(auth("DELETE /pets/{petId}"), ["AWS_IAM", undefined]);
    assert.deepEqual(auth("PUT /pets/{petId}"), ["UserPoolAuthorizer", ["pets/write"]]);
    assert.deepEqual(api.authorizers, [
      {
        name: "TokenAuthorizer",
        type: "lambda",
        functionName: "AuthorizerFunction",
        requestType: "TOKEN",
        payloadFormat: "1.0",
        simpleResponses: false,
        identitySources: ["method.request.header.Authorization"],
        resultTtlSeconds: 300,
        validationExpression: "^(allow|deny)$",
      },
      {
        name: "AWS_IAM",
        type: "unserved",
        kind: "AWS_IAM",
        declaredAt: "template.yaml: Resources.PetDelete.Properties.AuthorizationType",
      },
      {
        name: "UserPoolAuthorizer",
        type: "unserved",
        kind: "COGNITO_USER_POOLS",
        declaredAt: "template.yaml: Resources.UserPoolAuthorizer.Properties.Type",
      },
    ]);
  });

  test("every unread type and property, unresolvable value and unserved piece is one warning", () => {
    assert.ok(warnings.every((warning) => warning.file === file));
    assert.deepEqual(keysOf(warnings), [
      "Resources.PetsFunction.Properties.VpcConfig: is not modelled; ignored",
      "Resources.PetsQueue: (AWS::SQS::Queue) is not modelled; ignored",
      "Resources.PetsApi.Properties.MinimumCompressionSize: is not modelled; ignored",
      'Resources.PetsFunction.Properties.Environment.Variables.QUEUE_URL: `Ref` cannot be resolved locally; the variable is set to "" (as sam local does)',
      "Resources.ArchivedFunction.Properties.Code: code in S3 cannot be read locally; the function is left out (give it local code: a SAM CodeUri, Code.ZipFile, or a cdk synth asset)",
      'Resources.PetsStage.Properties.Variables.certificate: `Fn::ImportValue` cannot be resolved locally; "" stands in for it',
      "Resources.UserPoolAuthorizer.Properties.Type: `COGNITO_USER_POOLS` authorizers are not run locally; the routes it guards answer as AWS does to a caller without credentials",
      "Resources.PetDelete.Properties.AuthorizationType: IAM authorization is not checked locally; the route answers as AWS does to a caller without credentials",
      "Resources.ArchiveGet.Properties.Integration.Uri: names no function Portico serves; the method is left out",
      'Resources.PetsOptions.Properties.Integration.Type: integration type "MOCK" is not served (only AWS_PROXY to a Lambda function); the method is left out',
      "Resources.PetsStage.Properties.AccessLogSetting.DestinationArn: is not used: access-log lines go to Portico's log store and `portico up`'s output",
    ]);
  });
});

describe("an HTTP API as CloudFormation resources (cfn-http-api)", async () => {
  const { project: loaded, warnings } = await loadConfig(project("cfn-http-api"));
  const [orders, quick] = loaded.apis as ApiSpec[];

  test("inline Python is written to index.py", () => {
    const fn = loaded.functions.get("OrdersFunction") as FunctionSpec;
    assert.equal(fn.runtime, "python3");
    assert.equal(fn.timeoutSeconds, 10);
    assert.equal(fn.concurrency, 2);
    assert.match(readFileSync(join(fn.codeDir, "index.py"), "utf8"), /^import json, os\n/);
  });

  test("Routes reach their Integration's function with its payload format and timeout", () => {
    assert.equal(orders?.kind, "http");
    assert.deepEqual(
      orders?.routes.map((route) => [
        route.routeKey,
        route.functionName,
        route.payloadFormat,
        route.timeoutMs,
      ]),
      [
        ["GET /orders", "OrdersFunction", "2.0", 12000],
        ["GET /orders/{id}", "OrdersFunction", "2.0", 12000],
        ["POST /orders", "OrdersFunction", "2.0", 12000],
        ["ANY /legacy/{proxy+}", "OrdersFunction", "1.0", 30000],
      ],
    );
    assert.deepEqual(orders?.cors?.allowOrigins, ["https://shop.example.com"]);
    assert.equal(orders?.cors?.maxAge, 300);
  });

  test("the Stage gives variables and throttling, and is served at the root as $default too", () => {
    const stage = {
      variables: { region: "eu" },
      throttling: { rateLimit: 100, burstLimit: 50 },
      routeThrottling: { "GET /orders": { rateLimit: 10, burstLimit: 5 } },
    };
    assert.deepEqual(orders?.stages, [
      { name: "$default", ...stage },
      { name: "live", ...stage },
    ]);
  });

  test("JWT and REQUEST authorizers, an IAM route's unserved stand-in, scopes on the route", () => {
    assert.deepEqual(
      orders?.routes.map((route) => [route.authorizer, route.authorizationScopes]),
      [
        [undefined, undefined],
        ["JwtAuthorizer", ["orders/read"]],
        ["RequestAuthorizer", undefined],
        ["AWS_IAM", undefined],
      ],
    );
    assert.deepEqual(orders?.authorizers, [
      {
        name: "JwtAuthorizer",
        type: "jwt",
        identitySource: "$request.header.Authorization",
        issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE",
        audience: ["orders-client"],
      },
      {
        name: "RequestAuthorizer",
        type: "lambda",
        functionName: "AuthorizerFunction",
        requestType: "REQUEST",
        payloadFormat: "2.0",
        simpleResponses: true,
        identitySources: ["$request.header.x-token"],
        resultTtlSeconds: 60,
      },
      {
        name: "AWS_IAM",
        type: "unserved",
        kind: "AWS_IAM",
        declaredAt: "template.yaml: Resources.LegacyRoute.Properties.AuthorizationType",
      },
    ]);
  });

  test("a quick-create API (Target) is one $default route; a WebSocket API is left out", () => {
    assert.equal(loaded.apis.length, 2);
    assert.equal(quick?.name, "quickapi");
    assert.deepEqual(
      quick?.routes.map((route) => [route.routeKey, route.functionName, route.payloadFormat]),
      [["$default", "OrdersFunction", "2.0"]],
    );
    assert.deepEqual(keysOf(warnings), [
      "Resources.OrdersFunction.Properties.TracingConfig: is not modelled; ignored",
      "Resources.ChatApi.Properties.RouteSelectionExpression: is not modelled; ignored",
      'Resources.ChatApi.Properties.ProtocolType: "WEBSOCKET" APIs are not served (only HTTP); the API is left out',
      "Resources.LegacyRoute.Properties.AuthorizationType: IAM authorization is not checked locally; the route answers as AWS does to a caller without credentials",
    ]);
  });
});

describe("a cdk synth cloud assembly (cdk-synth)", () => {
  const assembly = join(project("cdk-synth"), "cdk.out");
  const template = join(assembly, "GreetingStack.template.json");

  test("pointed at cdk.out, the stack's template is found; the function's code is its asset directory", async () => {
    const { project: loaded, warnings } = await loadConfig(assembly);
    assert.equal(loaded.configFile, template);
    assert.equal(loaded.rootDir, assembly);
    const fn = loaded.functions.get("Greet8553ACA9") as FunctionSpec;
    assert.equal(
      fn.codeDir,
      join(assembly, "asset.450d298c60aa7f013af9d7b61431a2dbd2b988a8c8f348e8279f4c4a225e1545"),
    );
    assert.deepEqual(
      [fn.runtimeId, fn.handler, fn.timeoutSeconds, fn.memoryMb, fn.environment],
      ["nodejs22.x", "index.handler", 5, 256, { GREETING: "hello from cdk" }],
    );
    assert.deepEqual(
      loaded.apis.map((api) => [
        api.name,
        api.kind,
        api.routes.map((route) => route.routeKey),
        api.stages.map((stage) => stage.name),
      ]),
      [
        ["greetingrestapie49e3048", "rest", ["GET /items", "GET /items/{id}"], ["$default", "prod"]],
        ["greetinghttpapi60f35c62", "http", ["GET /hello"], ["$default"]],
      ],
    );
    assert.deepEqual(
      warnings,
      [],
      "roles, permissions, the API account and CDKMetadata have no local meaning",
    );
  });

  test("pointed at the template file itself, the same project loads", async () => {
    const { project: loaded } = await loadConfig(template);
    assert.equal(loaded.configFile, template);
    assert.deepEqual([...loaded.functions.keys()], ["Greet8553ACA9"]);
  });

  test("a cdk.out with two stacks asks for one of them", async () => {
    const stack = '{"Resources": {}}';
    const root = dir({
      "A.template.json": stack,
      "B.template.json": stack,
      "A1.nested.template.json": stack,
    });
    const error = await loadError(root);
    assert.match(
      error.message,
      /holds 2 stack templates \(A\.template\.json, B\.template\.json\): give the one to serve/,
    );
  });
});

describe("a cdk synth NestedStack (cdk-synth-nested)", () => {
  test("the nested template staged beside the parent is served under the stack's construct id", async () => {
    const assembly = join(project("cdk-synth-nested"), "cdk.out");
    const { project: loaded, warnings } = await loadConfig(assembly);
    assert.equal(
      loaded.configFile,
      join(assembly, "ParentStack.template.json"),
      "the nested template is not a stack",
    );
    assert.deepEqual(
      [...loaded.functions.values()].map((fn) => [fn.name, fn.environment.GREETING]),
      [["Greeting-Greet8553ACA9", "hello from a nested stack"]],
    );
    assert.deepEqual(
      loaded.apis.map((api) => [
        api.name,
        api.routes.map((route) => `${route.routeKey} -> ${route.functionName}`),
      ]),
      [["greeting-nestedhttpapi2a87c5a8", ["ANY /greet -> Greeting-Greet8553ACA9"]]],
    );
    assert.deepEqual(warnings, []);
  });
});

describe("nested stacks (cfn-nested)", async () => {
  const root = project("cfn-nested");
  const { project: loaded, warnings } = await loadConfig(root);

  test("a SAM application and a CloudFormation stack are served under the parent's logical id, with its Parameters", () => {
    assert.deepEqual(
      [...loaded.functions.values()].map((fn) => [fn.name, fn.environment]),
      [
        ["HealthFunction", {}],
        ["Orders-OrdersFunction", { GREETING: "orders in us-east-1" }],
        ["Users-UsersFunction", { GREETING: "users", TABLE: "" }],
      ],
    );
    assert.equal(loaded.functions.get("Orders-OrdersFunction")?.codeDir, join(root, "orders", "src"));
    assert.deepEqual(
      loaded.apis.map((api) => [
        api.name,
        api.routes.map((route) => `${route.routeKey} -> ${route.functionName}`),
      ]),
      [
        ["serverlesshttpapi", ["GET /health -> HealthFunction"]],
        ["orders-serverlessrestapi", ["GET /orders -> Orders-OrdersFunction"]],
        ["users-usersapi", ["GET /users -> Users-UsersFunction"]],
      ],
    );
  });

  test("a parameter value that cannot be known and a repository application are warned about", () => {
    assert.deepEqual(keysOf(warnings), [
      'Resources.Users.Properties.Parameters.TableName: `Fn::ImportValue` cannot be resolved locally; "" stands in for it',
      "Resources.Billing.Properties.Location: only a local template path is loaded (not the Serverless Application Repository or a URL); the application is left out",
    ]);
  });

  test("a template that nests itself is refused", async () => {
    const template =
      "Resources:\n  Self:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: template.yaml\n";
    const error = await loadError(dir({ "template.yaml": template }));
    assert.match(error.message, /Resources: nests .*template\.yaml, which includes this template/);
  });

  test("a missing child template is an error naming the property", async () => {
    const template =
      "Resources:\n  App:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: missing.yaml\n";
    const error = await loadError(dir({ "template.yaml": template }));
    assert.match(
      error.message,
      /Resources\.App\.Properties\.Location: names no template file: .*missing\.yaml/,
    );
  });
});

describe("what is not modelled, and mistakes", () => {
  test("SAM function properties: unread ones warn (on the resource and in Globals), IAM and tags do not", async () => {
    const template = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: Active
    Runtime: nodejs20.x
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: .
      Policies: [AWSLambdaBasicExecutionRole]
      Tags: { team: a }
      Description: the function
      Architectures: [arm64]
      VpcConfig: { SubnetIds: [a] }
      DeadLetterQueue: { Type: SQS, TargetArn: arn }
`;
    const { warnings } = await loadConfig(dir({ "template.yaml": template }));
    assert.deepEqual(keysOf(warnings), [
      "Globals.Function.Tracing: is not modelled; ignored",
      "Resources.Fn.Properties.VpcConfig: is not modelled; ignored",
      "Resources.Fn.Properties.DeadLetterQueue: is not modelled; ignored",
    ]);
  });

  test("SAM API properties and Globals: unread ones warn, names and tags do not, a log destination is noted", async () => {
    const template = `
Transform: AWS::Serverless-2016-10-31
Globals:
  HttpApi:
    AccessLogSettings: { DestinationArn: arn, Format: "$context.requestId" }
    CorsConfiguration: true
Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Properties: { StageName: v1, Name: http, Tags: { team: a } }
  Rest:
    Type: AWS::Serverless::Api
    Properties: { StageName: prod, Name: rest, CacheClusterEnabled: true, EndpointConfiguration: REGIONAL }
`;
    const { warnings } = await loadConfig(dir({ "template.yaml": template }));
    assert.deepEqual(keysOf(warnings), [
      "Globals.HttpApi.AccessLogSettings.DestinationArn: is not used: access-log lines go to Portico's log store and `portico up`'s output",
      "Resources.Rest.Properties.CacheClusterEnabled: is not modelled; ignored",
    ]);
  });

  test("a protected route whose AuthorizerId names no authorizer is an error, never served open", async () => {
    const template = `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Code: { ZipFile: "exports.handler = async () => ({})" }
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: { ProtocolType: HTTP }
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties: { ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Fn.Arn, PayloadFormatVersion: "2.0" }
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: GET /secret
      AuthorizationType: JWT
      AuthorizerId: !ImportValue shared-authorizer
      Target: !Sub integrations/\${Integration}
`;
    const error = await loadError(dir({ "template.yaml": template }));
    assert.match(
      error.message,
      /template\.yaml: Resources\.Route\.Properties\.AuthorizerId: must be a Ref to an AWS::ApiGatewayV2::Authorizer resource in this template, for AuthorizationType JWT/,
    );
    const unknown = template.replace("AuthorizationType: JWT", "AuthorizationType: !ImportValue route-auth");
    const unread = await loadError(dir({ "template.yaml": unknown }));
    assert.match(
      unread.message,
      /Resources\.Route\.Properties\.AuthorizationType: must be NONE, AWS_IAM, CUSTOM, JWT or COGNITO_USER_POOLS, got `Fn::ImportValue`/,
    );
  });

  test("inline code for a runtime without an inline file is an error; a missing Runtime is named", async () => {
    const template = `
Resources:
  Go:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: provided.al2023
      Handler: bootstrap
      Code: { ZipFile: "binary" }
  NoRuntime:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Code: { ZipFile: "exports.handler = 1" }
`;
    const error = await loadError(dir({ "template.yaml": template }));
    assert.deepEqual(
      error.issues.map((issue) => `${issue.key}: ${issue.reason}`),
      [
        "Resources.Go.Properties.Code.ZipFile: inline code is for Node.js and Python runtimes, not provided.al2023",
        "Resources.NoRuntime.Properties.Runtime: is required: nodejs20.x, python3.12, provided.al2023, ...",
      ],
    );
  });

  test("a Lambda ARN written out in full, and one through an alias, name the function", async () => {
    const template = `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: items
      Runtime: nodejs20.x
      Handler: index.handler
      Code: { ZipFile: "exports.handler = async () => ({})" }
  Live:
    Type: AWS::Lambda::Alias
    Properties: { FunctionName: !Ref Fn, FunctionVersion: "1", Name: live }
  ByArn:
    Type: AWS::ApiGatewayV2::Api
    Properties: { ProtocolType: HTTP, Target: "arn:aws:lambda:us-east-1:123456789012:function:items" }
  ByAlias:
    Type: AWS::ApiGatewayV2::Api
    Properties: { ProtocolType: HTTP, Target: !Ref Live }
`;
    const { project: loaded, warnings } = await loadConfig(dir({ "template.yaml": template }));
    assert.deepEqual(
      loaded.apis.map((api) => api.routes.map((route) => route.functionName)),
      [["Fn"], ["Fn"]],
    );
    assert.deepEqual(warnings, []);
  });
});
