/** portico.yaml (DESIGN.md) → model: one zod schema for the fields, one pass for cross-references. */
import { dirname, resolve } from "node:path";
import { z } from "zod";
import type {
  ApiSpec,
  CorsSpec,
  FunctionSpec,
  RouteSpec,
  ServiceSpec,
  StageSpec,
  ThrottleSpec,
} from "../model/index.js";
import { accessLogSchema } from "./access-log-schemas.js";
import { ConfigError, formatKeyPath } from "./config-error.js";
import { corsFields, rejectCredentialsWithWildcard } from "./cors-schemas.js";
import { DEFAULTS } from "./defaults.js";
import type { EnvironmentSources } from "./environment-sources.js";
import {
  absentIfNull,
  apiNameProblem,
  concurrency,
  domainName,
  emptyIfNull,
  environment,
  expecting,
  handlerProblemFor,
  idleTimeoutSeconds,
  integrationTimeoutMs,
  logLevel,
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
import {
  authorizerIssues,
  authorizerSchema,
  NO_AUTHORIZER,
  toAuthorizerSpec,
} from "./portico-authorizers.js";
import { type DocumentPart, type DocumentReading, readApiDocuments } from "./portico-openapi.js";
import { serviceNameProblem, serviceSchema, toServiceSpec } from "./portico-services.js";
import { resolveVariables } from "./portico-variables.js";
import { type ParsedRouteKey, parseRouteKey, RouteKeySet } from "./route-key.js";
import { checkSchema, inFileOrder, type PathIssue, toConfigIssue } from "./schema-check.js";
import { throttlingSchema } from "./throttle-schemas.js";
import { readYamlFile } from "./yaml-file.js";

function authorizerNameProblem(name: string): string | undefined {
  if (name === NO_AUTHORIZER)
    return `is reserved: routes write \`authorizer: ${NO_AUTHORIZER}\` to have none`;
  if (/^[A-Za-z0-9_-]{1,128}$/.test(name)) return undefined;
  return "is not a valid authorizer name: use up to 128 letters, digits, - and _";
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
        layers: z
          .array(
            z
              .string({ error: expecting("a layer directory relative to the config file") })
              .transform((dir) => resolve(rootDir, dir))
              .superRefine(async (dir, ctx) => {
                const problem = await directoryProblem(dir);
                if (problem !== undefined) ctx.addIssue({ code: "custom", input: dir, message: problem });
              }),
            { error: expecting("a list of layer directories, applied in order") },
          )
          .optional(),
        logFormat: z.enum(["Text", "JSON"], { error: expecting("Text or JSON") }).optional(),
        logLevel: logLevel.optional(),
        systemLogLevel: logLevel.optional(),
        tenantIsolation: z.boolean({ error: expecting("true or false") }).optional(),
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
        if (fn.logFormat === "JSON") return;
        for (const key of ["logLevel", "systemLogLevel"] as const) {
          if (fn[key] === undefined) continue;
          ctx.addIssue({ code: "custom", input: fn[key], path: [key], message: "needs logFormat: JSON" });
        }
      },
      { when: () => true },
    );
}

const corsSchema = z
  .strictObject(corsFields, {
    error: expecting("a mapping of CORS settings (allowOrigins, allowMethods, ...)"),
  })
  .superRefine(...rejectCredentialsWithWildcard("allowOrigins", "allowCredentials"));

const routeTarget = z.preprocess(
  (value) => (typeof value === "string" ? { function: value } : value),
  z.strictObject(
    {
      function: z.string({ error: expecting("a function name") }),
      payloadFormat: payloadFormat.optional(),
      timeout: integrationTimeoutMs.optional(),
      throttling: absentIfNull(throttlingSchema.optional()),
      authorizer: z
        .string({ error: expecting("the name of one of the API's authorizers, or none") })
        .optional(),
      scopes: z
        .array(z.string(), { error: expecting("a list of scopes") })
        .max(10, { error: "holds at most 10 scopes, as on AWS" })
        .optional(),
    },
    {
      error: expecting(
        "a function name, or a mapping with `function`, `payloadFormat`, `timeout`, `throttling`, `authorizer` and `scopes`",
      ),
    },
  ),
);

const stageSchema = absentIfNull(
  z
    .strictObject(
      {
        variables: absentIfNull(stageVariables.default({})),
        throttling: absentIfNull(throttlingSchema.optional()),
        accessLog: absentIfNull(accessLogSchema.optional()),
      },
      { error: expecting("a mapping with `variables`, `throttling` and `accessLog`") },
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
    throttling: absentIfNull(throttlingSchema.optional()),
    accessLog: absentIfNull(accessLogSchema.optional()),
    authorizers: absentIfNull(
      namedMapping("a mapping of authorizer names to settings", authorizerNameProblem, authorizerSchema)
        .refine((authorizers) => Object.keys(authorizers).length <= 10, {
          error: "holds at most 10 authorizers, as on AWS",
        })
        .default({}),
    ),
    authorizer: z.string({ error: expecting("the name of one of the API's authorizers") }).optional(),
  },
  { error: expecting("a mapping of API settings (routes, cors, stages, authorizers, ...)") },
);

