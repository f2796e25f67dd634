/**
 * Request bodies of CreateFunction, UpdateFunctionCode and UpdateFunctionConfiguration: their zod shapes, Lambda's
 * constraints with Lambda's messages, and what a valid request makes of a function (its FunctionConfig and the
 * details only the Lambda API shows).
 */
import { z } from "zod";
import { DEFAULTS } from "../../config/defaults.js";
import { RESERVED_ENVIRONMENT_VARIABLES } from "../../config/field-schemas.js";
import type { FunctionConfig, FunctionRecord } from "../../model/index.js";
import {
  constraintProblem,
  invalidParameterValue,
  lambdaValidationError,
  preconditionFailed,
} from "./aws-errors.js";
import { readShape } from "./json-body.js";
import {
  ARCHITECTURES,
  type Architecture,
  defaultAwsDetails,
  type FunctionAwsDetails,
  functionAwsDetails,
  LOG_FORMATS,
  type LoggingConfig,
  TRACING_MODES,
} from "./lambda-details.js";
import { resolveNewFunctionName } from "./lambda-names.js";
import { revisionIdOf } from "./lambda-revision.js";
import { resolveRuntime } from "./lambda-runtime.js";

const environmentShape = z.object({ Variables: z.record(z.string(), z.string()).optional() });
const loggingShape = z.object({
  LogFormat: z.string().optional(),
  ApplicationLogLevel: z.string().optional(),
  SystemLogLevel: z.string().optional(),
  LogGroup: z.string().optional(),
});

/** The settings CreateFunction and UpdateFunctionConfiguration share. */
const settingsShape = {
  Role: z.string().optional(),
  Handler: z.string().optional(),
  Runtime: z.string().optional(),
  Description: z.string().optional(),
  Timeout: z.number().int().optional(),
  MemorySize: z.number().int().optional(),
  Environment: environmentShape.optional(),
  TracingConfig: z.object({ Mode: z.string().optional() }).optional(),
  EphemeralStorage: z.object({ Size: z.number().int() }).optional(),
  LoggingConfig: loggingShape.optional(),
  // Portico cannot honour these; they are refused rather than silently ignored.
  Layers: z.array(z.string()).optional(),
  FileSystemConfigs: z.array(z.unknown()).optional(),
};

export const createFunctionShape = z.object({
  FunctionName: z.string().optional(),
  Code: z
    .object({
      ZipFile: z.string().optional(),
      S3Bucket: z.string().optional(),
      S3Key: z.string().optional(),
      S3ObjectVersion: z.string().optional(),
      ImageUri: z.string().optional(),
    })
    .optional(),
  Publish: z.boolean().optional(),
  PackageType: z.string().optional(),
  Architectures: z.array(z.string()).optional(),
  Tags: z.record(z.string(), z.string()).optional(),
  ...settingsShape,
});

export const updateFunctionConfigurationShape = z.object({
  ...settingsShape,
  RevisionId: z.string().optional(),
});

export const updateFunctionCodeShape = z.object({
  ZipFile: z.string().optional(),
  S3Bucket: z.string().optional(),
  S3Key: z.string().optional(),
  S3ObjectVersion: z.string().optional(),
  ImageUri: z.string().optional(),
  Architectures: z.array(z.string()).optional(),
  Publish: z.boolean().optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
});

export type CreateFunctionRequest = z.output<typeof createFunctionShape>;
export type UpdateFunctionConfigurationRequest = z.output<typeof updateFunctionConfigurationShape>;
export type UpdateFunctionCodeRequest = z.output<typeof updateFunctionCodeShape>;

/** A function CreateFunction asks for: what Portico runs, what the Lambda API shows, and the code. */
export interface NewFunction {
  readonly name: string;
  readonly config: FunctionConfig;
  readonly aws: FunctionAwsDetails;
  /** The deployment package, decoded from `Code.ZipFile`. */
  readonly zip: Buffer;
}

