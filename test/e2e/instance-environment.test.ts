/**
 * What function and service instances see of Portico's environment, end to end through `portico dev`
 * and `portico invoke`: a secret in Portico's environment reaches none of them; PATH, HOME, LANG, TMPDIR, their
 * own variables and the platform's do; `${env:NAME}` passes exactly the variable it names; `--env-vars`
 * (SAM's JSON) and `--env-file` (dotenv) supply values, and editing either reloads.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { detectContainerEngine } from "../../src/services/container-engine.js";
import { nodeAppImage } from "../helpers/container-image.js";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";

const projectDir = join(fixturesDir, "projects", "instance-environment");
const DATABASE_URL = "postgres://db.test/app";

/** Portico's own environment in these tests: a secret, a named variable, and settings of its toolchain. */
const PORTICO_ENV: NodeJS.ProcessEnv = {
  PORTICO_TEST_SECRET: "s3cret",
  PORTICO_TEST_DATABASE_URL: DATABASE_URL,
  PORTICO_TEST_NODE_OPTIONS: "--max-http-header-size=12345",
  PYTHONPATH: join(tmpdir(), "portico-test-pythonpath"),
  NODE_OPTIONS: "--no-warnings",
  TMPDIR: tmpdir(),
  // Unset: instances get C.UTF-8.
  LANG: undefined,
};

type Env = Record<string, string>;

const FUNCTION_VARIABLES = ["OWN", "DATABASE_URL", "WITH_DEFAULT", "FROM_DOTENV", "OVERRIDDEN", "LITERAL"];
const TOOLCHAIN = ["PATH", "HOME", "LANG", "TMPDIR"];
const LAMBDA_RESERVED = [
  "_HANDLER",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
  "TZ",
];

/** Every variable each kind of instance may have, and those it must have. */
const EXPECTED: Record<string, { readonly required: string[]; readonly allowed: string[] }> = {
  node: {
    required: [...TOOLCHAIN, ...FUNCTION_VARIABLES, ...LAMBDA_RESERVED, "AWS_EXECUTION_ENV"],
    allowed: ["_X_AMZN_TRACE_ID"],
  },
  python: {
    required: [...TOOLCHAIN, ...FUNCTION_VARIABLES, ...LAMBDA_RESERVED, "AWS_EXECUTION_ENV"],
    allowed: ["_X_AMZN_TRACE_ID"],
  },
  // The bootstrap is a shell script: the shell may export its own PWD, SHLVL and `_`.
  provided: {
    required: [...TOOLCHAIN, ...FUNCTION_VARIABLES, ...LAMBDA_RESERVED, "AWS_LAMBDA_RUNTIME_API"],
    allowed: ["PWD", "OLDPWD", "SHLVL", "_"],
  },
  service: {
    required: [
      ...TOOLCHAIN,
      ...FUNCTION_VARIABLES,
      "PORT",
      "K_SERVICE",
      "K_REVISION",
      "K_CONFIGURATION",
      "PYTHONUNBUFFERED",
    ],
    allowed: [],
  },
};

/** Asserts `env` has exactly the variables its kind of instance may have, and the toolchain's values. */
function assertOnlyExpected(kind: keyof typeof EXPECTED, env: Env): void {
  const { required, allowed } = EXPECTED[kind] as (typeof EXPECTED)[string];
  const unexpected = Object.keys(env).filter((name) => !required.includes(name) && !allowed.includes(name));
  assert.deepEqual(unexpected, [], `${kind} sees variables it should not: ${unexpected.join(", ")}`);
  const missing = required.filter((name) => !(name in env));
  assert.deepEqual(missing, [], `${kind} lacks ${missing.join(", ")}`);
  assert.equal(env.PATH, process.env.PATH, `${kind}: PATH is Portico's`);
  assert.equal(env.HOME, process.env.HOME, `${kind}: HOME is Portico's`);
  assert.equal(env.TMPDIR, PORTICO_ENV.TMPDIR, `${kind}: TMPDIR is Portico's`);
  assert.equal(env.LANG, "C.UTF-8", `${kind}: LANG defaults to C.UTF-8`);
}

