/**
 * A function as the Lambda API shows it: FunctionConfiguration (CreateFunction, GetFunctionConfiguration, the
 * updates), GetFunction's `{Configuration, Code, Tags}` and ListFunctions' page, field for field as AWS returns
 * them (LocalStack's snapshots recorded against AWS, tests/aws/services/lambda_/test_lambda_api.snapshot.json).
 */
import { createHash } from "node:crypto";
import type { FunctionRecord } from "../../model/index.js";
import { functionAwsDetails } from "./lambda-details.js";
import { functionArn, LATEST } from "./lambda-names.js";
import { revisionIdOf } from "./lambda-revision.js";

export type JsonObject = Record<string, unknown>;

/** Lambda's `LastModified`: milliseconds and a `+0000` zone (`2024-01-01T00:00:00.000+0000`). */
export function formatLambdaTime(iso: string): string {
  return new Date(iso).toISOString().replace(/Z$/, "+0000");
}

/** `CodeSha256`: the base64 of the deployment package's SHA-256. */
export function codeSha256Of(record: Pick<FunctionRecord, "code">): string {
  const hex = record.code.artifact ?? record.code.digest;
  // Code from a directory has no package: its content digest stands in, hashed if it is not a SHA-256 itself.
  const bytes = /^[0-9a-f]{64}$/i.test(hex)
    ? Buffer.from(hex, "hex")
    : createHash("sha256").update(hex).digest();
  return bytes.toString("base64");
}

export interface ConfigurationOptions {
  /** ListFunctions leaves out the state fields (`State`, `LastUpdateStatus`). */
  readonly listing?: boolean;
}

export function renderFunctionConfiguration(
  record: FunctionRecord,
  options: ConfigurationOptions = {},
): JsonObject {
  const details = functionAwsDetails(record);
  const { config } = record;
  return {
    FunctionName: record.name,
    FunctionArn: functionArn(record.name),
    Runtime: config.runtimeId,
    Role: details.role,
    Handler: config.handler,
    CodeSize: details.codeSize,
    Description: details.description,
    Timeout: config.timeoutSeconds,
    MemorySize: config.memoryMb,
    LastModified: formatLambdaTime(record.modifiedAt),
    CodeSha256: codeSha256Of(record),
    Version: LATEST,
    ...(Object.keys(config.environment).length === 0
      ? {}
      : { Environment: { Variables: { ...config.environment } } }),
    TracingConfig: { Mode: details.tracingMode },
    RevisionId: revisionIdOf(record),
    // Portico starts instances on demand, so a function can be invoked as soon as it is stored.
    ...(options.listing === true ? {} : { State: "Active", LastUpdateStatus: "Successful" }),
    PackageType: "Zip",
    Architectures: [...details.architectures],
    EphemeralStorage: { Size: details.ephemeralStorageMb },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    LoggingConfig: { ...details.loggingConfig },
  };
}

/**
 * GetFunction. `codeLocation` is where the package can be downloaded (AWS gives a presigned S3 URL valid for 10
 * minutes); the repository type stays `S3` because that is what clients expect there.
 */
export function renderGetFunction(record: FunctionRecord, codeLocation?: string): JsonObject {
  const { tags } = functionAwsDetails(record);
  return {
    Configuration: renderFunctionConfiguration(record),
    Code: { RepositoryType: "S3", ...(codeLocation === undefined ? {} : { Location: codeLocation }) },
    ...(Object.keys(tags).length === 0 ? {} : { Tags: { ...tags } }),
  };
}

/** ListFunctions: one page, `NextMarker` present only when more follow. */
export function renderListFunctions(records: readonly FunctionRecord[], nextMarker?: string): JsonObject {
  return {
    Functions: records.map((record) => renderFunctionConfiguration(record, { listing: true })),
    ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
  };
}
