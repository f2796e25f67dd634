/**
 * Request bodies of CreateFunction, UpdateFunctionCode and UpdateFunctionConfiguration: their zod shapes, Lambda's
 * constraints with Lambda's messages, and what a valid request makes of a function (its FunctionConfig and the
 * details only the Lambda API shows).
 */
import { z } from "zod";
import { DEFAULTS } from "../../config/defaults.js";
import type { FunctionConfig, FunctionRecord } from "../../model/index.js";
import { constraintProblem, invalidParameterValue, lambdaValidationError } from "./aws-errors.js";
import { readShape } from "./json-body.js";
import {
  architectureProblems,
  environmentOf,
  refuseUnsupported,
  settingsProblems,
  zipFileOf,
} from "./lambda-constraints.js";
import {
  type Architecture,
  defaultAwsDetails,
  type FunctionAwsDetails,
  functionAwsDetails,
  type LoggingConfig,
} from "./lambda-details.js";
import { resolveNewFunctionName } from "./lambda-names.js";
import { checkRevisionId } from "./lambda-revision.js";
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

function loggingConfigOf(
  request: z.output<typeof loggingShape> | undefined,
  current: LoggingConfig,
): LoggingConfig {
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(request ?? {})) if (value !== undefined) merged[key] = value;
  return merged as unknown as LoggingConfig;
}