/** The variables from the fixture's portico.yaml, as written and substituted. */
function assertOwnVariables(kind: string, env: Env, overrides: Partial<Env> = {}): void {
  const expected = {
    OWN: "mine",
    DATABASE_URL,
    WITH_DEFAULT: "fallback",
    FROM_DOTENV: "none",
    OVERRIDDEN: "template",
    LITERAL: `\${env:NOT_A_REFERENCE}`,
    ...overrides,
  };
  const seen = Object.fromEntries(Object.keys(expected).map((name) => [name, env[name]]));
  assert.deepEqual(seen, expected, `${kind}'s own variables`);
}

async function functionEnv(port: number, path: string): Promise<{ env: Env; sysPath?: string[] }> {
  const response = await send({ port, path });
  assert.equal(response.status, 200, response.text);
  return response.json() as { env: Env; sysPath?: string[] };
}

async function serviceEnv(port: number): Promise<Env> {
  const response = await send({ port, path: "/", headers: { host: `envsvc.localhost:${port}` } });
  assert.equal(response.status, 200, response.text);
  return (response.json() as { env: Env }).env;
}

describe("portico dev with a secret in its environment", () => {
  let portico: PorticoProcess;
  let port: number;

  before(async () => {
    ({ portico, port } = await startDev(projectDir, [], { env: PORTICO_ENV }));
  });
  after(() => portico?.stop());

  test("a Node.js function sees its own variables, Lambda's and the toolchain's, nothing else", async () => {
    const { env } = await functionEnv(port, "/node");
    assertOnlyExpected("node", env);
    assertOwnVariables("node", env);
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, "nodeEnv");
    assert.equal(env.TZ, ":UTC");
  });

  test("a Python function too, and Portico's PYTHONPATH is not on its sys.path", async () => {
    const { env, sysPath } = await functionEnv(port, "/python");
    assertOnlyExpected("python", env);
    assertOwnVariables("python", env);
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, "pythonEnv");
    assert.ok(!sysPath?.includes(PORTICO_ENV.PYTHONPATH as string), `sys.path: ${sysPath?.join(", ")}`);
  });

  test("a provided bootstrap too, with its AWS_LAMBDA_RUNTIME_API", async () => {
    const { env } = await functionEnv(port, "/provided");
    assertOnlyExpected("provided", env);
    assertOwnVariables("provided", env);
    assert.match(env.AWS_LAMBDA_RUNTIME_API as string, /^127\.0\.0\.1:\d+$/);
  });

  test("a function's NODE_OPTIONS and PYTHON* variables take effect: its instances start with them", async () => {
    const node = (await send({ port, path: "/node-startup" })).json() as { maxHeaderSize: number };
    assert.equal(node.maxHeaderSize, 12345);
    const python = (await send({ port, path: "/python-startup" })).json() as { hashRandomization: number };
    assert.equal(python.hashRandomization, 0);
  });

  test("a service sees its own variables, PORT and K_*, and the toolchain's, nothing else", async () => {
    const env = await serviceEnv(port);
    assertOnlyExpected("service", env);
    assertOwnVariables("service", env);
    assert.equal(env.K_SERVICE, "envsvc");
    assert.match(env.K_REVISION as string, /^envsvc-00001-[a-z0-9]+$/);
  });
});

