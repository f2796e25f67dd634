/**
 * Zod schemas for the SAM resource properties Portico reads. They are loose: CloudFormation has many more
 * properties (Policies, Tracing) that a local runner can ignore.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import type { FunctionLogging, FunctionSpec } from "../model/index.js";
import { accessLogSettingsSchema } from "./access-log-schemas.js";
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
  concurrency,
  describeValue,
  domainName,
  environment,
  expecting,
  handlerProblemFor,
  integrationTimeoutMs,
  logLevel,
  memoryMb,
  payloadFormat,
  type RuntimeChoice,
  runtime,
  stageName,
  stageVariables,
  timeoutSeconds,
} from "./field-schemas.js";
import { INLINE_FILE_NAMES } from "./generated-code.js";
import { directoryProblem } from "./model-assembly.js";
import { burstLimit, rateLimit } from "./throttle-schemas.js";

/** CloudFormation passes numbers through parameters as strings (`!Ref Timeout` → "10"); accept those. */
export function numeric<S extends z.ZodType>(schema: S) {
  return z.preprocess(
    (value) => (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value),
    schema,
  );
}

/** A property Portico refuses outright, with the reason and the way out. */
function refused(reason: (value: unknown) => string | undefined) {
  return z
    .unknown()
    .optional()
    .superRefine((value, ctx) => {
      const message = value === undefined ? undefined : reason(value);
      if (message !== undefined) ctx.addIssue({ code: "custom", input: value, message });
    });
}

export function isZipPath(path: string): boolean {
  return path.toLowerCase().endsWith(".zip");
}

async function fileProblem(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).isFile() ? undefined : `is not a file: ${path}`;
  } catch {
    return `file does not exist: ${path}`;
  }
}

/** Lambda's advanced logging controls; the levels apply to the JSON format only, as Lambda says. */
const loggingConfig = z
  .looseObject(
    {
      LogFormat: z.enum(["Text", "JSON"], { error: expecting("Text or JSON") }).default("Text"),
      ApplicationLogLevel: logLevel.optional(),
      SystemLogLevel: logLevel.optional(),
    },
    { error: expecting("a mapping with LogFormat, ApplicationLogLevel, SystemLogLevel") },
  )
  .superRefine((config, ctx) => {
    if (config.LogFormat === "JSON") return;
    for (const key of ["ApplicationLogLevel", "SystemLogLevel"] as const) {
      if (config[key] === undefined) continue;
      ctx.addIssue({ code: "custom", input: config[key], path: [key], message: "needs LogFormat: JSON" });
    }
  })
  .transform(
    (config): FunctionLogging => ({
      format: config.LogFormat,
      applicationLevel: config.ApplicationLogLevel ?? "INFO",
      systemLevel: config.SystemLogLevel ?? "INFO",
    }),
  );

/** A function from what both function resource types say (see lambdaSettingFields). */
export function lambdaFunctionSpec(
  name: string,
  fn: {
    readonly Runtime?: RuntimeChoice;
    readonly Handler?: string;
    readonly Timeout: number;
    readonly MemorySize: number;
    readonly ReservedConcurrentExecutions: number;
    readonly Environment: { readonly Variables: Readonly<Record<string, string>> };
  },
  codeDir: string,
): FunctionSpec {
  const runtime = fn.Runtime as RuntimeChoice;
  return {
    name,
    runtime: runtime.kind,
    runtimeId: runtime.id,
    handler: fn.Handler ?? DEFAULTS.function.providedHandler,
    codeDir,
    timeoutSeconds: fn.Timeout,
    memoryMb: fn.MemorySize,
    environment: fn.Environment.Variables,
    concurrency: fn.ReservedConcurrentExecutions,
    idleTimeoutSeconds: DEFAULTS.function.idleTimeoutSeconds,
  };
}

/** What SAM's `AWS::Serverless::Function` and CloudFormation's `AWS::Lambda::Function` both say, alike. */
export const lambdaSettingFields = {
  Timeout: numeric(timeoutSeconds).default(DEFAULTS.function.timeoutSeconds),
  MemorySize: numeric(memoryMb).default(DEFAULTS.function.memoryMb),
  ReservedConcurrentExecutions: numeric(concurrency).default(DEFAULTS.function.concurrency),
  Environment: z
    .looseObject({ Variables: environment.default({}) }, { error: expecting("a mapping with `Variables`") })
    .default({ Variables: {} }),
};

