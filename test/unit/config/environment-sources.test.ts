/**
 * Variable values from outside the config: `${env:NAME}` from Portico's environment and `--env-file`,
 * and `--env-vars` (SAM's JSON) for portico.yaml and SAM templates, with the errors naming file, key
 * and reason.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are portico.yaml values, `${env:NAME}` references as written.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ConfigError, type EnvironmentOptions, loadConfig } from "../../../src/config/index.js";

const scratch = mkdtempSync(join(tmpdir(), "portico-env-sources-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;

/** A directory holding `files` (name → text), with an empty `src/app.py` for functions to point at. */
function dir(files: Record<string, string>): string {
  const path = join(scratch, `d${++count}`);
  mkdirSync(join(path, "src"), { recursive: true });
  writeFileSync(join(path, "src", "app.py"), "");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
  return path;
}

const PORTICO_YAML = `functions:
  getItem:
    runtime: python3
    handler: app.handler
    code: src
    environment:
      TABLE: items
      DATABASE_URL: \${env:DATABASE_URL}
      LOG_LEVEL: \${env:LOG_LEVEL:-info}
  other:
    runtime: python3
    handler: app.handler
    code: src
apis:
  items:
    routes: { GET /: getItem }
    stages: { prod: { variables: { URL: "\${env:DATABASE_URL}" } } }
services:
  web:
    source: src
    command: python3 app.py
    env:
      DATABASE_URL: \${env:DATABASE_URL}
      MODE: dev
`;