/** CreateFunction: the request checked against Lambda's rules, then made into a function. */
export function newFunction(body: unknown): NewFunction {
  const request = readShape(createFunctionShape, body, "lambda");
  const problems = settingsProblems(request);
  if (request.FunctionName === undefined) {
    problems.unshift(constraintProblem(null, "functionName", "Member must not be null"));
  }
  if (request.Role === undefined) problems.push(constraintProblem(null, "role", "Member must not be null"));
  if (request.Code === undefined) problems.push(constraintProblem(null, "code", "Member must not be null"));
  if (request.PackageType !== undefined && !["Zip", "Image"].includes(request.PackageType)) {
    problems.push(
      constraintProblem(
        request.PackageType,
        "packageType",
        "Member must satisfy enum value set: [Zip, Image]",
      ),
    );
  }
  problems.push(...architectureProblems(request.Architectures));
  if (problems.length > 0) throw lambdaValidationError(problems);

  const name = resolveNewFunctionName(request.FunctionName as string);
  if (request.PackageType === "Image" || request.Code?.ImageUri !== undefined) {
    throw invalidParameterValue(
      "Portico runs .zip deployment packages only: container images (PackageType Image) are not supported.",
    );
  }
  if (
    request.Runtime === undefined ||
    (request.Handler === undefined && !request.Runtime.startsWith("provided"))
  ) {
    // AWS's message, from CloudFormation failures where either was left out.
    throw invalidParameterValue(
      "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
    );
  }
  const zip = zipFileOf(request.Code ?? {});
  refuseUnsupported(request);
  const runtime = resolveRuntime(request.Runtime);
  const environment = environmentOf(request.Environment?.Variables ?? {});
  const defaults = defaultAwsDetails(name);
  return {
    name,
    zip,
    config: {
      name,
      ...runtime,
      handler: request.Handler ?? DEFAULTS.function.providedHandler,
      timeoutSeconds: request.Timeout ?? DEFAULTS.function.timeoutSeconds,
      memoryMb: request.MemorySize ?? DEFAULTS.function.memoryMb,
      environment,
      concurrency: DEFAULTS.function.concurrency,
      idleTimeoutSeconds: DEFAULTS.function.idleTimeoutSeconds,
    },
    aws: {
      description: request.Description ?? defaults.description,
      role: request.Role as string,
      architectures: (request.Architectures as Architecture[] | undefined) ?? defaults.architectures,
      codeSize: zip.length,
      tags: request.Tags ?? {},
      ephemeralStorageMb: request.EphemeralStorage?.Size ?? defaults.ephemeralStorageMb,
      tracingMode: (request.TracingConfig?.Mode as FunctionAwsDetails["tracingMode"]) ?? defaults.tracingMode,
      loggingConfig: loggingConfigOf(request.LoggingConfig, defaults.loggingConfig),
    },
  };
}

/** The settings a function has after UpdateFunctionConfiguration; members left out keep their values. */
export function updatedConfiguration(
  record: FunctionRecord,
  body: unknown,
): { readonly config: FunctionConfig; readonly aws: FunctionAwsDetails } {
  const request = readShape(updateFunctionConfigurationShape, body, "lambda");
  const problems = settingsProblems(request);
  if (problems.length > 0) throw lambdaValidationError(problems);
  checkRevisionId(record, request.RevisionId);
  refuseUnsupported(request);
  const current = functionAwsDetails(record);
  const runtime = request.Runtime === undefined ? undefined : resolveRuntime(request.Runtime);
  return {
    config: {
      ...record.config,
      ...runtime,
      handler: request.Handler ?? record.config.handler,
      timeoutSeconds: request.Timeout ?? record.config.timeoutSeconds,
      memoryMb: request.MemorySize ?? record.config.memoryMb,
      // Environment replaces the variables whole, as in Lambda; without Variables it clears them.
      environment:
        request.Environment === undefined
          ? record.config.environment
          : environmentOf(request.Environment.Variables ?? {}),
    },
    aws: {
      ...current,
      description: request.Description ?? current.description,
      role: request.Role ?? current.role,
      ephemeralStorageMb: request.EphemeralStorage?.Size ?? current.ephemeralStorageMb,
      tracingMode: (request.TracingConfig?.Mode as FunctionAwsDetails["tracingMode"]) ?? current.tracingMode,
      loggingConfig: loggingConfigOf(request.LoggingConfig, current.loggingConfig),
    },
  };
}

/** UpdateFunctionCode: the new package, and the details that change with it. */
export interface NewCode {
  readonly zip: Buffer;
  readonly aws: FunctionAwsDetails;
  /** Validate only: the function must not change. */
  readonly dryRun: boolean;
}

export function updatedCode(record: FunctionRecord, body: unknown): NewCode {
  const request = readShape(updateFunctionCodeShape, body, "lambda");
  const problems = architectureProblems(request.Architectures);
  if (problems.length > 0) throw lambdaValidationError(problems);
  checkRevisionId(record, request.RevisionId);
  if (request.ImageUri !== undefined) {
    throw invalidParameterValue("Portico runs .zip deployment packages only: ImageUri is not supported.");
  }
  const zip = zipFileOf(request);
  const current = functionAwsDetails(record);
  return {
    zip,
    dryRun: request.DryRun ?? false,
    aws: {
      ...current,
      codeSize: zip.length,
      architectures: (request.Architectures as Architecture[] | undefined) ?? current.architectures,
    },
  };
}

/** An update naming a RevisionId applies only to that revision (optimistic locking, as in Lambda). */
export function checkRevisionId(record: FunctionRecord, revisionId: string | undefined): void {
  if (revisionId !== undefined && revisionId !== revisionIdOf(record)) throw preconditionFailed();
}

type Settings = z.output<z.ZodObject<typeof settingsShape>>;

