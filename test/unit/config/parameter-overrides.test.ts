import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../../src/config/index.js";
import {
  overrideParameters,
  ParameterOverridesError,
  parseParameterOverrides,
} from "../../../src/config/parameter-overrides.js";
import { fixturesDir } from "../../helpers/paths.js";

const parsed = (...texts: string[]) => Object.fromEntries(parseParameterOverrides(texts));

describe("--parameter-overrides", () => {
  test("Key=Value pairs separated by spaces, as sam local takes them", () => {
    assert.deepEqual(parsed("Stage=dev  Table=items\tRetries=3"), {
      Stage: "dev",
      Table: "items",
      Retries: "3",
    });
  });

  test("CloudFormation's ParameterKey=K,ParameterValue=V form, mixed with the short one", () => {
    assert.deepEqual(parsed("ParameterKey=Stage,ParameterValue=dev Table=items"), {
      Stage: "dev",
      Table: "items",
    });
  });

  test('a double-quoted value keeps its spaces, with \\" and \\\\ unescaped', () => {
    assert.deepEqual(parsed('Greeting="hello world" Quote="say \\"hi\\"" Path="a\\\\b"'), {
      Greeting: "hello world",
      Quote: 'say "hi"',
      Path: "a\\b",
    });
    assert.deepEqual(parsed('ParameterKey=Greeting,ParameterValue="hi there"'), { Greeting: "hi there" });
  });

  test("a value may be empty or hold = and commas", () => {
    assert.deepEqual(parsed("Empty= Url=https://x.example/?a=1 List=a,b,c"), {
      Empty: "",
      Url: "https://x.example/?a=1",
      List: "a,b,c",
    });
  });

  test("the option given twice: both apply, a later key wins", () => {
    assert.deepEqual(parsed("Stage=dev Table=a", "Table=b"), { Stage: "dev", Table: "b" });
  });

  test("a token that is no pair is an error naming it", () => {
    assert.throws(
      () => parsed("Stage=dev oops"),
      (error: Error) => {
        assert.ok(error instanceof ParameterOverridesError);
        assert.match(error.message, /"oops" is not Key=Value/);
        return true;
      },
    );
    assert.throws(() => parsed('Stage="dev'), /unclosed quote/);
    assert.throws(() => parsed("=value"), /"=value" is not/);
  });

  test("overriding replaces the Default of declared parameters; an unknown key is an error naming it", () => {
    const parameters = { Stage: { Type: "String", Default: "prod" }, Table: { Type: "String" } };
    assert.deepEqual(overrideParameters("/p/template.yaml", parameters, new Map([["Table", "t1"]])), {
      Stage: { Type: "String", Default: "prod" },
      Table: { Type: "String", Default: "t1" },
    });
    assert.throws(
      () => overrideParameters("/p/template.yaml", parameters, new Map([["Stag", "dev"]])),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /template\.yaml: Parameters: --parameter-overrides names Stag, which the template does not declare \(it declares Stage, Table\)/,
        );
        return true;
      },
    );
  });

  test("an SSM-backed parameter takes the given value as a String", () => {
    const parameters = { Key: { Type: "AWS::SSM::Parameter::Value<String>", Default: "/app/key" } };
    assert.deepEqual(overrideParameters("t.yaml", parameters, new Map([["Key", "secret"]])), {
      Key: { Type: "String", Default: "secret" },
    });
  });

  test("a template's parameters take the values; portico.yaml, which has none, refuses them", async () => {
    const sam = await loadConfig(join(fixturesDir, "config", "sam-http-api"), {
      parameterOverrides: new Map([["TableName", "from-overrides"]]),
    });
    const variables = [...sam.project.functions.values()].map((fn) => fn.environment.TABLE_NAME);
    assert.ok(variables.includes("from-overrides"), `TABLE_NAME values: ${variables.join(", ")}`);

    await assert.rejects(
      loadConfig(join(fixturesDir, "config", "portico-items"), { parameterOverrides: new Map([["A", "1"]]) }),
      /portico\.yaml: --parameter-overrides sets a SAM template's Parameters; portico\.yaml has none/,
    );
  });
});