async function configError(load: Promise<unknown>): Promise<ConfigError> {
  try {
    await load;
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail("loaded without error");
}

async function load(project: string, options: EnvironmentOptions) {
  const { project: loaded, warnings } = await loadConfig(project, options);
  const fn = (name: string) => loaded.functions.get(name)?.environment;
  return { fn, service: (name: string) => loaded.services.get(name)?.env, warnings, project: loaded };
}

describe("${env:NAME} in portico.yaml", () => {
  test("passes exactly the named variables of Portico's environment, to functions and services", async () => {
    const project = dir({ "portico.yaml": PORTICO_YAML });
    const processEnv = { DATABASE_URL: "postgres://db/app", SECRET: "s3cret", LOG_LEVEL: "" };
    const { fn, service, project: loaded } = await load(project, { processEnv });
    assert.deepEqual(fn("getItem"), { TABLE: "items", DATABASE_URL: "postgres://db/app", LOG_LEVEL: "info" });
    assert.deepEqual(fn("other"), {});
    assert.deepEqual(service("web"), { DATABASE_URL: "postgres://db/app", MODE: "dev" });
    // Only variable values are read for references: elsewhere the text stays as written.
    assert.equal(loaded.apis[0]?.stages[1]?.variables.URL, "${env:DATABASE_URL}");
  });

  test("an unset variable is an error naming the file, every key and the reason", async () => {
    const project = dir({ "portico.yaml": PORTICO_YAML });
    const error = await configError(loadConfig(project, { processEnv: {} }));
    assert.equal(error.file, join(project, "portico.yaml"));
    const reason =
      "`${env:DATABASE_URL}`: DATABASE_URL is not set in Portico's environment; set it, or give a default with `${env:DATABASE_URL:-VALUE}`";
    assert.deepEqual(error.issues, [
      { key: "functions.getItem.environment.DATABASE_URL", reason },
      { key: "services.web.env.DATABASE_URL", reason },
    ]);
    assert.ok(error.message.includes(`portico.yaml: functions.getItem.environment.DATABASE_URL: ${reason}`));
  });

  test("reference errors are reported beside other problems of the file", async () => {
    const yaml = PORTICO_YAML.replace(
      "handler: app.handler\n    code: src\n    environment",
      "timeout: 0\n    handler: app.handler\n    code: src\n    environment",
    );
    const error = await configError(loadConfig(dir({ "portico.yaml": yaml }), { processEnv: {} }));
    assert.deepEqual(
      error.issues.map((issue) => issue.key),
      [
        "functions.getItem.timeout",
        "functions.getItem.environment.DATABASE_URL",
        "services.web.env.DATABASE_URL",
      ],
    );
  });

  test("substituted values are checked like written ones: Lambda's 4 KB", async () => {
    const project = dir({ "portico.yaml": PORTICO_YAML });
    const error = await configError(loadConfig(project, { processEnv: { DATABASE_URL: "x".repeat(5000) } }));
    assert.match(error.message, /functions\.getItem\.environment: total \d+ bytes; Lambda allows 4 KB/);
  });

  test("--env-file fills in what Portico's environment lacks; the environment wins", async () => {
    const project = dir({
      "portico.yaml": PORTICO_YAML,
      "values.env":
        "# local values\nDATABASE_URL=postgres://from-file\nLOG_LEVEL=debug\nOTHER=never-passed\n",
    });
    const envFile = join(project, "values.env");
    const fromFile = await load(project, { processEnv: {}, envFile });
    assert.deepEqual(fromFile.fn("getItem"), {
      TABLE: "items",
      DATABASE_URL: "postgres://from-file",
      LOG_LEVEL: "debug",
    });
    const both = await load(project, { processEnv: { DATABASE_URL: "postgres://env" }, envFile });
    assert.equal(both.fn("getItem")?.DATABASE_URL, "postgres://env");
    const error = await configError(
      loadConfig(project, { processEnv: {}, envFile: join(project, "missing.env") }),
    );
    assert.equal(error.file, join(project, "missing.env"));
    assert.match(error.message, /^missing\.env: cannot be read: ENOENT/);
  });

  test("an unset variable's message names the --env-file too", async () => {
    const project = dir({ "portico.yaml": PORTICO_YAML, "values.env": "LOG_LEVEL=debug\n" });
    const error = await configError(
      loadConfig(project, { processEnv: {}, envFile: join(project, "values.env") }),
    );
    assert.match(
      error.issues[0]?.reason ?? "",
      /DATABASE_URL is not set in Portico's environment or values\.env;/,
    );
  });
});

describe("--env-vars with portico.yaml", () => {
  const envVars = {
    Parameters: { MODE: "from-parameters", TABLE: "from-parameters", NOBODY: "x" },
    getItem: { TABLE: "from-getItem", DATABASE_URL: "postgres://override", UNDECLARED: "y" },
    ghost: { TABLE: "z" },
  };

  test("Parameters apply to every function and service, a name's own entry wins, only declared variables change", async () => {
    const project = dir({ "portico.yaml": PORTICO_YAML, "env.json": JSON.stringify(envVars) });
    const { fn, service } = await load(project, {
      processEnv: { DATABASE_URL: "postgres://env" },
      envVarsFile: join(project, "env.json"),
    });
    assert.deepEqual(fn("getItem"), {
      TABLE: "from-getItem",
      DATABASE_URL: "postgres://override",
      LOG_LEVEL: "info",
    });
    assert.deepEqual(fn("other"), {});
    assert.deepEqual(service("web"), { DATABASE_URL: "postgres://env", MODE: "from-parameters" });
  });

  test("an overridden variable's reference is not resolved, so it need not be set", async () => {
    const overrides = { getItem: { DATABASE_URL: "a" }, web: { DATABASE_URL: "b" } };
    const project = dir({ "portico.yaml": PORTICO_YAML, "env.json": JSON.stringify(overrides) });
    const { fn, service } = await load(project, { processEnv: {}, envVarsFile: join(project, "env.json") });
    assert.equal(fn("getItem")?.DATABASE_URL, "a");
    assert.equal(service("web")?.DATABASE_URL, "b");
  });

  test("what overrides nothing is a warning naming the file and the entry", async () => {
    const project = dir({ "portico.yaml": PORTICO_YAML, "env.json": JSON.stringify(envVars) });
    const envVarsFile = join(project, "env.json");
    const { warnings } = await load(project, { processEnv: { DATABASE_URL: "x" }, envVarsFile });
    assert.deepEqual(
      warnings.map(({ file, key, reason }) => ({ file, key, reason: reason.split(",")[0] })),
      [
        {
          file: envVarsFile,
          key: "Parameters.NOBODY",
          reason: "is not declared in the environment of any function or service",
        },
        {
          file: envVarsFile,
          key: "getItem.UNDECLARED",
          reason: "is not declared in the environment of getItem",
        },
        { file: envVarsFile, key: "ghost", reason: "names no function or service of portico.yaml; ignored" },
      ],
    );
  });

  test("values are made strings as sam local makes them", async () => {
    const overrides = { getItem: { TABLE: true, DATABASE_URL: 5, LOG_LEVEL: null } };
    const project = dir({ "portico.yaml": PORTICO_YAML, "env.json": JSON.stringify(overrides) });
    const { fn } = await load(project, {
      processEnv: { DATABASE_URL: "x" },
      envVarsFile: join(project, "env.json"),
    });
    assert.deepEqual(fn("getItem"), { TABLE: "true", DATABASE_URL: "5", LOG_LEVEL: "" });
  });

  const malformed: ReadonlyArray<readonly [string, string, string, string]> = [
    ["not JSON", "{ nope", "", "is not valid JSON: "],
    ["a list", "[]", "", 'must be a JSON object whose keys are function or service names (or "Parameters"'],
    [
      "an entry that is not an object",
      '{"getItem": "TABLE=x"}',
      "getItem",
      "must be an object of variable names to values",
    ],
  ];
  for (const [name, text, key, reason] of malformed) {
    test(`a file that is ${name} is an error naming it`, async () => {
      const project = dir({ "portico.yaml": PORTICO_YAML, "env.json": text });
      const error = await configError(
        loadConfig(project, { processEnv: { DATABASE_URL: "x" }, envVarsFile: join(project, "env.json") }),
      );
      assert.equal(error.file, join(project, "env.json"));
      assert.equal(error.issues.length, 1);
      assert.equal(error.issues[0]?.key, key);
      assert.ok(error.issues[0]?.reason.startsWith(reason), error.message);
    });
  }
});

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
    CodeUri: src
    Environment:
      Variables:
        SHARED: global
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  GetItem:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          TABLE_ARN: !GetAtt Table.Arn
          STAGE: dev
  Other:
    Type: AWS::Serverless::Function
`;

/** Leaves out the template's other warning: its table resource is not modelled. */
function isAboutVariables(warning: { key: string }): boolean {
  return warning.key !== "Resources.Table";
}

describe("--env-vars with a SAM template", () => {
  test("replaces declared variables (a Globals one too), an unresolvable one without a warning", async () => {
    const overrides = {
      Parameters: { SHARED: "from-parameters", STAGE: "from-parameters" },
      GetItem: { TABLE_ARN: "arn:aws:dynamodb:local:table/items", EXTRA: "no" },
    };
    const project = dir({ "template.yaml": TEMPLATE, "env.json": JSON.stringify(overrides) });
    const envVarsFile = join(project, "env.json");
    const { fn, warnings } = await load(project, { envVarsFile });
    assert.deepEqual(fn("GetItem"), {
      SHARED: "from-parameters",
      TABLE_ARN: "arn:aws:dynamodb:local:table/items",
      STAGE: "from-parameters",
    });
    assert.deepEqual(fn("Other"), { SHARED: "from-parameters" });
    assert.deepEqual(
      warnings.filter(isAboutVariables).map(({ file, key }) => ({ file, key })),
      [{ file: envVarsFile, key: "GetItem.EXTRA" }],
    );
  });

  test("a function's entry may be named by its FunctionName; its logical id's entry wins", async () => {
    const template = TEMPLATE.replace(
      "  Other:\n    Type: AWS::Serverless::Function\n",
      "  Other:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: items-other\n",
    );
    const overrides = {
      "items-other": { SHARED: "by-name" },
      GetItem: { STAGE: "by-id" },
      "get-item": { STAGE: "x" },
    };
    const project = dir({
      "template.yaml": template.replace(
        "  GetItem:\n    Type: AWS::Serverless::Function\n    Properties:\n",
        "  GetItem:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: get-item\n",
      ),
      "env.json": JSON.stringify(overrides),
    });
    const { fn, warnings } = await load(project, { envVarsFile: join(project, "env.json") });
    assert.equal(fn("Other")?.SHARED, "by-name");
    assert.equal(fn("GetItem")?.STAGE, "by-id");
    assert.deepEqual(
      warnings.filter((warning) => warning.file.endsWith("env.json")),
      [],
    );
  });

  test("without --env-vars, the unresolvable variable is blanked with a warning, as before", async () => {
    const project = dir({ "template.yaml": TEMPLATE });
    const { fn, warnings } = await load(project, {});
    assert.equal(fn("GetItem")?.TABLE_ARN, "");
    assert.deepEqual(
      warnings.filter(isAboutVariables).map(({ key }) => key),
      ["Resources.GetItem.Properties.Environment.Variables.TABLE_ARN"],
    );
  });

  test("a ${env:NAME} in a SAM template stays text, with a warning pointing to --env-vars", async () => {
    const project = dir({ "template.yaml": TEMPLATE.replace("STAGE: dev", "STAGE: ${env:STAGE}") });
    const { fn, warnings } = await load(project, { processEnv: { STAGE: "prod" } });
    assert.equal(fn("GetItem")?.STAGE, "${env:STAGE}");
    const warning = warnings.find((candidate) => candidate.key.endsWith("Variables.STAGE"));
    assert.match(warning?.reason ?? "", /stays text, as on AWS: give the value with --env-vars/);
  });

  test("--env-file has nothing to fill in a SAM template, and says so", async () => {
    const project = dir({ "template.yaml": TEMPLATE, ".env": "SHARED=x\n" });
    const envFile = join(project, ".env");
    const { fn, warnings } = await load(project, { envFile });
    assert.equal(fn("GetItem")?.SHARED, "global");
    assert.equal(warnings.at(-1)?.file, envFile);
    assert.match(warnings.at(-1)?.reason ?? "", /use --env-vars/);
  });
});