export function samFunctionSchema(templateDir: string) {
  return z
    .looseObject(
      {
        Runtime: runtime.optional(),
        Handler: z.string({ error: expecting("FILE.FUNCTION, e.g. app.handler") }).optional(),
        CodeUri: z
          .string({ error: expecting("a local directory relative to the template") })
          .prefault(DEFAULTS.function.code)
          .superRefine((uri, ctx) => {
            if (uri.startsWith("s3://")) {
              ctx.addIssue({
                code: "custom",
                input: uri,
                message: "S3 locations are not supported; point CodeUri at a local directory",
              });
            }
          })
          .transform((dir) => resolve(templateDir, dir))
          .superRefine(async (dir, ctx) => {
            // A local .zip is extracted, as `sam local` does.
            const problem = isZipPath(dir) ? await fileProblem(dir) : await directoryProblem(dir);
            if (problem !== undefined) ctx.addIssue({ code: "custom", input: dir, message: problem });
          }),
        InlineCode: z.string({ error: expecting("the function's source code as text") }).optional(),
        Layers: z
          .array(z.unknown(), { error: expecting("a list of layers (!Ref to a LayerVersion, or an ARN)") })
          .default([]),
        LoggingConfig: loggingConfig.optional(),
        TenancyConfig: z
          .looseObject(
            {
              TenantIsolationMode: z.literal("PER_TENANT", {
                error: expecting("PER_TENANT (the only tenant isolation mode)"),
              }),
            },
            { error: expecting("a mapping with `TenantIsolationMode: PER_TENANT`") },
          )
          .optional(),
        PackageType: refused((type) =>
          type === "Image"
            ? "container image functions (PackageType: Image) are not supported; use CodeUri"
            : undefined,
        ),
        ...lambdaSettingFields,
        Events: z
          .record(
            z.string(),
            z.looseObject(
              {
                Type: z.string({ error: expecting("an event source type such as HttpApi") }),
                Properties: z.unknown().optional(),
              },
              { error: expecting("an event source with `Type` and `Properties`") },
            ),
            { error: expecting("a mapping of event names to event sources") },
          )
          .default({}),
      },
      { error: expecting("a mapping of function properties") },
    )
    .superRefine(
      (fn, ctx) => {
        if (fn.PackageType === "Image") return;
        if (fn.Runtime === undefined) {
          ctx.addIssue({
            code: "custom",
            input: undefined,
            path: ["Runtime"],
            message: "is required: nodejs20.x, python3.12, provided.al2023, ...",
          });
        }
        if (
          fn.InlineCode !== undefined &&
          fn.Runtime !== undefined &&
          !(fn.Runtime.kind in INLINE_FILE_NAMES)
        ) {
          ctx.addIssue({
            code: "custom",
            input: fn.InlineCode,
            path: ["InlineCode"],
            message: `is for Node.js and Python functions; a ${fn.Runtime.id} function needs CodeUri`,
          });
        }
        const problem = handlerProblemFor(fn.Runtime, fn.Handler);
        if (problem !== undefined) {
          ctx.addIssue({ code: "custom", input: fn.Handler, path: ["Handler"], message: problem });
        }
      },
      { when: () => true },
    );
}

/**
 * A stage's or route's settings (`DefaultRouteSettings`, `RouteSettings`, `MethodSettings`): Portico reads the two
 * throttling limits; the caller warns about the rest (logging, metrics, caching).
 */
export const routeSettings = z.looseObject(
  {
    ThrottlingBurstLimit: numeric(burstLimit).optional(),
    ThrottlingRateLimit: numeric(rateLimit).optional(),
  },
  { error: expecting("a mapping of route settings (ThrottlingBurstLimit, ThrottlingRateLimit, ...)") },
);

export type RouteSettings = z.output<typeof routeSettings>;

const routeSettingsByKey = z.record(z.string(), routeSettings, {
  error: expecting('a mapping of route keys ("GET /items") to route settings'),
});

const methodSettings = z.array(
  routeSettings.extend({
    ResourcePath: z.string({ error: expecting('a resource path such as /items, or "/*" for every one') }),
    HttpMethod: z.string({ error: expecting('an HTTP method such as GET, or "*" for every one') }),
  }),
  { error: expecting("a list of method settings (ResourcePath, HttpMethod, ThrottlingBurstLimit, ...)") },
);

export const httpApiEventSchema = z
  .looseObject(
    {
      ApiId: z.unknown().optional(),
      Path: z.string({ error: expecting("a path such as /items/{id}") }).optional(),
      Method: z.string({ error: expecting("an HTTP method such as get, or any") }).optional(),
      PayloadFormatVersion: payloadFormat.default(DEFAULTS.sam.httpApiPayloadFormat),
      TimeoutInMillis: numeric(integrationTimeoutMs).default(DEFAULTS.api.integrationTimeoutMs),
      RouteSettings: routeSettings.optional(),
    },
    { error: expecting("a mapping of HttpApi event properties") },
  )
  .superRefine(
    (event, ctx) => {
      // Both absent is the `$default` route; one without the other is a mistake.
      if ((event.Path === undefined) !== (event.Method === undefined)) {
        const missing = event.Path === undefined ? "Path" : "Method";
        ctx.addIssue({
          code: "custom",
          input: undefined,
          path: [missing],
          message: "is required with the other: give both Path and Method, or neither for the $default route",
        });
      }
    },
    { when: () => true },
  );