describe("--env-vars and --env-file, in files outside the project", () => {
  const filesDir = mkdtempSync(join(tmpdir(), "portico-env-files-"));
  const envVars = join(filesDir, "env.json");
  const dotenv = join(filesDir, "values.env");
  let portico: PorticoProcess;
  let port: number;

  const writeEnvVars = (nodeValue: string) =>
    writeFileSync(
      envVars,
      JSON.stringify({
        Parameters: { OVERRIDDEN: "from-parameters", NOBODY_DECLARES: "x" },
        nodeEnv: { OVERRIDDEN: nodeValue, UNDECLARED: "ignored" },
        envsvc: { OVERRIDDEN: "from-envsvc" },
        notAFunction: { OVERRIDDEN: "y" },
      }),
    );
  const writeDotenv = (value: string) =>
    writeFileSync(
      dotenv,
      [
        `PORTICO_TEST_FROM_DOTENV=${value}`,
        "# Portico's own environment wins over the file",
        "PORTICO_TEST_DATABASE_URL=postgres://from-the-file",
        "UNNAMED_SECRET=never-passed",
        "",
      ].join("\n"),
    );

  before(async () => {
    writeEnvVars("from-nodeEnv");
    writeDotenv("from-dotenv");
    ({ portico, port } = await startDev(projectDir, ["--env-vars", envVars, "--env-file", dotenv], {
      env: PORTICO_ENV,
    }));
  });
  after(async () => {
    await portico?.stop();
    rmSync(filesDir, { recursive: true, force: true });
  });

  test("a function's own entry wins over Parameters; only declared variables are replaced", async () => {
    const { env } = await functionEnv(port, "/node");
    assertOnlyExpected("node", env);
    assertOwnVariables("node", env, { OVERRIDDEN: "from-nodeEnv", FROM_DOTENV: "from-dotenv" });
    const python = await functionEnv(port, "/python");
    assertOwnVariables("python", python.env, { OVERRIDDEN: "from-parameters", FROM_DOTENV: "from-dotenv" });
    const provided = await functionEnv(port, "/provided");
    assertOwnVariables("provided", provided.env, {
      OVERRIDDEN: "from-parameters",
      FROM_DOTENV: "from-dotenv",
    });
  });

  test("a service's name is its key in the --env-vars file", async () => {
    const env = await serviceEnv(port);
    assertOnlyExpected("service", env);
    assertOwnVariables("service", env, { OVERRIDDEN: "from-envsvc", FROM_DOTENV: "from-dotenv" });
  });

  test("what overrides nothing is reported", () => {
    assert.match(
      portico.output,
      /warning: env\.json: nodeEnv\.UNDECLARED: is not declared in the environment of nodeEnv/,
    );
    assert.match(portico.output, /warning: env\.json: Parameters\.NOBODY_DECLARES: is not declared/);
    assert.match(
      portico.output,
      /warning: env\.json: notAFunction: names no function or service of portico\.yaml/,
    );
  });

  test("editing either file reloads: functions and services get the new values", async () => {
    let from = portico.output.length;
    writeEnvVars("edited");
    await portico.waitFor(/Reloaded after a change to \S*env\.json/, { from, timeoutMs: 20_000 });
    assert.equal((await functionEnv(port, "/node")).env.OVERRIDDEN, "edited");

    from = portico.output.length;
    writeDotenv("dotenv-edited");
    await portico.waitFor(/Service \[envsvc\] revision \[envsvc-00002-[a-z0-9]+\] has been deployed/, {
      from,
      timeoutMs: 20_000,
    });
    assert.equal((await functionEnv(port, "/python")).env.FROM_DOTENV, "dotenv-edited");
    assert.equal((await serviceEnv(port)).FROM_DOTENV, "dotenv-edited");
  });
});