/** Lambda's model constraints on the shared settings, worded as Lambda words them. */
function settingsProblems(settings: Settings): string[] {
  const problems: string[] = [];
  const { Description, Timeout, MemorySize, Handler, Role } = settings;
  if (Description !== undefined && Description.length > 256) {
    problems.push(
      constraintProblem(Description, "description", "Member must have length less than or equal to 256"),
    );
  }
  problems.push(...rangeProblems(Timeout, "timeout", 1, 900));
  problems.push(...rangeProblems(MemorySize, "memorySize", 128, 10240));
  if (Handler !== undefined) {
    if (Handler.length > 128) {
      problems.push(
        constraintProblem(Handler, "handler", "Member must have length less than or equal to 128"),
      );
    }
    if (!/^[^\s]+$/.test(Handler)) {
      problems.push(
        constraintProblem(Handler, "handler", "Member must satisfy regular expression pattern: [^\\s]+"),
      );
    }
  }
  if (Role !== undefined && !/^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/.test(Role)) {
    problems.push(
      constraintProblem(
        Role,
        "role",
        "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
      ),
    );
  }
  const variables = settings.Environment?.Variables ?? {};
  if (Object.keys(variables).some((name) => !/^[a-zA-Z][a-zA-Z0-9_]+$/.test(name))) {
    problems.push(
      constraintProblem(
        variables,
        "environment.variables",
        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
      ),
    );
  }
  const mode = settings.TracingConfig?.Mode;
  if (mode !== undefined && !(TRACING_MODES as readonly string[]).includes(mode)) {
    problems.push(
      constraintProblem(
        mode,
        "tracingConfig.mode",
        `Member must satisfy enum value set: [${TRACING_MODES.join(", ")}]`,
      ),
    );
  }
  problems.push(...rangeProblems(settings.EphemeralStorage?.Size, "ephemeralStorage.size", 512, 10240));
  const format = settings.LoggingConfig?.LogFormat;
  if (format !== undefined && !(LOG_FORMATS as readonly string[]).includes(format)) {
    problems.push(
      constraintProblem(
        format,
        "loggingConfig.logFormat",
        `Member must satisfy enum value set: [${LOG_FORMATS.join(", ")}]`,
      ),
    );
  }
  return problems;
}

function rangeProblems(value: number | undefined, member: string, min: number, max: number): string[] {
  if (value === undefined) return [];
  if (value < min)
    return [constraintProblem(value, member, `Member must have value greater than or equal to ${min}`)];
  if (value > max)
    return [constraintProblem(value, member, `Member must have value less than or equal to ${max}`)];
  return [];
}

/** Architectures: exactly one, x86_64 or arm64 (Portico runs either on the machine's own CPU). */
function architectureProblems(architectures: readonly string[] | undefined): string[] {
  if (architectures === undefined) return [];
  const problems: string[] = [];
  if (architectures.length !== 1) {
    const bound = architectures.length === 0 ? "greater than or equal to 1" : "less than or equal to 1";
    problems.push(constraintProblem(architectures, "architectures", `Member must have length ${bound}`));
  }
  if (architectures.some((item) => !(ARCHITECTURES as readonly string[]).includes(item))) {
    problems.push(
      constraintProblem(
        architectures,
        "architectures",
        "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
      ),
    );
  }
  return problems;
}

/** Variables Lambda sets itself are refused, and all of them together must fit in 4 KB (AWS's messages). */
function environmentOf(variables: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const reserved = Object.keys(variables).filter((name) => RESERVED_ENVIRONMENT_VARIABLES.has(name));
  if (reserved.length > 0) {
    throw invalidParameterValue(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > 4096) {
    throw invalidParameterValue(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
  return { ...variables };
}

/** The zip in `Code.ZipFile` (base64 in JSON). S3 locations are refused: Portico has no S3 to read them from. */
function zipFileOf(code: {
  readonly ZipFile?: string;
  readonly S3Bucket?: string;
  readonly S3Key?: string;
}): Buffer {
  if (code.ZipFile === undefined) {
    throw invalidParameterValue(
      code.S3Bucket !== undefined || code.S3Key !== undefined
        ? "Portico takes function code as ZipFile only: S3Bucket and S3Key are not supported (use --zip-file fileb://function.zip)."
        : "Please provide a source for function code.",
    );
  }
  const text = code.ZipFile.replace(/\s+/g, "");
  const zip = Buffer.from(text, "base64");
  // A zip starts with a local file header (PK\3\4), or is empty and starts with the end record (PK\5\6).
  const isZip = zip.length >= 4 && zip[0] === 0x50 && zip[1] === 0x4b && (zip[2] === 3 || zip[2] === 5);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || !isZip) {
    throw invalidParameterValue(
      "Could not unzip uploaded file. Please check your file, then try to upload again.",
    );
  }
  return zip;
}

function refuseUnsupported(settings: Settings): void {
  if ((settings.Layers ?? []).length > 0) {
    throw invalidParameterValue(
      "Portico does not support layers: include the layer's files in the function's .zip.",
    );
  }
  if ((settings.FileSystemConfigs ?? []).length > 0) {
    throw invalidParameterValue("Portico does not support file systems (FileSystemConfigs).");
  }
}

function loggingConfigOf(
  request: z.output<typeof loggingShape> | undefined,
  current: LoggingConfig,
): LoggingConfig {
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(request ?? {})) if (value !== undefined) merged[key] = value;
  return merged as unknown as LoggingConfig;
}
