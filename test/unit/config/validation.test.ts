import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { ConfigError, type ConfigIssue, loadProject } from "../../../src/config/index.js";

const scratch = mkdtempSync(join(tmpdir(), "portico-config-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;

/** A project directory holding `files` (path → text) and the code directories `src/` and `src/other/`. */
function project(files: Record<string, string>): string {
  const dir = join(scratch, `p${++projects}`);
  mkdirSync(join(dir, "src", "other"), { recursive: true });
  writeFileSync(join(dir, "src", "app.py"), "");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A project directory whose portico.yaml is `yaml`. */
function porticoProject(yaml: string): string {
  return project({ "portico.yaml": yaml });
}

async function configError(dir: string): Promise<ConfigError> {
  try {
    await loadProject(dir);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail("the project loaded without error");
}

/** Asserts one issue with `key` whose reason contains `reason`, and that the message lists it. */
function assertIssue(
  error: ConfigError,
  file: string,
  key: string,
  reason: string | RegExp,
  hint?: string,
): ConfigIssue {
  const issue = error.issues.find((candidate) => candidate.key === key);
  const listed = error.issues.map((candidate) => `${candidate.key}: ${candidate.reason}`).join("\n");
  assert.ok(issue, `no issue for ${key}; issues:\n${listed}`);
  if (typeof reason === "string") assert.ok(issue.reason.includes(reason), `${issue.reason} lacks ${reason}`);
  else assert.match(issue.reason, reason);
  if (hint !== undefined) assert.equal(issue.hint, hint);
  const where = key === "" ? file : `${file}: ${key}`;
  assert.ok(error.message.includes(`${where}: ${issue.reason}`), error.message);
  return issue;
}

/** A minimal valid function, to which cases add their mistake. */
const FN = "    runtime: python3\n    handler: app.handler\n    code: src\n";

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly key: string;
  readonly reason: string | RegExp;
  readonly hint?: string;
}

/** `services:` with one service `web` whose settings are `settings` (YAML flow mapping body). */
const svc = (settings: string) => `services:\n  web: { ${settings} }\n`;

const RESERVED_SERVICE_VARIABLES = ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"];

/** Keys other platforms use (Knative, Cloud Run, gcloud, Lambda) and the service key each is hinted to be. */
const SERVICE_NEAR_MISSES: readonly [string, string][] = [
  ["minScale", "minInstances"],
  ["min-scale", "minInstances"],
  ["maxScale", "maxInstances"],
  ["minInstanceCount", "minInstances"],
  ["containerConcurrency", "concurrency"],
  ["maxInstanceRequestConcurrency", "concurrency"],
  ["environment", "env"],
  ["envVars", "env"],
  ["allowUnauthenticated", "public"],
  ["entrypoint", "command"],
  ["cmd", "command"],
  ["code", "source"],
  ["src", "source"],
  ["timeoutSeconds", "timeout"],
  ["idle_timeout", "idleTimeout"],
  ["startup", "startupTimeout"],
  ["function", "functionTarget"],
  ["target", "functionTarget"],
  ["domain", "domains"],
  ["Image", "image"],
];

function serviceCases(): Case[] {
  return [
    {
      name: "service name with capitals",
      yaml: "services:\n  Web: {}\n",
      key: "services.Web",
      reason:
        "is not a valid service name: it is used as a host name (NAME.localhost), so use up to 49 lowercase letters, digits and -, starting with a letter and not ending with -, as Cloud Run does",
      hint: "did you mean `web`?",
    },
    {
      name: "service name with an underscore",
      yaml: "services:\n  my_web: {}\n",
      key: "services.my_web",
      reason: "is not a valid service name",
      hint: "did you mean `my-web`?",
    },
    {
      name: "service name starting with a digit",
      yaml: "services:\n  1web: {}\n",
      key: 'services["1web"]',
      reason: "is not a valid service name",
    },
    {
      name: "service name ending with -",
      yaml: "services:\n  web-: {}\n",
      key: "services.web-",
      reason: "is not a valid service name",
    },
    {
      name: "service name of 50 characters",
      yaml: `services:\n  ${"w".repeat(50)}: {}\n`,
      key: `services.${"w".repeat(50)}`,
      reason: "so use up to 49 lowercase letters",
    },
    {
      name: "service name shaped like a tag URL",
      yaml: "services:\n  blue---web: {}\n",
      key: "services.blue---web",
      reason: "is not a valid service name: `---` is reserved for tag URLs (TAG---NAME.localhost)",
    },
    {
      name: "service with the name of an API",
      yaml: "apis:\n  items: {}\nservices:\n  items: {}\n",
      key: "services.items",
      reason:
        "is also the name of an API (`apis.items`): both would be reached at items.localhost; rename one",
    },
    {
      name: "service source missing",
      yaml: svc("source: ./web"),
      key: "services.web.source",
      reason: /^directory does not exist: \/.*\/web$/,
    },
    {
      name: "service source is a file",
      yaml: svc("source: src/app.py"),
      key: "services.web.source",
      reason: /^is not a directory: \/.*src\/app\.py$/,
    },
    {
      name: "service source that is a number",
      yaml: svc("source: 5"),
      key: "services.web.source",
      reason: "must be a directory relative to the config file, got 5",
    },
    {
      name: "service with both source and image",
      yaml: svc("source: src, image: ghcr.io/acme/web:1"),
      key: "services.web.image",
      reason:
        "cannot be given together with `source`: a service runs either from a source directory or from a container image",
    },
    {
      name: "image with capitals",
      yaml: svc("image: Acme/Web:1.2"),
      key: "services.web.image",
      reason:
        'must be a container image such as ghcr.io/acme/web:1.2 (repository names are lowercase), got "Acme/Web:1.2"',
      hint: "did you mean `acme/web:1.2`?",
    },
    {
      name: "image with a space",
      yaml: svc("image: 'acme/web 1.2'"),
      key: "services.web.image",
      reason:
        'must be a container image such as ghcr.io/acme/web:1.2 (repository names are lowercase), got "acme/web 1.2"',
    },
    {
      name: "image with a short digest",
      yaml: svc("image: 'acme/web@sha256:abc'"),
      key: "services.web.image",
      reason: "must be a container image",
    },
    {
      name: "blank command",
      yaml: svc("command: '  '"),
      key: "services.web.command",
      reason: 'must be a command line such as `python3 app.py`, got "  "',
    },
    {
      name: "command as a list",
      yaml: svc("command: [python3, app.py]"),
      key: "services.web.command",
      reason: "must be a command line such as `python3 app.py`, got a list",
    },
    {
      name: "function target with a space",
      yaml: svc("functionTarget: 'hello world'"),
      key: "services.web.functionTarget",
      reason:
        'must be the name of the function to serve (FUNCTION_TARGET), e.g. helloHttp, got "hello world"',
    },
    {
      name: "function target also in env",
      yaml: svc("functionTarget: hello, env: { FUNCTION_TARGET: other }"),
      key: "services.web.env.FUNCTION_TARGET",
      reason: "is set from `functionTarget`; give the target in one place",
    },
    ...RESERVED_SERVICE_VARIABLES.map(
      (name): Case => ({
        name: `reserved service variable ${name}`,
        yaml: svc(`env: { ${name}: x }`),
        key: `services.web.env.${name}`,
        reason:
          "is reserved: Cloud Run sets PORT, K_SERVICE, K_REVISION and K_CONFIGURATION in every instance and rejects them in a service's env",
      }),
    ),
    {
      name: "service variable name with a dash",
      yaml: svc("env: { MY-VAR: x }"),
      key: "services.web.env.MY-VAR",
      reason: "is not a valid variable name: use letters, digits and _, not starting with a digit",
    },
    {
      name: "service variable name starting with a digit",
      yaml: svc("env: { 1VAR: x }"),
      key: 'services.web.env["1VAR"]',
      reason: "is not a valid variable name",
    },
    {
      name: "service variable that is a mapping",
      yaml: svc("env: { VAR: { a: 1 } }"),
      key: "services.web.env.VAR",
      reason: "must be a string, number or boolean, got a mapping",
    },
    {
      name: "service variable over 32 KiB",
      yaml: svc(`env: { BIG: ${"x".repeat(32 * 1024 + 1)} }`),
      key: "services.web.env.BIG",
      reason: "is 32769 bytes; Cloud Run allows 32 KiB per value",
    },
    {
      name: "more than 1000 service variables",
      yaml: svc(`env: { ${Array.from({ length: 1001 }, (_, i) => `V${i}: x`).join(", ")} }`),
      key: "services.web.env",
      reason: "has 1001 variables; Cloud Run allows 1000",
    },
    {
      name: "env as a list",
      yaml: svc("env: [MODE=prod]"),
      key: "services.web.env",
      reason: "must be a mapping of variable names to values, got a list",
    },
    {
      name: "service concurrency 0",
      yaml: svc("concurrency: 0"),
      key: "services.web.concurrency",
      reason: "must be a whole number of requests per instance between 1 and 1000, got 0",
    },
    {
      name: "service concurrency above 1000",
      yaml: svc("concurrency: 1001"),
      key: "services.web.concurrency",
      reason: "got 1001",
    },
    {
      name: "negative minInstances",
      yaml: svc("minInstances: -1"),
      key: "services.web.minInstances",
      reason: "must be a whole number of instances, at least 0, got -1",
    },
    {
      name: "maxInstances 0",
      yaml: svc("maxInstances: 0"),
      key: "services.web.maxInstances",
      reason: "must be a whole number of instances, at least 1, got 0",
    },
    {
      name: "fractional maxInstances",
      yaml: svc("maxInstances: 1.5"),
      key: "services.web.maxInstances",
      reason: "got 1.5",
    },
    {
      name: "maxInstances below minInstances",
      yaml: svc("minInstances: 3, maxInstances: 2"),
      key: "services.web.maxInstances",
      reason: "must be at least `minInstances` (3), got 2",
    },
    {
      name: "minInstances above the default maxInstances",
      yaml: svc("minInstances: 101"),
      key: "services.web.minInstances",
      reason:
        "must be at most `maxInstances` (100 by default), got 101; lower minInstances or set maxInstances",
    },
    {
      name: "service timeout 0",
      yaml: svc("timeout: 0"),
      key: "services.web.timeout",
      reason: "must be a whole number of seconds between 1 and 3600, got 0",
    },
    {
      name: "service timeout above an hour",
      yaml: svc("timeout: 3601"),
      key: "services.web.timeout",
      reason: "got 3601",
    },
    {
      name: "service idleTimeout 0",
      yaml: svc("idleTimeout: 0"),
      key: "services.web.idleTimeout",
      reason: "must be a whole number of seconds, at least 1, got 0",
    },
    {
      name: "startupTimeout 0",
      yaml: svc("startupTimeout: 0"),
      key: "services.web.startupTimeout",
      reason: "must be a whole number of seconds between 1 and 240, got 0",
    },
    {
      name: "startupTimeout above 4 minutes",
      yaml: svc("startupTimeout: 241"),
      key: "services.web.startupTimeout",
      reason: "got 241",
    },
    {
      name: "public as a word",
      yaml: svc("public: 'yes'"),
      key: "services.web.public",
      reason: 'must be true or false, got "yes"',
    },
    {
      name: "service domain with a scheme",
      yaml: svc("domains: ['https://web.example.test']"),
      key: "services.web.domains[0]",
      reason: 'must be a host name such as api.example.test, got "https://web.example.test"',
    },
    {
      name: "service domain claimed by an API",
      yaml: "apis:\n  items:\n    domains: [www.example.test]\nservices:\n  web:\n    domains: [WWW.example.test]\n",
      key: "services.web.domains[0]",
      reason: "is already a domain of API `items`",
    },
    {
      name: "API domain claimed by a service written before it",
      yaml: "services:\n  web:\n    domains: [www.example.test]\napis:\n  items:\n    domains: [www.example.test]\n",
      key: "apis.items.domains[0]",
      reason: "is already a domain of service `web`",
    },
    {
      name: "domain claimed by two services",
      yaml: "services:\n  web:\n    domains: [www.example.test]\n  shop:\n    domains: [www.example.test]\n",
      key: "services.shop.domains[0]",
      reason: "is already a domain of service `web`",
    },
    ...SERVICE_NEAR_MISSES.map(
      ([written, meant]): Case => ({
        name: `service key ${written} → ${meant}`,
        yaml: svc(`${written}: 1`),
        key: `services.web.${written}`,
        reason: "unknown key",
        hint: `did you mean \`${meant}\`?`,
      }),
    ),
    {
      name: "unknown service key without a near miss lists the known ones",
      yaml: svc("port: 8080"),
      key: "services.web.port",
      reason:
        "unknown key; expected one of source, command, image, functionTarget, env, concurrency, minInstances, maxInstances, timeout, idleTimeout, startupTimeout, public, domains",
    },
    {
      name: "service given as a directory",
      yaml: "services:\n  web: ./web\n",
      key: "services.web",
      reason: 'must be a mapping of service settings (source, command, concurrency, ...), got "./web"',
    },
    {
      name: "services as a list",
      yaml: "services: [web]\n",
      key: "services",
      reason: "must be a mapping of service names to settings, got a list",
    },
    {
      name: "misspelt services key",
      yaml: "service:\n  web: {}\n",
      key: "service",
      reason: "unknown key",
      hint: "did you mean `services`?",
    },
  ];
}

const porticoCases: readonly Case[] = [
  {
    name: "timeout below 1",
    yaml: `functions:\n  getItem:\n${FN}    timeout: 0\n`,
    key: "functions.getItem.timeout",
    reason: "must be a whole number of seconds between 1 and 900, got 0",
  },
  {
    name: "timeout above 900",
    yaml: `functions:\n  getItem:\n${FN}    timeout: 901\n`,
    key: "functions.getItem.timeout",
    reason: "got 901",
  },
  {
    name: "timeout as text",
    yaml: `functions:\n  getItem:\n${FN}    timeout: "3"\n`,
    key: "functions.getItem.timeout",
    reason: 'must be a whole number of seconds between 1 and 900, got "3"',
  },
  {
    name: "fractional timeout",
    yaml: `functions:\n  getItem:\n${FN}    timeout: 2.5\n`,
    key: "functions.getItem.timeout",
    reason: "got 2.5",
  },
  {
    name: "memory below 128",
    yaml: `functions:\n  getItem:\n${FN}    memory: 64\n`,
    key: "functions.getItem.memory",
    reason: "must be a whole number of megabytes between 128 and 10240, got 64",
  },
  {
    name: "memory above 10240",
    yaml: `functions:\n  getItem:\n${FN}    memory: 20000\n`,
    key: "functions.getItem.memory",
    reason: "got 20000",
  },
  {
    name: "concurrency 0",
    yaml: `functions:\n  getItem:\n${FN}    concurrency: 0\n`,
    key: "functions.getItem.concurrency",
    reason: "must be a whole number of instances, at least 1, got 0",
  },
  {
    name: "idleTimeout 0",
    yaml: `functions:\n  getItem:\n${FN}    idleTimeout: 0\n`,
    key: "functions.getItem.idleTimeout",
    reason: "must be a whole number of seconds, at least 1, got 0",
  },
  {
    name: "runtime missing",
    yaml: "functions:\n  getItem:\n    handler: app.handler\n    code: src\n",
    key: "functions.getItem.runtime",
    reason: "is required",
  },
  {
    name: "runtime unsupported",
    yaml: "functions:\n  getItem:\n    runtime: java21\n    handler: app.handler\n",
    key: "functions.getItem.runtime",
    reason: "`java21` is not a supported runtime: use nodejs, python3 or provided",
  },
  {
    name: "runtime near miss",
    yaml: "functions:\n  getItem:\n    runtime: python\n    handler: app.handler\n",
    key: "functions.getItem.runtime",
    reason: "is not a supported runtime",
    hint: "did you mean `python3`?",
  },
  {
    name: "handler missing",
    yaml: "functions:\n  getItem:\n    runtime: nodejs20.x\n",
    key: "functions.getItem.handler",
    reason: "is required for runtime nodejs20.x: FILE.FUNCTION",
  },
  {
    name: "handler without a function",
    yaml: "functions:\n  getItem:\n    runtime: nodejs\n    handler: index\n",
    key: "functions.getItem.handler",
    reason:
      'must be FILE.FUNCTION relative to the code directory (e.g. `app.handler`, `src/items.get_item`), got "index"',
  },
  {
    name: "handler climbing out of the code directory",
    yaml: "functions:\n  getItem:\n    runtime: nodejs\n    handler: ../app.handler\n",
    key: "functions.getItem.handler",
    reason: "must be FILE.FUNCTION",
  },
  {
    name: "code directory missing",
    yaml: "functions:\n  getItem:\n    runtime: python3\n    handler: app.handler\n    code: lib\n",
    key: "functions.getItem.code",
    reason: /^directory does not exist: \/.*\/lib$/,
  },
  {
    name: "code is a file",
    yaml: "functions:\n  getItem:\n    runtime: python3\n    handler: app.handler\n    code: src/app.py\n",
    key: "functions.getItem.code",
    reason: /^is not a directory: \/.*src\/app\.py$/,
  },
  {
    name: "environment name starting with a digit",
    yaml: `functions:\n  getItem:\n${FN}    environment: { 1TABLE: items }\n`,
    key: 'functions.getItem.environment["1TABLE"]',
    reason:
      "is not a valid variable name: it must start with a letter and have 2 or more letters, digits or _",
  },
  {
    name: "environment name of one character",
    yaml: `functions:\n  getItem:\n${FN}    environment: { T: items }\n`,
    key: "functions.getItem.environment.T",
    reason: "is not a valid variable name",
  },
  {
    name: "environment name with a dash",
    yaml: `functions:\n  getItem:\n${FN}    environment: { TABLE-NAME: items }\n`,
    key: "functions.getItem.environment.TABLE-NAME",
    reason: "is not a valid variable name",
  },
  {
    name: "reserved environment variable",
    yaml: `functions:\n  getItem:\n${FN}    environment: { AWS_REGION: eu-west-1 }\n`,
    key: "functions.getItem.environment.AWS_REGION",
    reason: "is reserved by Lambda, which sets it for every function",
  },
  {
    name: "reserved LAMBDA_TASK_ROOT",
    yaml: `functions:\n  getItem:\n${FN}    environment: { LAMBDA_TASK_ROOT: /tmp }\n`,
    key: "functions.getItem.environment.LAMBDA_TASK_ROOT",
    reason: "is reserved by Lambda",
  },
  {
    name: "environment value that is a list",
    yaml: `functions:\n  getItem:\n${FN}    environment: { TABLES: [a, b] }\n`,
    key: "functions.getItem.environment.TABLES",
    reason: "must be a string, number or boolean, got a list",
  },
  {
    name: "environment over 4 KB",
    yaml: `functions:\n  getItem:\n${FN}    environment: { BIG: ${"x".repeat(4100)} }\n`,
    key: "functions.getItem.environment",
    reason: "Lambda allows 4 KB",
  },
  {
    name: "environment that is a list",
    yaml: `functions:\n  getItem:\n${FN}    environment: [TABLE=items]\n`,
    key: "functions.getItem.environment",
    reason: "must be a mapping of variable names to values, got a list",
  },
  {
    name: "unknown function key",
    yaml: `functions:\n  getItem:\n${FN}    memorySize: 256\n`,
    key: "functions.getItem.memorySize",
    reason: "unknown key",
    hint: "did you mean `memory`?",
  },
  {
    name: "misspelt function key",
    yaml: `functions:\n  getItem:\n${FN}    timout: 5\n`,
    key: "functions.getItem.timout",
    reason: "unknown key",
    hint: "did you mean `timeout`?",
  },
  {
    name: "unknown top-level key",
    yaml: `function:\n  getItem:\n${FN}`,
    key: "function",
    reason: "unknown key",
    hint: "did you mean `functions`?",
  },
  {
    name: "unknown key without a near miss lists the known ones",
    yaml: `functions:\n  getItem:\n${FN}    colour: blue\n`,
    key: "functions.getItem.colour",
    reason:
      "unknown key; expected one of runtime, handler, code, timeout, memory, environment, concurrency, idleTimeout",
  },
  {
    name: "function name with a space",
    yaml: `functions:\n  get item:\n${FN}`,
    key: 'functions["get item"]',
    reason: "is not a valid function name",
  },
  {
    name: "functions as a list",
    yaml: "functions: [getItem]\n",
    key: "functions",
    reason: "must be a mapping of function names to settings, got a list",
  },
  {
    name: "API name with capitals",
    yaml: "apis:\n  Items: {}\n",
    key: "apis.Items",
    reason: "is not a valid API name: it is used as a host name (NAME.localhost)",
  },
  {
    name: "API name with a dot",
    yaml: "apis:\n  items.v1: {}\n",
    key: 'apis["items.v1"]',
    reason: "is not a valid API name",
  },
  {
    name: "API name shaped like a tag URL",
    yaml: "apis:\n  blue---items: {}\n",
    key: "apis.blue---items",
    reason: "`---` is reserved for tag URLs",
  },
  {
    name: "payload format 3.0",
    yaml: "apis:\n  items:\n    payloadFormat: '3.0'\n",
    key: "apis.items.payloadFormat",
    reason: 'must be "1.0" or "2.0", got "3.0"',
  },
  {
    name: "unknown API key",
    yaml: "apis:\n  items:\n    route: {}\n",
    key: "apis.items.route",
    reason: "unknown key",
    hint: "did you mean `routes`?",
  },
  {
    name: "route with an unknown method",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      FETCH /items: getItem\n`,
    key: 'apis.items.routes["FETCH /items"]',
    reason: "has an unknown method `FETCH`; use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY",
  },
  {
    name: "route without a method",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      /items: getItem\n`,
    key: 'apis.items.routes["/items"]',
    reason: "is not a route key: expected `$default` or `METHOD /path`",
  },
  {
    name: "route path without a leading slash",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET items: getItem\n`,
    key: 'apis.items.routes["GET items"]',
    reason: "has a path that does not start with `/`",
  },
  {
    name: "route path with a trailing slash",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /items/: getItem\n`,
    key: 'apis.items.routes["GET /items/"]',
    reason: "has a path ending in `/`",
  },
  {
    name: "path variable inside a segment",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /items/a{id}: getItem\n`,
    key: 'apis.items.routes["GET /items/a{id}"]',
    reason: "has a path variable that is not a whole segment: `a{id}`",
  },
  {
    name: "greedy variable before the end",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /{proxy+}/x: getItem\n`,
    key: 'apis.items.routes["GET /{proxy+}/x"]',
    reason: "has a greedy variable `{proxy+}` that is not the last segment",
  },
  {
    name: "empty path segment",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /a//b: getItem\n`,
    key: 'apis.items.routes["GET /a//b"]',
    reason: "has an empty path segment",
  },
  {
    name: "path variable used twice",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /{id}/{id}: getItem\n`,
    key: 'apis.items.routes["GET /{id}/{id}"]',
    reason: "uses the path variable `{id}` twice",
  },
  {
    name: "duplicate route key in another case",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /items: getItem\n      get /items: getItem\n`,
    key: 'apis.items.routes["get /items"]',
    reason: "duplicates route `GET /items`",
  },
  {
    name: "routes no request could tell apart",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /items/{id}: getItem\n      GET /items/{name}: getItem\n`,
    key: 'apis.items.routes["GET /items/{name}"]',
    reason: "conflicts with route `GET /items/{id}`: same method and path shape",
  },
  {
    name: "route to an unknown function",
    yaml: `functions:\n  getItem:\n${FN}  listItems:\n${FN}apis:\n  items:\n    routes:\n      GET /items: getItems\n`,
    key: 'apis.items.routes["GET /items"]',
    reason: "names an unknown function `getItems` (known functions: getItem, listItems)",
    hint: "did you mean `getItem`?",
  },
  {
    name: "route object to an unknown function",
    yaml: "apis:\n  items:\n    routes:\n      GET /items: { function: getItem }\n",
    key: 'apis.items.routes["GET /items"].function',
    reason: "names an unknown function `getItem` (no functions are defined)",
  },
  {
    name: "route integration timeout below 50 ms",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /items: { function: getItem, timeout: 40 }\n`,
    key: 'apis.items.routes["GET /items"].timeout',
    reason: "must be a whole number of milliseconds between 50 and 30000, got 40",
  },
  {
    name: "route integration timeout above 30 s",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /items: { function: getItem, timeout: 30001 }\n`,
    key: 'apis.items.routes["GET /items"].timeout',
    reason: "got 30001",
  },
  {
    name: "unknown route key",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /items: { function: getItem, payload: "1.0" }\n`,
    key: 'apis.items.routes["GET /items"].payload',
    reason: "unknown key",
    hint: "did you mean `payloadFormat`?",
  },
  {
    name: "route target that is a number",
    yaml: `functions:\n  getItem:\n${FN}apis:\n  items:\n    routes:\n      GET /items: 5\n`,
    key: 'apis.items.routes["GET /items"]',
    reason:
      "must be a function name, or a mapping with `function`, `payloadFormat`, `timeout`, `throttling`, `authorizer` and `scopes`, got 5",
  },
  {
    name: "CORS credentials with a wildcard origin",
    yaml: "apis:\n  items:\n    cors: { allowOrigins: ['*'], allowCredentials: true }\n",
    key: "apis.items.cors.allowCredentials",
    reason: "allow-credentials is not supported if 'allow-origin' is *",
  },
  {
    name: "CORS max age above a day",
    yaml: "apis:\n  items:\n    cors: { maxAge: 86401 }\n",
    key: "apis.items.cors.maxAge",
    reason: "must be a whole number of seconds between -1 and 86400, got 86401",
  },
  {
    name: "CORS max age below -1",
    yaml: "apis:\n  items:\n    cors: { maxAge: -2 }\n",
    key: "apis.items.cors.maxAge",
    reason: "got -2",
  },
  {
    name: "CORS origin with a path",
    yaml: "apis:\n  items:\n    cors: { allowOrigins: ['https://app.example.test/'] }\n",
    key: "apis.items.cors.allowOrigins[0]",
    reason: "must be * or an origin (scheme://host[:port], no path)",
    hint: "did you mean `https://app.example.test`?",
  },
  {
    name: "CORS origins as one string",
    yaml: "apis:\n  items:\n    cors: { allowOrigins: '*' }\n",
    key: "apis.items.cors.allowOrigins",
    reason: 'must be a list of origins, got "*"',
  },
  {
    name: "CORS unknown method",
    yaml: "apis:\n  items:\n    cors: { allowMethods: [FETCH] }\n",
    key: "apis.items.cors.allowMethods[0]",
    reason: 'must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, *, got "FETCH"',
  },
  {
    name: "CORS unknown key",
    yaml: "apis:\n  items:\n    cors: { allowOrigin: ['*'] }\n",
    key: "apis.items.cors.allowOrigin",
    reason: "unknown key",
    hint: "did you mean `allowOrigins`?",
  },
  {
    name: "stage name with a space",
    yaml: "apis:\n  items:\n    stages: { my stage: {} }\n",
    key: 'apis.items.stages["my stage"]',
    reason: "is not a valid stage name: use up to 128 letters, digits, - and _ (or `$default`)",
  },
  {
    name: "stage name over 128 characters",
    yaml: `apis:\n  items:\n    stages: { ${"s".repeat(129)}: {} }\n`,
    key: `apis.items.stages.${"s".repeat(129)}`,
    reason: "is not a valid stage name",
  },
  {
    name: "stage variable name over 64 characters",
    yaml: `apis:\n  items:\n    stages: { prod: { variables: { ${"V".repeat(65)}: x } } }\n`,
    key: `apis.items.stages.prod.variables.${"V".repeat(65)}`,
    reason: "is not a valid stage variable name: use up to 64 letters, digits and _",
  },
  {
    name: "more than 100 stage variables",
    yaml: `apis:\n  items:\n    stages:\n      prod:\n        variables:\n${Array.from({ length: 101 }, (_, i) => `          V${i}: x\n`).join("")}`,
    key: "apis.items.stages.prod.variables",
    reason: "has 101 variables; a stage allows 100",
  },
  {
    name: "domain that is not a host name",
    yaml: "apis:\n  items:\n    domains: ['https://api.example.test']\n",
    key: "apis.items.domains[0]",
    reason: 'must be a host name such as api.example.test, got "https://api.example.test"',
  },
  {
    name: "domain claimed by two APIs",
    yaml: "apis:\n  items:\n    domains: [api.example.test]\n  orders:\n    domains: [API.example.test]\n",
    key: "apis.orders.domains[0]",
    reason: "is already a domain of API `items`",
  },
  ...serviceCases(),
  {
    name: "empty file",
    yaml: "# nothing yet\n",
    key: "",
    reason: "must be a mapping with `functions`, `apis` or `services`, got an empty value",
  },
];

describe("portico.yaml validation", () => {
  test("layers, logFormat, logLevel, systemLogLevel and tenantIsolation, as SAM's function properties give them", async () => {
    const yaml = [
      "functions:",
      "  getItem:",
      "    runtime: python3.12",
      "    handler: app.handler",
      "    code: src",
      "    layers: [layers/a, layers/b]",
      "    logFormat: JSON",
      "    logLevel: debug",
      "    systemLogLevel: WARN",
      "    tenantIsolation: true",
      "",
    ].join("\n");
    const dir = project({ "portico.yaml": yaml, "layers/a/python/a.py": "", "layers/b/python/b.py": "" });
    const fn = (await loadProject(dir)).functions.get("getItem");
    assert.deepEqual(fn?.layers, [join(dir, "layers", "a"), join(dir, "layers", "b")]);
    assert.deepEqual(fn?.logging, { format: "JSON", applicationLevel: "DEBUG", systemLevel: "WARN" });
    assert.equal(fn?.tenantIsolation, true);
  });

  test("a missing layer directory, and a log level without logFormat JSON, are errors", async () => {
    const yaml = [
      "functions:",
      "  getItem:",
      "    runtime: python3.12",
      "    handler: app.handler",
      "    code: src",
      "    layers: [nowhere]",
      "    logLevel: DEBUG",
      "",
    ].join("\n");
    const dir = porticoProject(yaml);
    const error = await configError(dir);
    assert.deepEqual(
      error.issues.map((issue) => `${issue.key}: ${issue.reason}`),
      [
        `functions.getItem.layers[0]: directory does not exist: ${join(dir, "nowhere")}`,
        "functions.getItem.logLevel: needs logFormat: JSON",
      ],
    );
  });

  for (const c of porticoCases) {
    test(c.name, async () => {
      const error = await configError(project({ "portico.yaml": c.yaml }));
      assert.equal(error.code, "CONFIG_INVALID");
      assert.equal(error.isUserError, true);
      assert.match(error.file, /portico\.yaml$/);
      assertIssue(error, "portico.yaml", c.key, c.reason, c.hint);
    });
  }

  test("every mistake in the file is reported at once", async () => {
    const yaml = [
      "functions:",
      "  getItem:",
      "    runtime: python3",
      "    handler: items.get_item",
      "    code: missing",
      "    timeout: 0",
      "    memorySize: 256",
      "    environment: { AWS_REGION: eu-west-1 }",
      "apis:",
      "  items:",
      "    cors: { allowOrigins: ['*'], allowCredentials: true, maxAge: 100000 }",
      "    routes:",
      "      GET /items/: getItem",
      "      POST /items: createItem",
      "",
    ].join("\n");
    const error = await configError(project({ "portico.yaml": yaml }));
    const keys = error.issues.map((issue) => issue.key).sort();
    assert.deepEqual(keys, [
      "apis.items.cors.allowCredentials",
      "apis.items.cors.maxAge",
      'apis.items.routes["GET /items/"]',
      'apis.items.routes["POST /items"]',
      "functions.getItem.code",
      "functions.getItem.environment.AWS_REGION",
      "functions.getItem.memorySize",
      "functions.getItem.timeout",
    ]);
    const lines = error.message.split("\n");
    assert.equal(lines[0], "portico.yaml has 8 problems:");
    assert.ok(
      lines.includes(
        "  portico.yaml: functions.getItem.timeout: must be a whole number of seconds between 1 and 900, got 0",
      ),
      error.message,
    );
    assert.ok(
      lines.includes("  portico.yaml: functions.getItem.memorySize: unknown key (did you mean `memory`?)"),
    );
  });

  test("a single problem is a single line", async () => {
    const error = await configError(
      project({ "portico.yaml": `functions:\n  getItem:\n${FN}    timeout: 0\n` }),
    );
    assert.equal(
      error.message,
      "portico.yaml: functions.getItem.timeout: must be a whole number of seconds between 1 and 900, got 0",
    );
  });

  test("a YAML syntax error names its line and column", async () => {
    const error = await configError(
      project({ "portico.yaml": "functions:\n  getItem:\n    runtime: python3\n   handler: [app.handler\n" }),
    );
    const issue = error.issues[0] as ConfigIssue;
    assert.equal(issue.key, "");
    assert.match(issue.reason, /^YAML syntax error: /);
    assert.equal(typeof issue.line, "number");
    assert.equal(typeof issue.column, "number");
    assert.ok(
      error.message.includes(`portico.yaml:${issue.line}:${issue.column}: YAML syntax error: `),
      error.message,
    );
  });

  test("a duplicate YAML key is reported at its position", async () => {
    const error = await configError(
      project({ "portico.yaml": `functions:\n  getItem:\n${FN}  getItem:\n${FN}` }),
    );
    assert.deepEqual(
      error.issues.map(({ line, column }) => ({ line, column })),
      [{ line: 6, column: 3 }],
    );
    assert.match(error.message, /^portico\.yaml:6:3: YAML syntax error: Map keys must be unique$/);
  });

  test("an unknown YAML tag is an error, not a silent string", async () => {
    const error = await configError(
      project({ "portico.yaml": `functions:\n  getItem:\n${FN}    timeout: !Ref Timeout\n` }),
    );
    assert.match(error.message, /^portico\.yaml:6:14: YAML: Unresolved tag: !Ref$/);
  });
});

describe("portico.yaml services at their limits", () => {
  const valid: readonly [string, string][] = [
    ["a name of 49 characters", `services:\n  w${"-9".repeat(24)}: {}\n`],
    ["single hyphens and digits", "services:\n  web-2-api: {}\n"],
    ["maxInstances equal to minInstances", svc("minInstances: 3, maxInstances: 3")],
    ["minInstances at the default maxInstances", svc("minInstances: 100")],
    ["the largest settings", svc("concurrency: 1000, timeout: 3600, startupTimeout: 240")],
    ["an empty env and domains", svc("env: , domains: ")],
    [
      "an image pinned by digest on a registry with a port",
      svc(`image: "localhost:5000/acme/web@sha256:${"a".repeat(64)}"`),
    ],
    [
      "an image with a command and no source",
      svc("image: python:3.12-slim, command: python3 -m http.server"),
    ],
    ["a dotted Node function target", svc("functionTarget: handlers.hello_http")],
    ["lowercase and underscore variables", svc("env: { _private: 1, lower_case: 2 }")],
    ["FUNCTION_TARGET in env alone", svc("env: { FUNCTION_TARGET: hello }")],
    ["a service named like a function", `functions:\n  web:\n${FN}services:\n  web: {}\n`],
  ];
  for (const [name, yaml] of valid) {
    test(`accepts ${name}`, async () => {
      const loaded = await loadProject(porticoProject(yaml));
      assert.equal(loaded.services.size, 1);
    });
  }

  test("an image service runs from the project directory", async () => {
    const dir = porticoProject(svc("image: nginx"));
    const service = (await loadProject(dir)).services.get("web");
    assert.equal(service?.sourceDir, dir);
    assert.equal(service?.image, "nginx");
    assert.equal(service?.command, null);
  });

  test("min > max is not reported beside an invalid maxInstances", async () => {
    const error = await configError(porticoProject(svc("minInstances: 5, maxInstances: 0")));
    assert.deepEqual(
      error.issues.map((issue) => `${issue.key}: ${issue.reason}`),
      ["services.web.maxInstances: must be a whole number of instances, at least 1, got 0"],
    );
  });

  test("every mistake in a service is reported at once, in file order", async () => {
    const yaml = [
      "apis:",
      "  web: {}",
      "services:",
      "  web:",
      "    source: missing",
      "    image: nginx",
      "    env: { PORT: 8080 }",
      "    minScale: 1",
      "    minInstances: 4",
      "    maxInstances: 2",
      "    timeout: 0",
      "",
    ].join("\n");
    const error = await configError(porticoProject(yaml));
    assert.deepEqual(
      error.issues.map((issue) => issue.key),
      [
        "services.web",
        "services.web.source",
        "services.web.image",
        "services.web.env.PORT",
        "services.web.minScale",
        "services.web.maxInstances",
        "services.web.timeout",
      ],
    );
    assert.equal(error.message.split("\n")[0], "portico.yaml has 7 problems:");
  });
});

const HTTP_FN =
  "    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src\n      Handler: app.handler\n      Runtime: python3.12\n";

const samCases: readonly Case[] = [
  {
    name: "InlineCode that is not text",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      InlineCode: [print]\n`,
    key: "Resources.Fn.Properties.InlineCode",
    reason: "must be the function's source code as text",
  },
  {
    name: "Timeout of 0 on the resource",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      Timeout: 0\n`,
    key: "Resources.Fn.Properties.Timeout",
    reason: "must be a whole number of seconds between 1 and 900, got 0",
  },
  {
    name: "MemorySize of 64",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      MemorySize: 64\n`,
    key: "Resources.Fn.Properties.MemorySize",
    reason: "must be a whole number of megabytes between 128 and 10240, got 64",
  },
  {
    name: "MemorySize from an attribute",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      MemorySize: !GetAtt Config.Memory\n`,
    key: "Resources.Fn.Properties.MemorySize",
    reason: "got `Fn::GetAtt`, which Portico cannot resolve locally",
  },
  {
    name: "ReservedConcurrentExecutions of 0",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      ReservedConcurrentExecutions: 0\n`,
    key: "Resources.Fn.Properties.ReservedConcurrentExecutions",
    reason: "at least 1, got 0",
  },
  {
    name: "unsupported Runtime",
    yaml: "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src\n      Handler: app.handler\n      Runtime: java21\n",
    key: "Resources.Fn.Properties.Runtime",
    reason: "`java21` is not a supported runtime",
  },
  {
    name: "missing Runtime",
    yaml: "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src\n      Handler: app.handler\n",
    key: "Resources.Fn.Properties.Runtime",
    reason: "is required",
  },
  {
    name: "missing Handler",
    yaml: "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src\n      Runtime: python3.12\n",
    key: "Resources.Fn.Properties.Handler",
    reason: "is required for runtime python3.12: FILE.FUNCTION",
  },
  {
    name: "CodeUri that does not exist",
    yaml: "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: build/\n      Handler: app.handler\n      Runtime: python3.12\n",
    key: "Resources.Fn.Properties.CodeUri",
    reason: /^directory does not exist: \/.*\/build$/,
  },
  {
    name: "CodeUri in S3",
    yaml: "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://bucket/code.zip\n      Handler: app.handler\n      Runtime: python3.12\n",
    key: "Resources.Fn.Properties.CodeUri",
    reason: "S3 locations are not supported; point CodeUri at a local directory",
  },
  {
    name: "container image function",
    yaml: "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n      ImageUri: fn:latest\n",
    key: "Resources.Fn.Properties.PackageType",
    reason: "container image functions (PackageType: Image) are not supported",
  },
  {
    name: "reserved environment variable",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      Environment:\n        Variables:\n          AWS_REGION: eu-west-1\n`,
    key: "Resources.Fn.Properties.Environment.Variables.AWS_REGION",
    reason: "is reserved by Lambda",
  },
  {
    name: "HttpApi event with a Path but no Method",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      Events:\n        Get:\n          Type: HttpApi\n          Properties:\n            Path: /items\n`,
    key: "Resources.Fn.Properties.Events.Get.Properties.Method",
    reason: "give both Path and Method, or neither for the $default route",
  },
  {
    name: "HttpApi event with an unknown method",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      Events:\n        Get:\n          Type: HttpApi\n          Properties: { Path: /items, Method: fetch }\n`,
    key: "Resources.Fn.Properties.Events.Get.Properties.Method",
    reason: 'must be one of get, post, put, patch, delete, head, options or any, got "fetch"',
  },
  {
    name: "HttpApi event with a variable inside a segment",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      Events:\n        Get:\n          Type: HttpApi\n          Properties: { Path: "/items/a{id}", Method: get }\n`,
    key: "Resources.Fn.Properties.Events.Get.Properties.Path",
    reason: "has a path variable that is not a whole segment",
  },
  {
    name: "HttpApi event with a TimeoutInMillis above 30 s",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      Events:\n        Get:\n          Type: HttpApi\n          Properties: { TimeoutInMillis: 60000 }\n`,
    key: "Resources.Fn.Properties.Events.Get.Properties.TimeoutInMillis",
    reason: "must be a whole number of milliseconds between 50 and 30000, got 60000",
  },
  {
    name: "HttpApi event naming an API that is not in the template",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      Events:\n        Get:\n          Type: HttpApi\n          Properties: { ApiId: !Ref OtherApi }\n  MyApi:\n    Type: AWS::Serverless::HttpApi\n`,
    key: "Resources.Fn.Properties.Events.Get.Properties.ApiId",
    reason: "must be a Ref to an AWS::Serverless::HttpApi resource in this template (known: MyApi)",
  },
  {
    name: "two events on one route",
    yaml: `Resources:\n  Fn:\n${HTTP_FN}      Events:\n        A:\n          Type: HttpApi\n          Properties: { Path: /items, Method: get }\n  Other:\n${HTTP_FN}      Events:\n        B:\n          Type: HttpApi\n          Properties: { Path: /items/, Method: GET }\n`,
    key: "Resources.Other.Properties.Events.B",
    reason: "duplicates route `GET /items` in API `serverlesshttpapi`",
  },
  {
    name: "CorsConfiguration with credentials and a wildcard",
    yaml: "Resources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      CorsConfiguration:\n        AllowOrigins: ['*']\n        AllowCredentials: true\n",
    key: "Resources.Api.Properties.CorsConfiguration.AllowCredentials",
    reason: "allow-credentials is not supported if 'allow-origin' is *",
  },
  {
    name: "invalid StageName",
    yaml: "Resources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      StageName: my stage\n",
    key: "Resources.Api.Properties.StageName",
    reason: "is not a valid stage name",
  },
  {
    name: "template without Resources",
    yaml: "Transform: AWS::Serverless-2016-10-31\n",
    key: "Resources",
    reason: "is required: a mapping of logical ids to resources",
  },
];

describe("SAM template validation", () => {
  for (const c of samCases) {
    test(c.name, async () => {
      const error = await configError(project({ "template.yaml": c.yaml }));
      assert.match(error.file, /template\.yaml$/);
      assertIssue(error, "template.yaml", c.key, c.reason, c.hint);
    });
  }

  test("a mistake in Globals is reported once, where it was written", async () => {
    const yaml = `Globals:\n  Function:\n    Timeout: 0\nResources:\n  A:\n${HTTP_FN}  B:\n${HTTP_FN}  C:\n${HTTP_FN}      Timeout: 1000\n`;
    const error = await configError(project({ "template.yaml": yaml }));
    assert.deepEqual(
      error.issues.map((issue) => issue.key),
      ["Globals.Function.Timeout", "Resources.C.Properties.Timeout"],
    );
  });

  test("every mistake in the template is reported at once", async () => {
    const yaml = `Resources:\n  A:\n${HTTP_FN}      Timeout: 0\n      MemorySize: 1\n  B:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: x\n`;
    const error = await configError(project({ "template.yaml": yaml }));
    assert.deepEqual(error.issues.map((issue) => issue.key).sort(), [
      "Resources.A.Properties.MemorySize",
      "Resources.A.Properties.Timeout",
      "Resources.B.Properties.Runtime",
    ]);
  });

  test("events are checked even when their function or API has problems of its own", async () => {
    const yaml = [
      "Resources:",
      "  Api:",
      "    Type: AWS::Serverless::HttpApi",
      "    Properties: { StageName: 'no spaces' }",
      "  Fn:",
      HTTP_FN.trimEnd(),
      "      Timeout: 0",
      "      Events:",
      "        Broken:",
      "          Type: HttpApi",
      "          Properties: { Path: /a/, Method: fetch }",
      "        OnBrokenApi:",
      "          Type: HttpApi",
      "          Properties: { ApiId: !Ref Api, Path: /b, Method: get }",
      "",
    ].join("\n");
    const error = await configError(project({ "template.yaml": yaml }));
    assert.deepEqual(
      error.issues.map((issue) => issue.key),
      [
        "Resources.Api.Properties.StageName",
        "Resources.Fn.Properties.Timeout",
        "Resources.Fn.Properties.Events.Broken.Properties.Method",
      ],
    );
  });

  test("an unknown CloudFormation tag names its position", async () => {
    const error = await configError(
      project({ "template.yaml": `Resources:\n  Fn:\n${HTTP_FN}      Timeout: !Reff T\n` }),
    );
    assert.match(error.message, /^template\.yaml:8:16: YAML: Unresolved tag: !Reff$/);
  });
});
