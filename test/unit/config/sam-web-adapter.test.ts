/** A SAM function with AWS's Lambda Web Adapter layer: served through Portico's stand-in, given its wrapper. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/index.js";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function load(layer: string, variables: string) {
  const dir = mkdtempSync(join(tmpdir(), "portico-sam-lwa-"));
  dirs.push(dir);
  writeFileSync(join(dir, "run.sh"), "#!/bin/sh\nexec python3 app.py\n", { mode: 0o755 });
  writeFileSync(
    join(dir, "template.yaml"),
    `Transform: AWS::Serverless-2016-10-31
Resources:
  Web:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: run.sh
      CodeUri: .
      Layers: [${layer}]
      Environment: { Variables: { ${variables} } }
`,
  );
  return loadConfig(dir);
}

describe("SAM: the Lambda Web Adapter layer", () => {
  test("with AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap, the function runs through the adapter, without a warning", async () => {
    for (const layer of [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's !Sub syntax, not a template
      "!Sub 'arn:aws:lambda:${AWS::Region}:753240598075:layer:LambdaAdapterLayerX86:26'",
      "arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerArm64:19",
    ]) {
      const { project, warnings } = await load(layer, "AWS_LAMBDA_EXEC_WRAPPER: /opt/bootstrap");
      assert.equal(project.functions.get("Web")?.webAdapter, true, layer);
      assert.deepEqual(warnings, []);
      assert.equal(project.functions.get("Web")?.layers, undefined);
    }
  });

  test("without the wrapper, a warning says why the function runs as a plain handler", async () => {
    const { project, warnings } = await load(
      "arn:aws:lambda:us-east-1:753240598075:layer:LambdaAdapterLayerX86:26",
      "MODE: x",
    );
    assert.equal(project.functions.get("Web")?.webAdapter, undefined);
    assert.match(
      warnings.map((warning) => warning.reason).join("\n"),
      /not AWS_LAMBDA_EXEC_WRAPPER: \/opt\/bootstrap/,
    );
  });

  test("another account's layer of the same name is not the adapter", async () => {
    const { project, warnings } = await load(
      "arn:aws:lambda:us-east-1:111122223333:layer:LambdaAdapterLayerX86:26",
      "AWS_LAMBDA_EXEC_WRAPPER: /opt/bootstrap",
    );
    assert.equal(project.functions.get("Web")?.webAdapter, undefined);
    assert.match(warnings.map((warning) => warning.reason).join("\n"), /is not a layer of this template/);
  });
});
