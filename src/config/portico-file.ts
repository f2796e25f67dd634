/** portico.yaml (DESIGN.md) → model: one zod schema for the fields, one pass for cross-references. */
import { dirname, resolve } from "node:path";
import { z } from "zod";
import type { ApiSpec, FunctionSpec, RouteSpec } from "../model/index.js";
import { ConfigError } from "./config-error.js";
import {
  corsCredentials,
  corsHeaders,
  corsMaxAge,
  corsMethods,
  corsOrigins,
  rejectCredentialsWithWildcard,
} from "./cors-schemas.js";
import { DEFAULTS } from "./defaults.js";
import {
  apiNameProblem,
  concurrency,
  domainName,
  environment,
  expecting,
  handlerProblemFor,
  idleTimeoutSeconds,
  integrationTimeoutMs,
  memoryMb,
  namedMapping,
  payloadFormat,
  runtime,
  stageNameProblem,
  stageVariables,
  timeoutSeconds,
} from "./field-schemas.js";
import type { LoadedConfig } from "./loaded-config.js";
import { assembleApi, assembleProject, corsSpec, directoryProblem } from "./model-assembly.js";
import { didYouMean } from "./near-miss.js";
import { parseRouteKey, RouteKeySet } from "./route-key.js";
import { checkSchema, inFileOrder, type PathIssue, toConfigIssue } from "./schema-check.js";
import { readYamlFile } from "./yaml-file.js";

/** `key:` with nothing after it reads as null; treat it as if the key were absent. */
function absentIfNull<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === null ? undefined : value), schema);
}

/** `getItem:` with nothing after it is an entry with no settings. */
function emptyIfNull<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === null ? {} : value), schema);
}

function functionNameProblem(name: string): string | undefined {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(name)) return undefined;
  return "is not a valid function name: use up to 64 letters, digits, - and _";
}

function functionSchema(rootDir: string) {
  return z
    .strictObject(
      {
        runtime,
        handler: z.string({ error: expecting("FILE.FUNCTION, e.g. app.handler") }).optional(),
        code: z
          .string({ error: expecting("a directory relative to the config file") })
          .prefault(DEFAULTS.function.code)
          .transform((dir) => resolve(rootDir, dir))
          .superRefine(async (dir, ctx) => {
            const problem = await directoryProblem(dir);
            if (problem !== undefined) ctx.addIssue({ code: "custom", input: dir, message: problem });
          }),
        timeout: timeoutSeconds.default(DEFAULTS.function.timeoutSeconds),
        memory: memoryMb.default(DEFAULTS.function.memoryMb),
        environment: absentIfNull(environment.default({})),
        concurrency: concurrency.default(DEFAULTS.function.concurrency),
        idleTimeout: idleTimeoutSeconds.default(DEFAULTS.function.idleTimeoutSeconds),
      },
      { error: expecting("a mapping of function settings (runtime, handler, code, ...)") },
    )
    .superRefine(
      (fn, ctx) => {
        // Runs despite other issues, so a missing handler is reported beside them.
        const problem = handlerProblemFor(fn.runtime, fn.handler);
        if (problem !== undefined) {
          ctx.addIssue({ code: "custom", input: fn.handler, path: ["handler"], message: problem });
        }
      },
      { when: () => true },
    );
}

const corsSchema = z
  .strictObject(
    {
      allowOrigins: corsOrigins.optional(),
      allowMethods: corsMethods.optional(),
      allowHeaders: corsHeaders.optional(),
      exposeHeaders: corsHeaders.optional(),
      maxAge: corsMaxAge.optional(),
      allowCredentials: corsCredentials.optional(),
    },
    { error: expecting("a mapping of CORS settings (allowOrigins, allowMethods, ...)") },
  )
  .superRefine(...rejectCredentialsWithWildcard("allowOrigins", "allowCredentials"));

const routeTarget = z.preprocess(
  (value) => (typeof value === "string" ? { function: value } : value),
  z.strictObject(
    {
      function: z.string({ error: expecting("a function name") }),
      payloadFormat: payloadFormat.optional(),
      timeout: integrationTimeoutMs.optional(),
    },
    { error: expecting("a function name, or a mapping with `function`, `payloadFormat` and `timeout`") },
  ),
);

const stageSchema = absentIfNull(
  z
    .strictObject(
      { variables: absentIfNull(stageVariables.default({})) },
      { error: expecting("a mapping with `variables`") },
    )
    .default({ variables: {} }),
);

const apiSchema = z.strictObject(
  {
    payloadFormat: payloadFormat.default(DEFAULTS.api.payloadFormat),
    cors: absentIfNull(corsSchema.optional()),
    routes: absentIfNull(
      z
        .record(z.string(), routeTarget, { error: expecting("a mapping of route keys to functions") })
        .default({}),
    ),
    stages: absentIfNull(
      namedMapping("a mapping of stage names to settings", stageNameProblem, stageSchema).default({}),
    ),
    domains: absentIfNull(z.array(domainName, { error: expecting("a list of host names") }).default([])),
  },
  { error: expecting("a mapping of API settings (routes, cors, stages, ...)") },
);

