/** Stage and route throttling as portico.yaml and SAM templates declare it, and the errors and warnings it gives. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/index.js";
import type { ApiSpec } from "../../../src/model/index.js";
import { configError } from "../../helpers/config-error.js";

const scratch = mkdtempSync(join(tmpdir(), "portico-throttling-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;

/** A project whose config file `name` holds `text`, with a code directory `src/`. */
function project(name: string, text: string): string {
  const dir = join(scratch, `p${++projects}`);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "app.py"), "");
  writeFileSync(join(dir, name), text);
  return dir;
}

const FUNCTIONS = "functions:\n  f:\n    runtime: python3\n    handler: app.handler\n    code: src\n";

describe("portico.yaml throttling", () => {
  test("the API's default, a stage's own, and a route's, in every stage", async () => {
    const dir = project(
      "portico.yaml",
      `${FUNCTIONS}apis:
  shop:
    throttling: { rateLimit: 50, burstLimit: 100 }
    stages:
      prod: { throttling: { rateLimit: 0.5 } }
      beta: {}
    routes:
      GET /a: f
      GET /b: { function: f, throttling: { rateLimit: 1, burstLimit: 2 } }
`,
    );
    const { project: loaded, warnings } = await loadConfig(dir);
    assert.deepEqual(warnings, []);
    const stages = (loaded.apis[0] as ApiSpec).stages;
    const routeThrottling = { "GET /b": { rateLimit: 1, burstLimit: 2 } };
    assert.deepEqual(stages, [
      { name: "$default", variables: {}, throttling: { rateLimit: 50, burstLimit: 100 }, routeThrottling },
      // A limit left out is the account's (5000 requests at once).
      { name: "prod", variables: {}, throttling: { rateLimit: 0.5, burstLimit: 5000 }, routeThrottling },
      { name: "beta", variables: {}, throttling: { rateLimit: 50, burstLimit: 100 }, routeThrottling },
    ]);
  });

  test("an API without throttling has stages without it, as records written before it do", async () => {
    const dir = project("portico.yaml", `${FUNCTIONS}apis:\n  shop:\n    routes:\n      GET /a: f\n`);
    const { project: loaded } = await loadConfig(dir);
    assert.deepEqual((loaded.apis[0] as ApiSpec).stages, [{ name: "$default", variables: {} }]);
  });

  const cases: ReadonlyArray<[name: string, apiYaml: string, key: string, reason: string]> = [
    [
      "a negative rate",
      "    throttling: { rateLimit: -1, burstLimit: 1 }\n",
      "apis.shop.throttling.rateLimit",
      "must be a number of requests per second between 0 and 10000 (may be fractional), got -1",
    ],
    [
      "a rate over the account's",
      "    throttling: { rateLimit: 20000 }\n",
      "apis.shop.throttling.rateLimit",
      "between 0 and 10000",
    ],
    [
      "a fractional burst",
      "    stages:\n      prod: { throttling: { burstLimit: 1.5 } }\n",
      "apis.shop.stages.prod.throttling.burstLimit",
      "must be a whole number of requests between 0 and 5000, got 1.5",
    ],
    [
      "an empty throttling mapping",
      "    throttling: {}\n",
      "apis.shop.throttling",
      "must set `rateLimit` (requests per second), `burstLimit` (requests at once), or both",
    ],
    [
      "a misspelt key",
      "    routes:\n      GET /b: { function: f, throttling: { rate: 1 } }\n",
      'apis.shop.routes["GET /b"].throttling.rate',
      "unknown key",
    ],
    ["a rate as text", '    throttling: { rateLimit: "5" }\n', "apis.shop.throttling.rateLimit", 'got "5"'],
  ];
  for (const [name, apiYaml, key, reason] of cases) {
    test(`${name} is refused, naming the file and key`, async () => {
      const dir = project("portico.yaml", `${FUNCTIONS}apis:\n  shop:\n${apiYaml}`);
      const error = await configError(dir);
      const listed = error.issues.map((issue) => `${issue.key}: ${issue.reason}`).join("\n");
      const issue = error.issues.find((candidate) => candidate.key === key);
      assert.ok(issue, `no issue for ${key}; issues:\n${listed}`);
      assert.ok(issue.reason.includes(reason), `${issue.reason} lacks ${reason}`);
      assert.ok(error.message.includes(`portico.yaml: ${issue.key}: ${issue.reason}`), error.message);
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

describe("SAM throttling", () => {
  test("HttpApi DefaultRouteSettings, RouteSettings and an event's RouteSettings", async () => {
    const dir = project(
      "template.yaml",
      `${SAM_HEADER}Resources:
  Shop:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: prod
      DefaultRouteSettings:
        ThrottlingBurstLimit: 10
        ThrottlingRateLimit: "2.5"
        DetailedMetricsEnabled: true
      RouteSettings:
        "GET /a": { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 1 }
        "GET /missing": { ThrottlingBurstLimit: 1 }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: { Type: HttpApi, Properties: { ApiId: !Ref Shop, Path: /a, Method: get } }
        B:
          Type: HttpApi
          Properties:
            ApiId: !Ref Shop
            Path: /b
            Method: get
            RouteSettings: { ThrottlingRateLimit: 3 }
        C: { Type: HttpApi, Properties: { ApiId: !Ref Shop, Path: /c, Method: get } }
`,
    );
    const { project: loaded, warnings } = await loadConfig(dir);
    const api = loaded.apis[0] as ApiSpec;
    const throttling = { rateLimit: 2.5, burstLimit: 10 };
    const routeThrottling = {
      "GET /a": { rateLimit: 1, burstLimit: 1 },
      "GET /b": { rateLimit: 3, burstLimit: 5000 },
    };
    assert.deepEqual(api.stages, [
      { name: "$default", variables: {}, throttling, routeThrottling },
      { name: "prod", variables: {}, throttling, routeThrottling },
    ]);
    const file = join(dir, "template.yaml");
    assert.deepEqual(warnings, [
      {
        file,
        key: "Resources.Shop.Properties.DefaultRouteSettings.DetailedMetricsEnabled",
        reason: "is not honoured: Portico applies only ThrottlingBurstLimit and ThrottlingRateLimit",
      },
      {
        file,
        key: 'Resources.Shop.Properties.RouteSettings["GET /missing"]',
        reason: "names no route of this API; its throttling is not applied",
      },
    ]);
  });

  test("Api MethodSettings: /* and * as the stage default, one method of one path over it", async () => {
    const dir = project(
      "template.yaml",
      `${SAM_HEADER}Resources:
  Shop:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      MethodSettings:
        - { ResourcePath: "/*", HttpMethod: "*", ThrottlingBurstLimit: 20, ThrottlingRateLimit: 10 }
        - { ResourcePath: "/~1items~1{id}", HttpMethod: GET, ThrottlingBurstLimit: 2, ThrottlingRateLimit: 0.5 }
        - { ResourcePath: "/nothing", HttpMethod: "*", ThrottlingBurstLimit: 2, LoggingLevel: INFO }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Shop, Path: "/items/{id}", Method: get } }
        Put: { Type: Api, Properties: { RestApiId: !Ref Shop, Path: "/items/{id}", Method: put } }
`,
    );
    const { project: loaded, warnings } = await loadConfig(dir);
    const api = loaded.apis[0] as ApiSpec;
    const stage = {
      variables: {},
      throttling: { rateLimit: 10, burstLimit: 20 },
      routeThrottling: { "GET /items/{id}": { rateLimit: 0.5, burstLimit: 2 } },
    };
    assert.deepEqual(api.stages, [
      { name: "$default", ...stage },
      { name: "Prod", ...stage },
    ]);
    const file = join(dir, "template.yaml");
    assert.deepEqual(warnings, [
      {
        file,
        key: "Resources.Shop.Properties.MethodSettings[2].LoggingLevel",
        reason: "is not honoured: Portico applies only ThrottlingBurstLimit and ThrottlingRateLimit",
      },
      {
        file,
        key: "Resources.Shop.Properties.MethodSettings[2]",
        reason: "names no route of this API; its throttling is not applied",
      },
    ]);
  });

  test("a limit that is not a number is an error at its key", async () => {
    const dir = project(
      "template.yaml",
      `${SAM_HEADER}Resources:
  Shop:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefaultRouteSettings: { ThrottlingBurstLimit: lots }
`,
    );
    const error = await configError(dir);
    const issue = error.issues.find(
      (candidate) => candidate.key === "Resources.Shop.Properties.DefaultRouteSettings.ThrottlingBurstLimit",
    );
    assert.ok(issue, error.message);
    assert.match(issue.reason, /whole number of requests between 0 and 5000, got "lots"/);
  });
});