/** In portico.yaml (not the admin API, which has no files to read), an API may take routes from a document. */
const fileApiSchema = apiSchema.extend({
  openapi: z
    .string({ error: expecting("an OpenAPI file, relative to this file (./openapi.yaml)") })
    .optional(),
});

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
        namedMapping(
          "a mapping of API names to settings",
          apiNameProblem,
          emptyIfNull(fileApiSchema),
        ).default({}),
      ),
      services: absentIfNull(
        namedMapping(
          "a mapping of service names to settings",
          serviceNameProblem,
          emptyIfNull(serviceSchema(rootDir)),
        ).default({}),
      ),
    },
    { error: expecting("a mapping with `functions`, `apis` or `services`") },
  );
}

type PorticoFile = z.output<ReturnType<typeof fileSchema>>;

export async function loadPorticoFile(file: string, sources: EnvironmentSources): Promise<LoadedConfig> {
  const raw = await readYamlFile(file);
  const rootDir = dirname(file);
  const variables = resolveVariables(raw, sources);
  const checked = await checkSchema(fileSchema(rootDir), variables.data);
  const documents = checked.ok
    ? await readApiDocuments(
        file,
        rootDir,
        new Map(
          Object.entries(checked.data.apis).flatMap(([name, api]) =>
            api.openapi === undefined ? [] : [[name, api.openapi] as const],
          ),
        ),
        inWrittenOrder(checked.data.functions, (raw as Json | null)?.functions).map(([name]) => name),
      )
    : undefined;
  const issues: PathIssue[] = [
    ...(checked.ok ? [] : checked.issues),
    ...variables.issues,
    ...crossReferenceIssues(raw, rootDir),
    ...(documents?.issues ?? []),
    ...documentConflicts(checked.ok ? checked.data.apis : {}, documents),
  ];
  if (issues.length > 0 || !checked.ok) {
    throw new ConfigError(
      file,
      inFileOrder(issues, raw).map((issue) => toConfigIssue(issue)),
    );
  }
  const root = (raw ?? {}) as Json;
  const functions = inWrittenOrder(checked.data.functions, root.functions).map(([name, fn]) =>
    toFunctionSpec(name, fn),
  );
  const apis = inWrittenOrder(checked.data.apis, root.apis).map(([name, api]) =>
    toApiSpec(name, api, rootDir, documents?.parts.get(name)),
  );
  const services = inWrittenOrder(checked.data.services, root.services).map(
    ([name, service]): ServiceSpec => toServiceSpec(rootDir, name, service),
  );
  // Accepted so configs written for Cloud Run load, but not honoured: say so rather than pretend.
  const warnings = [
    ...(documents?.warnings ?? []),
    ...services
      .filter((service) => !service.public)
      .map((service) => ({
        file,
        key: `services.${service.name}.public`,
        reason: "false is not enforced yet: the service answers every caller, without a token",
      })),
  ];
  return { project: assembleProject(rootDir, file, functions, apis, services), warnings };
}

/** An API's CORS settings as portico.yaml writes them (`null` for none); a ConfigError keyed `cors.FIELD`. */
export async function parseCorsSettings(settings: unknown): Promise<CorsSpec | null> {
  if (settings === null) return null;
  const checked = await checkSchema(corsSchema, settings);
  if (!checked.ok) {
    throw new ConfigError(
      "request body",
      checked.issues.map((issue) => toConfigIssue({ ...issue, path: ["cors", ...issue.path] })),
    );
  }
  return corsSpec(checked.data);
}

/**
 * One API's settings, written as `apis.NAME` is in portico.yaml, with its routes checked against the functions
 * there are: what the admin API's `PUT /v1/apis/NAME` takes. A ConfigError names each key at fault.
 */
export async function parseApiSettings(
  name: string,
  settings: unknown,
  functionNames: readonly string[],
): Promise<ApiSpec> {
  const source = "request body";
  const nameProblem = apiNameProblem(name);
  if (nameProblem !== undefined)
    throw new ConfigError(source, [{ key: "", reason: `"${name}" ${nameProblem}` }]);
  const checked = await checkSchema(apiSchema, settings ?? {});
  const root = {
    functions: Object.fromEntries(functionNames.map((fn) => [fn, null])),
    apis: { [name]: settings },
  };
  const issues = [
    ...(checked.ok ? [] : checked.issues),
    ...routeIssues(root, undefined).map((issue) => ({ ...issue, path: issue.path.slice(2) })),
  ];
  if (issues.length > 0 || !checked.ok)
    throw new ConfigError(
      source,
      issues.map((issue) => toConfigIssue(issue)),
    );
  return toApiSpec(name, checked.data, undefined);
}