function fileSchema(rootDir: string) {
  return z.strictObject(
    {
      functions: absentIfNull(
        namedMapping(
          "a mapping of function names to settings",
          functionNameProblem,
          emptyIfNull(functionSchema(rootDir)),
        ).default({}),
      ),
      apis: absentIfNull(
        namedMapping("a mapping of API names to settings", apiNameProblem, emptyIfNull(apiSchema)).default(
          {},
        ),
      ),
      // Services are loaded by their own part; here the key is only allowed.
      services: z.unknown().optional(),
    },
    { error: expecting("a mapping with `functions`, `apis` or `services`") },
  );
}

type PorticoFile = z.output<ReturnType<typeof fileSchema>>;

export async function loadPorticoFile(file: string): Promise<LoadedConfig> {
  const raw = await readYamlFile(file);
  const rootDir = dirname(file);
  const checked = await checkSchema(fileSchema(rootDir), raw);
  const issues: PathIssue[] = [...(checked.ok ? [] : checked.issues), ...crossReferenceIssues(raw)];
  if (issues.length > 0 || !checked.ok) {
    throw new ConfigError(
      file,
      inFileOrder(issues, raw).map((issue) => toConfigIssue(issue)),
    );
  }
  const functions = Object.entries(checked.data.functions).map(([name, fn]) => toFunctionSpec(name, fn));
  const apis = Object.entries(checked.data.apis).map(([name, api]) => toApiSpec(name, api));
  return { project: assembleProject(rootDir, file, functions, apis), warnings: [] };
}

function toFunctionSpec(name: string, fn: PorticoFile["functions"][string]): FunctionSpec {
  return {
    name,
    runtime: fn.runtime.kind,
    runtimeId: fn.runtime.id,
    handler: fn.handler ?? DEFAULTS.function.providedHandler,
    codeDir: fn.code,
    timeoutSeconds: fn.timeout,
    memoryMb: fn.memory,
    environment: fn.environment,
    concurrency: fn.concurrency,
    idleTimeoutSeconds: fn.idleTimeout,
  };
}

function toApiSpec(name: string, api: PorticoFile["apis"][string]): ApiSpec {
  const routes = Object.entries(api.routes).map(([key, target]): RouteSpec => {
    const parsed = parseRouteKey(key);
    if (!parsed.ok) throw new Error(`route key ${key} passed validation unparsed`);
    return {
      ...parsed.value,
      functionName: target.function,
      payloadFormat: target.payloadFormat ?? api.payloadFormat,
      timeoutMs: target.timeout ?? DEFAULTS.api.integrationTimeoutMs,
    };
  });
  return assembleApi({
    name,
    kind: "http",
    cors: api.cors === undefined ? null : corsSpec(api.cors),
    routes,
    stages: Object.entries(api.stages).map(([stage, settings]) => ({
      name: stage,
      variables: settings.variables,
    })),
    domains: api.domains,
  });
}

type Json = Record<string, unknown>;

function isMapping(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function entriesOf(value: unknown): [string, unknown][] {
  return isMapping(value) ? Object.entries(value) : [];
}

/**
 * Checks that span entries (route keys, route → function, domains across APIs), made on the raw data so they
 * are reported together with field errors, not only once those are fixed.
 */
function crossReferenceIssues(raw: unknown): PathIssue[] {
  const issues: PathIssue[] = [];
  const root = (raw ?? {}) as Json;
  const functionNames = entriesOf(root.functions).map(([name]) => name);
  // When `functions` itself is malformed, that one issue says enough; every route would repeat it.
  const checkFunctions = root.functions == null || isMapping(root.functions);
  const domainOwners = new Map<string, string>();
  for (const [apiName, api] of entriesOf(root.apis)) {
    const keys = new RouteKeySet();
    for (const [routeKey, target] of entriesOf((api as Json | null)?.routes)) {
      const routePath = ["apis", apiName, "routes", routeKey];
      const parsed = parseRouteKey(routeKey);
      const conflict = parsed.ok ? keys.add(parsed.value) : parsed.reason;
      if (conflict !== undefined) issues.push({ path: routePath, reason: conflict });
      const [name, namePath] =
        typeof target === "string"
          ? [target, routePath]
          : [(target as Json | null)?.function, [...routePath, "function"]];
      if (checkFunctions && typeof name === "string" && !functionNames.includes(name)) {
        issues.push(unknownFunction(namePath, name, functionNames));
      }
    }
    const domains = (api as Json | null)?.domains;
    for (const [index, domain] of (Array.isArray(domains) ? domains : []).entries()) {
      if (typeof domain !== "string") continue;
      const owner = domainOwners.get(domain.toLowerCase());
      if (owner !== undefined && owner !== apiName) {
        issues.push({
          path: ["apis", apiName, "domains", index],
          reason: `is already a domain of API \`${owner}\``,
        });
      }
      if (owner === undefined) domainOwners.set(domain.toLowerCase(), apiName);
    }
  }
  return issues;
}

function unknownFunction(path: readonly PropertyKey[], name: string, known: readonly string[]): PathIssue {
  const list = known.length === 0 ? "no functions are defined" : `known functions: ${known.join(", ")}`;
  const hint = didYouMean(name, known);
  return {
    path,
    reason: `names an unknown function \`${name}\` (${list})`,
    ...(hint === undefined ? {} : { hint }),
  };
}
