/**
 * `exportAws` on a project using every setting it maps: the SAM template it writes, read back by Portico's own
 * SAM import, is the same project (names aside: a template's are its logical ids), and what AWS cannot express
 * is warned about. examples/items' round trip through real requests is test/e2e/export-aws.test.ts.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are portico.yaml's `${env:NAME}` and CloudFormation's !Sub, as written.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { loadConfig } from "../../../src/config/index.js";
import { exportAws } from "../../../src/export/aws/sam-export.js";
import type { ExportResult } from "../../../src/export/export-result.js";
import type { ApiSpec, Project } from "../../../src/model/index.js";
import { fixturesDir } from "../../helpers/paths.js";

const projectDir = join(fixturesDir, "export-aws");

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown> & {
    Environment: { Variables: Record<string, unknown> };
    Events: Record<string, { Properties: { Method: string; Path: string; Auth?: unknown } }>;
  };
}

interface Template {
  readonly Parameters: Record<string, unknown>;
  readonly Resources: Record<string, Resource>;
}

describe("portico export aws", () => {
  let out: string;
  let original: Project;
  let exported: ExportResult;
  let template: Template;

  before(async () => {
    out = join(mkdtempSync(join(tmpdir(), "portico-export-aws-")), "out");
    // A value of the exporting shell: it must not reach the template.
    const env = { ...process.env, EXPORT_FIXTURE_TOKEN: "secret-of-the-shell" };
    original = (await loadConfig(projectDir, { processEnv: env })).project;
    exported = await exportAws(original, out);
    template = parse(readFileSync(join(out, "template.yaml"), "utf8"));
  });
  after(() => rmSync(join(out, ".."), { recursive: true, force: true }));

  test("writes the template and each code directory once, beside it", () => {
    assert.deepEqual(exported.files, [
      "js/app.js",
      "layers/common/common.js",
      "py/auth.py",
      "services/web/run.sh",
      "services/web/server.js",
      "template.yaml",
    ]);
    assert.equal(statSync(join(out, "services/web/run.sh")).mode & 0o111, 0o111, "run.sh is executable");
    assert.match(
      readFileSync(join(out, "services/web/run.sh"), "utf8"),
      /\nexec \/bin\/sh -c 'node server\.js'\n$/,
    );
  });

  test("keeps ${env:NAME} references as template parameters, never the shell's values", () => {
    const text = readFileSync(join(out, "template.yaml"), "utf8");
    assert.ok(!text.includes("secret-of-the-shell"));
    assert.deepEqual(template.Parameters, {
      Who: {
        Type: "String",
        Description: "${env:WHO} in portico.yaml: set it with --parameter-overrides Who=VALUE",
        Default: "world",
      },
      ExportFixtureToken: {
        Type: "String",
        Description:
          "${env:EXPORT_FIXTURE_TOKEN} in portico.yaml: set it with --parameter-overrides ExportFixtureToken=VALUE",
        Default: "none",
      },
    });
    assert.deepEqual(template.Resources.Hello?.Properties.Environment.Variables, {
      GREETING: { "Fn::Sub": "hi ${Who}" },
      TOKEN: { Ref: "ExportFixtureToken" },
      PLAIN: "fixed",
    });
  });

  test("read back by Portico's SAM import, the functions are the same", async () => {
    const { project } = await loadConfig(out, { parameterOverrides: new Map([["ExportFixtureToken", "t"]]) });
    const hello = project.functions.get("Hello");
    const first = original.functions.get("hello");
    assert.ok(hello && first);
    assert.deepEqual(
      { ...hello, name: "hello", codeDir: first.codeDir, layers: first.layers, idleTimeoutSeconds: 60 },
      { ...first, environment: { GREETING: "hi world", TOKEN: "t", PLAIN: "fixed" } },
    );
    assert.equal(hello.layers?.[0], join(out, "layers/common"));
    assert.equal(project.functions.get("Authorize")?.tenantIsolation, true);
  });

  test("read back, the API has the same routes, CORS, stage, throttling, access log and authorizers", async () => {
    const { project } = await loadConfig(out);
    const api = project.apis.find((candidate) => candidate.name === "shopapi") as ApiSpec;
    const first = original.apis[0] as ApiSpec;
    const renamed = { hello: "Hello", authorize: "Authorize" } as Record<string, string>;
    const routes = (spec: ApiSpec, names: Record<string, string>) =>
      spec.routes
        .map((route) => ({ ...route, functionName: names[route.functionName] ?? route.functionName }))
        .sort((a, b) => a.routeKey.localeCompare(b.routeKey));
    assert.deepEqual(routes(api, {}), routes(first, renamed));
    assert.deepEqual(api.cors, first.cors);
    const stage = (spec: ApiSpec) => spec.stages.find((candidate) => candidate.name === "v1");
    assert.deepEqual(stage(api), stage(first));
    assert.deepEqual(
      api.authorizers?.map((authorizer) =>
        authorizer.type === "lambda" ? { ...authorizer, functionName: "authorize" } : authorizer,
      ),
      first.authorizers,
    );
  });

  test("a service becomes a Lambda Web Adapter function behind its own HTTP API", async () => {
    const web = template.Resources.WebFunction?.Properties as Resource["Properties"];
    assert.equal(web.Handler, "run.sh");
    assert.equal(web.Environment.Variables.AWS_LAMBDA_EXEC_WRAPPER, "/opt/bootstrap");
    assert.deepEqual(web.Layers, [
      { "Fn::Sub": "arn:aws:lambda:${AWS::Region}:753240598075:layer:LambdaAdapterLayerX86:26" },
    ]);
    assert.equal(web.ReservedConcurrentExecutions, 4);
    assert.deepEqual(web.ProvisionedConcurrencyConfig, { ProvisionedConcurrentExecutions: 1 });
    assert.deepEqual(
      Object.values(web.Events).map((event) => [
        event.Properties.Method,
        event.Properties.Path,
        event.Properties.Auth,
      ]),
      [
        ["ANY", "/", { Authorizer: "AWS_IAM" }],
        ["ANY", "/{proxy+}", { Authorizer: "AWS_IAM" }],
      ],
    );
    const { project } = await loadConfig(out);
    assert.equal(project.functions.get("WebFunction")?.webAdapter, true);
  });

  test("names what AWS has no equivalent for", () => {
    assert.deepEqual(
      exported.warnings.map((warning) => `${warning.subject}: ${warning.reason.split(":")[0]}`),
      [
        "function hello: idleTimeout (60 s) has no Lambda equivalent",
        "API shop-api: is served on AWS at /v1/ only",
        "API shop-api: domain api.example.test is not exported",
        "service web: concurrency 5 has no Lambda equivalent",
        "service web: timeout 300 s is cut to 30 s",
        "service web: is not public",
      ],
    );
  });
});