const functionPatchSchema = z.strictObject(
  {
    handler: z.string({ error: expecting("FILE.FUNCTION, e.g. app.handler") }).optional(),
    timeout: timeoutSeconds.optional(),
    memory: memoryMb.optional(),
    environment: environment.optional(),
    concurrency: concurrency.optional(),
    idleTimeout: idleTimeoutSeconds.optional(),
  },
  { error: expecting("a mapping of function settings (handler, timeout, memory, environment, ...)") },
);

/**
 * A change to a function's settings, written with portico.yaml's keys and ranges: what the admin API's
 * `PATCH /v1/functions/NAME` takes. A ConfigError names each key at fault.
 */
export async function parseFunctionSettings(settings: unknown): Promise<Partial<FunctionSpec>> {
  const checked = await checkSchema(functionPatchSchema, settings ?? {});
  if (!checked.ok)
    throw new ConfigError(
      "request body",
      checked.issues.map((issue) => toConfigIssue(issue)),
    );
  const {
    handler,
    timeout,
    memory,
    environment: variables,
    concurrency: instances,
    idleTimeout,
  } = checked.data;
  const spec: Partial<Record<keyof FunctionSpec, unknown>> = {
    handler,
    timeoutSeconds: timeout,
    memoryMb: memory,
    environment: variables,
    concurrency: instances,
    idleTimeoutSeconds: idleTimeout,
  };
  return Object.fromEntries(
    Object.entries(spec).filter(([, value]) => value !== undefined),
  ) as Partial<FunctionSpec>;
}

/**
 * Parsed entries in the order the file wrote them: zod builds a record in the order its async checks (does
 * `code`/`source` exist?) finish, and an entry without one finishes first.
 */
function inWrittenOrder<T>(parsed: Record<string, T>, written: unknown): [string, T][] {
  return Object.keys(isMapping(written) ? written : {})
    .filter((name) => Object.hasOwn(parsed, name))
    .map((name) => [name, parsed[name] as T]);
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
    ...(fn.layers === undefined || fn.layers.length === 0 ? {} : { layers: fn.layers }),
    ...(fn.logFormat === undefined
      ? {}
      : {
          logging: {
            format: fn.logFormat,
            applicationLevel: fn.logLevel ?? "INFO",
            systemLevel: fn.systemLogLevel ?? "INFO",
          },
        }),
    ...(fn.tenantIsolation === true ? { tenantIsolation: true } : {}),
  };
}

/**
 * `apis.NAME.throttling` is every stage's default, which `stages.NAME.throttling` replaces for one stage; a route's
 * `throttling` applies to it in every stage, over the stage's default.
 */
function toApiSpec(
  name: string,
  api: z.output<typeof apiSchema>,
  rootDir: string | undefined,
  document?: DocumentPart,
): ApiSpec {
  const routeThrottling = Object.fromEntries(
    Object.entries(api.routes).flatMap(([key, target]) =>
      target.throttling === undefined ? [] : [[parsedRouteKey(key).routeKey, target.throttling]],
    ),
  );
  const withThrottling = (
    stage: StageSpec,
    own: ThrottleSpec | undefined,
    ownAccessLog?: string | null,
  ): StageSpec => {
    const throttling = own ?? api.throttling;
    const accessLogFormat = ownAccessLog !== undefined ? ownAccessLog : api.accessLog;
    return {
      ...stage,
      ...(throttling === undefined ? {} : { throttling }),
      ...(accessLogFormat === undefined ? {} : { accessLogFormat }),
      ...(Object.keys(routeThrottling).length === 0 ? {} : { routeThrottling }),
    };
  };
  const stages = Object.entries(api.stages).map(([stage, settings]) =>
    withThrottling({ name: stage, variables: settings.variables }, settings.throttling, settings.accessLog),
  );
  if (!Object.hasOwn(api.stages, "$default")) {
    stages.unshift(withThrottling({ name: "$default", variables: {} }, undefined));
  }
  const routes = Object.entries(api.routes).map(([key, target]): RouteSpec => {
    const authorizer = target.authorizer ?? api.authorizer;
    return {
      ...parsedRouteKey(key),
      functionName: target.function,
      payloadFormat: target.payloadFormat ?? api.payloadFormat,
      timeoutMs: target.timeout ?? DEFAULTS.api.integrationTimeoutMs,
      ...(authorizer === undefined || authorizer === NO_AUTHORIZER ? {} : { authorizer }),
      ...(target.scopes === undefined ? {} : { authorizationScopes: target.scopes }),
    };
  });
  const declared = Object.entries(api.authorizers).map(([authorizerName, settings]) =>
    // Without a project directory (the admin API), a `jwks` file was refused before this point.
    toAuthorizerSpec(authorizerName, settings, rootDir ?? "/"),
  );
  const cors = api.cors ?? document?.cors;
  return assembleApi({
    name,
    kind: "http",
    cors: cors === undefined ? null : corsSpec(cors),
    routes: [...(document?.routes ?? []), ...routes],
    stages,
    domains: api.domains,
    // The document's authorizers, and portico.yaml's, which replace one of the same name.
    authorizers: [
      ...(document?.authorizers ?? []).filter(
        (authorizer) => !Object.hasOwn(api.authorizers, authorizer.name),
      ),
      ...declared,
    ],
  });
}

