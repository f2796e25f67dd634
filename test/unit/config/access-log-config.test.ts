/** Access-log formats as portico.yaml, SAM and CloudFormation declare them, and the errors they give. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/index.js";
import type { ApiSpec } from "../../../src/model/index.js";
import { configError } from "../../helpers/config-error.js";

const scratch = mkdtempSync(join(tmpdir(), "portico-access-log-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;

function project(name: string, text: string): string {
  const dir = join(scratch, `p${++projects}`);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "app.py"), "");
  writeFileSync(join(dir, name), text);
  return dir;
}

function formats(api: ApiSpec): Record<string, string | null | undefined> {
  return Object.fromEntries(api.stages.map((stage) => [stage.name, stage.accessLogFormat]));
}

const FUNCTIONS = "functions:\n  f:\n    runtime: python3\n    handler: app.handler\n    code: src\n";
const CLF = "$context.identity.sourceIp - - [$context.requestTime] $context.requestId";

describe("portico.yaml accessLog", () => {
  test("the API's format, a stage's own, and a stage turned off", async () => {
    const dir = project(
      "portico.yaml",
      `${FUNCTIONS}apis:
  shop:
    accessLog: { format: "${CLF}" }
    stages:
      prod: { accessLog: { format: "$context.requestId $context.status" } }
      quiet: { accessLog: false }
      beta: {}
    routes:
      GET /a: f
  plain:
    routes:
      GET /a: f
`,
    );
    const { project: loaded, warnings } = await loadConfig(dir);
    assert.deepEqual(warnings, []);
    assert.deepEqual(formats(loaded.apis[0] as ApiSpec), {
      $default: CLF,
      prod: "$context.requestId $context.status",
      quiet: null,
      beta: CLF,
    });
    // No format: the default JSON line.
    assert.deepEqual(formats(loaded.apis[1] as ApiSpec), { $default: undefined });
  });

  for (const [format, reason] of [
    ["$context.requestId $context.nope", "names $context.nope, which is not an access-log variable"],
    ["$context.status", "must include $context.requestId or $context.extendedRequestId, as on AWS"],
  ]) {
    test(`refused: ${format}`, async () => {
      const dir = project(
        "portico.yaml",
        `${FUNCTIONS}apis:\n  shop:\n    stages:\n      prod: { accessLog: { format: "${format}" } }\n    routes:\n      GET /a: f\n`,
      );
      const error = await configError(dir);
      const issue = error.issues.find(
        (candidate) => candidate.key === "apis.shop.stages.prod.accessLog.format",
      );
      assert.ok(issue, error.message);
      assert.equal(issue.reason, reason);
      assert.ok(
        error.message.includes(`portico.yaml: apis.shop.stages.prod.accessLog.format: ${reason}`),
        error.message,
      );
    });
  }
});

const SAM_HEADER = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
    CodeUri: src
`;

describe("SAM AccessLogSettings", () => {
  test("HttpApi AccessLogSettings.Format on its stages; DestinationArn noted as unused", async () => {
    const dir = project(
      "template.yaml",
      `${SAM_HEADER}Resources:
  Shop:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: prod
      AccessLogSettings:
        DestinationArn: !GetAtt Logs.Arn
        Format: '{"id":"$context.requestId","status":"$context.status"}'
  Logs:
    Type: AWS::Logs::LogGroup
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: { Type: HttpApi, Properties: { ApiId: !Ref Shop, Path: /a, Method: get } }
`,
    );
    const { project: loaded, warnings } = await loadConfig(dir);
    const format = '{"id":"$context.requestId","status":"$context.status"}';
    assert.deepEqual(formats(loaded.apis[0] as ApiSpec), { $default: format, prod: format });
    const keys = warnings.map((warning) => warning.key);
    assert.ok(
      keys.includes("Resources.Shop.Properties.AccessLogSettings.DestinationArn"),
      JSON.stringify(warnings),
    );
    assert.ok(
      !keys.some((key) => key === "Resources.Shop.Properties.AccessLogSettings"),
      JSON.stringify(warnings),
    );
  });

  test("Api AccessLogSetting.Format; an invalid format is an error at its key", async () => {
    const template = (format: string) => `${SAM_HEADER}Resources:
  Shop:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting: { Format: "${format}" }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: { Type: Api, Properties: { RestApiId: !Ref Shop, Path: /a, Method: get } }
`;
    const { project: loaded } = await loadConfig(
      project("template.yaml", template("$context.extendedRequestId")),
    );
    assert.equal((loaded.apis[0] as ApiSpec).stages.at(-1)?.accessLogFormat, "$context.extendedRequestId");
    const error = await configError(project("template.yaml", template("$context.requestId $context.bogus")));
    assert.match(
      error.message,
      /template\.yaml: Resources\.Shop\.Properties\.AccessLogSetting\.Format: names \$context\.bogus, which is not an access-log variable/,
    );
  });
});

describe("CloudFormation stages' access logs", () => {
  test("ApiGatewayV2::Stage AccessLogSettings and ApiGateway::Stage AccessLogSetting", async () => {
    const dir = project(
      "template.yaml",
      `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Code: { ZipFile: "exports.handler = async () => ({})" }
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: { ProtocolType: HTTP, Target: !GetAtt Fn.Arn }
  HttpStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      StageName: live
      AccessLogSettings: { Format: "$context.requestId $context.routeKey" }
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: rest }
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !GetAtt Rest.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
  RestStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Rest
      StageName: v1
      AccessLogSetting: { Format: "$context.extendedRequestId $context.resourcePath" }
`,
    );
    const { project: loaded, warnings } = await loadConfig(dir);
    const byName = Object.fromEntries(loaded.apis.map((api) => [api.kind, api]));
    assert.equal(
      (byName.http as ApiSpec).stages.find((stage) => stage.name === "live")?.accessLogFormat,
      "$context.requestId $context.routeKey",
    );
    assert.equal(
      (byName.rest as ApiSpec).stages.find((stage) => stage.name === "v1")?.accessLogFormat,
      "$context.extendedRequestId $context.resourcePath",
    );
    assert.ok(
      !warnings.some((warning) => warning.key.includes("AccessLogSetting")),
      JSON.stringify(warnings),
    );
  });
});
