/**
 * The `Runtime` a Lambda API request names, mapped onto the runtime family Portico runs it with, or refused with
 * the message AWS gives for a runtime it will not create functions with.
 */
import { KNOWN_RUNTIME_IDS, runtimeKindOf } from "../../config/runtime-id.js";
import type { RuntimeKind } from "../../model/index.js";
import { type AwsApiError, invalidParameterValue } from "./aws-errors.js";

/** Runtimes AWS has retired: it refuses to create or update functions with them. */
const RETIRED_RUNTIMES = new Set([
  "nodejs4.3",
  "nodejs4.3-edge",
  "nodejs6.10",
  "nodejs8.10",
  "python2.7",
  "java8",
  "go1.x",
  "ruby2.5",
  "ruby2.7",
  "dotnetcore1.0",
  "dotnetcore2.0",
  "dotnetcore2.1",
  "dotnetcore3.1",
  "dotnet6",
]);

/** Runtimes AWS runs and Portico does not: their languages need a `provided` runtime and a bootstrap here. */
const OTHER_LANGUAGE_RUNTIMES = /^(java\d+(\.al2(023)?)?|dotnet\d+|ruby\d+\.\d+)$/;

export interface ResolvedRuntime {
  readonly runtime: RuntimeKind;
  readonly runtimeId: string;
}

export function resolveRuntime(runtimeId: string): ResolvedRuntime {
  const runtime = runtimeKindOf(runtimeId);
  if (runtime !== undefined) return { runtime, runtimeId };
  throw unsupportedRuntime(runtimeId);
}

function unsupportedRuntime(runtimeId: string): AwsApiError {
  if (RETIRED_RUNTIMES.has(runtimeId)) {
    // AWS's wording for a retired runtime (seen in CloudFormation and Terraform failures).
    return invalidParameterValue(
      `The runtime parameter of ${runtimeId} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if (OTHER_LANGUAGE_RUNTIMES.test(runtimeId)) {
    return invalidParameterValue(
      `The runtime parameter of ${runtimeId} is not supported by Portico, which runs nodejs, python3 and provided runtimes: build the function with a bootstrap executable and use provided.al2023.`,
    );
  }
  // AWS's wording for a value outside the enum, listing what Portico runs instead of AWS's whole list.
  return invalidParameterValue(
    `Value ${runtimeId} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${KNOWN_RUNTIME_IDS.join(", ")}]`,
  );
}