/** A route in `routes` that its API's OpenAPI document also defines. */
function documentConflicts(
  apis: Readonly<Record<string, { readonly routes: Readonly<Record<string, unknown>> }>>,
  documents: DocumentReading | undefined,
): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const [name, part] of documents?.parts ?? []) {
    const keys = new RouteKeySet();
    for (const route of part.routes) {
      const conflict = keys.add(route);
      if (conflict !== undefined)
        issues.push({ path: ["apis", name, "openapi"], reason: `\`${route.routeKey}\` ${conflict}` });
    }
    for (const key of Object.keys(apis[name]?.routes ?? {})) {
      const parsed = parseRouteKey(key);
      const conflict = parsed.ok ? keys.add(parsed.value) : undefined;
      if (conflict !== undefined) {
        issues.push({
          path: ["apis", name, "routes", key],
          reason: `${conflict} of the API's openapi document`,
        });
      }
    }
  }
  return issues;
}

function parsedRouteKey(key: string): ParsedRouteKey {
  const parsed = parseRouteKey(key);
  if (!parsed.ok) throw new Error(`route key ${key} passed validation unparsed`);
  return parsed.value;
}

type Json = Record<string, unknown>;

function isMapping(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function entriesOf(value: unknown): [string, unknown][] {
  return isMapping(value) ? Object.entries(value) : [];
}

/**
 * Checks that span entries (route keys, route → function, names and domains across APIs and services), made on
 * the raw data so they are reported together with field errors, not only once those are fixed.
 */
function crossReferenceIssues(raw: unknown, rootDir: string): PathIssue[] {
  const root = (raw ?? {}) as Json;
  return [...routeIssues(root, rootDir), ...hostIssues(root)];
}

/** `rootDir` is undefined for an API sent to the admin API, which has no project files to read. */
function routeIssues(root: Json, rootDir: string | undefined): PathIssue[] {
  const issues: PathIssue[] = [];
  const functionNames = entriesOf(root.functions).map(([name]) => name);
  // When `functions` itself is malformed, that one issue says enough; every route would repeat it.
  const checkFunctions = root.functions == null || isMapping(root.functions);
  for (const [apiName, api] of entriesOf(root.apis)) {
    if (isMapping(api)) {
      issues.push(
        ...authorizerIssues(["apis", apiName], api, checkFunctions ? functionNames : undefined, rootDir),
      );
    }
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
  }
  return issues;
}

const HOST_SECTIONS = { apis: "API", services: "service" } as const;

/**
 * APIs and services are both reached by host name (NAME.localhost and their domains), so no two of them may
 * share one. A service named like an API is at fault, as is the later of two entries claiming a domain.
 */
function hostIssues(root: Json): PathIssue[] {
  const issues: PathIssue[] = [];
  const apiNames = new Set(entriesOf(root.apis).map(([name]) => name));
  for (const [name] of entriesOf(root.services)) {
    if (apiNames.has(name)) {
      issues.push({
        path: ["services", name],
        reason: `is also the name of an API (\`${formatKeyPath(["apis", name])}\`): both would be reached at ${name}.localhost; rename one`,
      });
    }
  }
  const domainOwners = new Map<string, { section: string; name: string }>();
  for (const [section, entries] of Object.entries(root)) {
    if (section !== "apis" && section !== "services") continue;
    for (const [name, entry] of entriesOf(entries)) {
      const domains = (entry as Json | null)?.domains;
      for (const [index, domain] of (Array.isArray(domains) ? domains : []).entries()) {
        if (typeof domain !== "string") continue;
        const owner = domainOwners.get(domain.toLowerCase());
        if (owner === undefined) domainOwners.set(domain.toLowerCase(), { section, name });
        else if (owner.section !== section || owner.name !== name) {
          const kind = HOST_SECTIONS[owner.section as keyof typeof HOST_SECTIONS];
          issues.push({
            path: [section, name, "domains", index],
            reason: `is already a domain of ${kind} \`${owner.name}\``,
          });
        }
      }
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