describe("a service from a container image", () => {
  const found = detectContainerEngine().catch((error: unknown) => error as Error);
  const projectDir = mkdtempSync(join(tmpdir(), "portico-env-image-"));
  after(() => rmSync(projectDir, { recursive: true, force: true }));

  test("gets its own variables and Cloud Run's, not Portico's environment nor its proxy settings", {
    timeout: 120_000,
  }, async (t) => {
    const engine = await found;
    if (engine instanceof Error) return t.skip(`no working container engine here: ${engine.message}`);
    const image = await nodeAppImage(engine, join(fixturesDir, "services", "container-echo", "server.mjs"));
    // The image's node, answering with its whole environment.
    const server = `require("node:http").createServer((q, s) => s.end(JSON.stringify(process.env))).listen(Number(process.env.PORT))`;
    const command = `exec ${process.execPath} -e '${server}'`;
    writeFileSync(
      join(projectDir, "portico.yaml"),
      `services:\n  envimg:\n    image: ${image.ref}\n    command: ${JSON.stringify(command)}\n` +
        `    env: { OWN: mine, DATABASE_URL: "\${env:PORTICO_TEST_DATABASE_URL}" }\n`,
    );
    const proxy = "http://user:secret@proxy.test:3128";
    const portico = new PorticoProcess(["dev", projectDir, "--port", "0", "--admin-port", "0"], {
      env: { ...PORTICO_ENV, HTTP_PROXY: proxy, https_proxy: proxy },
    });
    try {
      const [, found] = await portico.waitFor(/Service \[envimg\] Service URL: http:\/\/[^:]+:(\d+)\//, {
        timeoutMs: 60_000,
      });
      const port = Number(found);
      const response = await send({ port, path: "/", headers: { host: `envimg.localhost:${port}` } });
      assert.equal(response.status, 200, response.text);
      const env = response.json() as Env;
      // What the engine gives every container, the image's ENV, the shell's PWD, and the app's own.
      const engineOwn = ["PATH", "HOME", "HOSTNAME", "TERM", "container", "PWD", ...Object.keys(image.env)];
      const app = ["OWN", "DATABASE_URL", "PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"];
      const unexpected = Object.keys(env).filter((name) => !engineOwn.includes(name) && !app.includes(name));
      assert.deepEqual(unexpected, [], `the container sees ${unexpected.join(", ")}`);
      assert.equal(env.OWN, "mine");
      assert.equal(env.DATABASE_URL, DATABASE_URL);
      assert.equal(env.K_SERVICE, "envimg");
    } finally {
      await portico.stop();
    }
  });
});

describe("portico invoke", () => {
  test("takes --env-vars and --env-file, and passes no secret", async () => {
    const filesDir = mkdtempSync(join(tmpdir(), "portico-env-files-"));
    try {
      writeFileSync(
        join(filesDir, "env.json"),
        JSON.stringify({ Parameters: { OVERRIDDEN: "from-parameters", NOPE: "x" } }),
      );
      writeFileSync(join(filesDir, ".env"), "PORTICO_TEST_FROM_DOTENV=from-dotenv\n");
      const { code, stdout, stderr } = await runPortico(
        ["invoke", "pythonEnv", "--dir", projectDir, "--env-vars", "env.json", "--env-file", ".env"],
        { cwd: filesDir, env: PORTICO_ENV, timeoutMs: 20_000 },
      );
      assert.equal(code, 0, stderr);
      assert.match(stderr, /^portico: warning: env\.json: Parameters\.NOPE: is not declared/m);
      const { env } = JSON.parse(stdout) as { env: Env };
      assertOnlyExpected("python", env);
      assertOwnVariables("python", env, { OVERRIDDEN: "from-parameters", FROM_DOTENV: "from-dotenv" });
    } finally {
      rmSync(filesDir, { recursive: true, force: true });
    }
  });
});

describe("a reference to a variable Portico's environment lacks", () => {
  test("stops `portico dev` with an error naming the file, the key and the reason", async () => {
    const { code, stderr } = await runPortico(["dev", projectDir, "--port", "0", "--admin-port", "0"], {
      env: { ...PORTICO_ENV, PORTICO_TEST_DATABASE_URL: undefined },
    });
    assert.equal(code, 1);
    for (const key of [
      "functions.nodeEnv.environment.DATABASE_URL",
      "functions.pythonEnv.environment.DATABASE_URL",
      "functions.providedEnv.environment.DATABASE_URL",
      "services.envsvc.env.DATABASE_URL",
    ]) {
      assert.ok(
        stderr.includes(
          `portico.yaml: ${key}: \`\${env:PORTICO_TEST_DATABASE_URL}\`: PORTICO_TEST_DATABASE_URL is not set in Portico's environment`,
        ),
        stderr,
      );
    }
  });
});