export const restApiEventSchema = z.looseObject(
  {
    RestApiId: z.unknown().optional(),
    Path: z.string({ error: expecting("a path such as /hello") }),
    Method: z.string({ error: expecting("an HTTP method such as get, or any") }),
  },
  { error: expecting("a mapping of Api event properties (Path, Method)") },
);

const corsObject = z
  .looseObject(
    {
      AllowOrigins: corsOrigins.optional(),
      AllowMethods: corsMethods.optional(),
      AllowHeaders: corsHeaders.optional(),
      ExposeHeaders: corsHeaders.optional(),
      MaxAge: numeric(corsMaxAge).optional(),
      AllowCredentials: corsCredentials.optional(),
    },
    { error: expecting("true, an origin, or a mapping of CORS settings") },
  )
  .superRefine(...rejectCredentialsWithWildcard("AllowOrigins", "AllowCredentials"))
  .transform((cors) => ({
    allowOrigins: cors.AllowOrigins,
    allowMethods: cors.AllowMethods,
    allowHeaders: cors.AllowHeaders,
    exposeHeaders: cors.ExposeHeaders,
    maxAge: cors.MaxAge,
    allowCredentials: cors.AllowCredentials,
  }));

/** `true` allows every origin; a string is one origin; a mapping is the full configuration. */
const httpApiCors = z.preprocess((value) => {
  if (value === true) return { AllowOrigins: ["*"] };
  if (value === false) return undefined;
  if (typeof value === "string") return { AllowOrigins: [value] };
  return value;
}, corsObject.optional());

const domain = z
  .looseObject({ DomainName: domainName }, { error: expecting("a mapping with `DomainName`") })
  .optional();

export const httpApiSchema = z.looseObject(
  {
    StageName: stageName.default("$default"),
    StageVariables: stageVariables.default({}),
    CorsConfiguration: httpApiCors,
    Domain: domain,
    DefaultRouteSettings: routeSettings.optional(),
    RouteSettings: routeSettingsByKey.optional(),
    AccessLogSettings: accessLogSettingsSchema.optional(),
  },
  { error: expecting("a mapping of HttpApi properties") },
);

/** `AWS::Serverless::Api` Cors values are quoted header values: `"'GET,POST'"`. */
function headerValue(text: string): string {
  return text.trim().replace(/^'(.*)'$/, "$1");
}

function headerList(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : headerValue(text)
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
}

const quoted = z.string({ error: expecting("a quoted header value such as \"'GET,POST'\"") });

const restCors = z.preprocess(
  (value) => (typeof value === "string" ? { AllowOrigin: value } : value),
  z
    .looseObject(
      {
        AllowOrigin: quoted,
        AllowMethods: quoted.optional(),
        AllowHeaders: quoted.optional(),
        MaxAge: z
          .preprocess(
            (value) => (typeof value === "string" ? headerValue(value) : value),
            numeric(corsMaxAge),
          )
          .optional(),
        // A boolean in SAM's docs; templates also quote it as the header value it becomes (`"'true'"`).
        AllowCredentials: z
          .preprocess((value) => {
            const text = typeof value === "string" ? headerValue(value).toLowerCase() : undefined;
            return text === "true" ? true : text === "false" ? false : value;
          }, corsCredentials)
          .optional(),
      },
      { error: expecting("an origin, or a mapping with AllowOrigin, AllowMethods, ...") },
    )
    .transform((cors) => ({
      allowOrigins: headerList(cors.AllowOrigin),
      allowMethods: headerList(cors.AllowMethods),
      allowHeaders: headerList(cors.AllowHeaders),
      maxAge: cors.MaxAge,
      allowCredentials: cors.AllowCredentials,
    })),
);

/** `BinaryMediaTypes`: `image/png`, `image/*`, or every type; CloudFormation's `~1` for `/` too, as in SAM. */
const binaryMediaTypes = z.array(
  z
    .string({ error: expecting("a media type such as image/png, image/* or */*") })
    .transform((type) => type.replaceAll("~1", "/").trim())
    .superRefine((type, ctx) => {
      if (!/^(\*|[!#$%&'+.^_`|~0-9A-Za-z-]+)\/(\*|[!#$%&'+.^_`|~0-9A-Za-z-]+)$/.test(type)) {
        ctx.addIssue({
          code: "custom",
          input: type,
          message: `must be a media type such as image/png, image/* or */*, got ${describeValue(type)}`,
        });
      }
    }),
  { error: expecting("a list of media types such as image/png") },
);

export const restApiSchema = z.looseObject(
  {
    StageName: stageName,
    Variables: stageVariables.default({}),
    Cors: restCors.optional(),
    BinaryMediaTypes: binaryMediaTypes.optional(),
    Domain: domain,
    MethodSettings: methodSettings.optional(),
    AccessLogSetting: accessLogSettingsSchema.optional(),
  },
  { error: expecting("a mapping of Api properties") },
);
