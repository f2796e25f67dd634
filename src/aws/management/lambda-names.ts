/**
 * Lambda function names as the API takes them: `NAME`, `NAME:QUALIFIER`, the partial ARN `ACCOUNT:function:NAME`
 * and the full ARN `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`, all resolving to NAME.
 */
import { AWS_ACCOUNT_ID, AWS_REGION } from "../../model/index.js";
import {
  constraintProblem,
  functionNotFound,
  invalidParameterValue,
  lambdaValidationError,
  validationMessage,
} from "./aws-errors.js";

/** The pattern AWS names in its validation messages for a function name or ARN. */
export const FUNCTION_NAME_PATTERN =
  "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";

/** The one version Portico keeps of a function. */
export const LATEST = "$LATEST";

const NAME = /^[a-zA-Z0-9_-]+$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9_-]+)$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}((-gov)|(-iso[a-z]?))?-[a-z]+-\d$/;
const PARTITION = /^aws[a-zA-Z-]*$/;

export interface FunctionReference {
  readonly name: string;
  /** `$LATEST`, or undefined when none was given. */
  readonly qualifier: string | undefined;
}

export function functionArn(name: string, qualifier?: string): string {
  const arn = `arn:aws:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:${name}`;
  return qualifier === undefined ? arn : `${arn}:${qualifier}`;
}

/**
 * The function a path's `FunctionName` (and an optional `Qualifier` query parameter) names. Any account and region
 * are accepted: Portico is one account in one region, and an ARN it returned may carry another region's name when
 * the client is configured for one. Qualifiers other than `$LATEST` name versions and aliases, which Portico does
 * not keep, so they are not found.
 */
export function resolveFunctionName(raw: string, qualifier?: string): FunctionReference {
  const parsed = splitFunctionName(raw);
  if (parsed === undefined || raw.length > 170) {
    throw lambdaValidationError([patternProblem(raw)]);
  }
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) {
    throw lambdaValidationError([
      constraintProblem(
        qualifier,
        "qualifier",
        "Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)",
      ),
    ]);
  }
  if (qualifier !== undefined && parsed.qualifier !== undefined && qualifier !== parsed.qualifier) {
    throw invalidParameterValue(
      "The derived qualifier from the function name does not match the specified qualifier.",
    );
  }
  const resolved = parsed.qualifier ?? qualifier;
  if (resolved !== undefined && resolved !== LATEST)
    throw functionNotFound(functionArn(parsed.name, resolved));
  return { name: parsed.name, qualifier: resolved };
}

/**
 * CreateFunction's `FunctionName`: a name of at most 64 characters, or an unqualified ARN of at most 140. A bad
 * bare name is an InvalidParameterValueException there, any other form a ValidationException (LocalStack's
 * api_utils.py, from its snapshots of AWS).
 */
export function resolveNewFunctionName(raw: string): string {
  const parsed = splitFunctionName(raw);
  const isBareName = !raw.includes(":");
  const problems: string[] = [];
  const maxLength = isBareName ? 64 : 140;
  if (raw.length > maxLength) {
    problems.push(
      constraintProblem(raw, "functionName", `Member must have length less than or equal to ${maxLength}`),
    );
  }
  if (parsed === undefined || parsed.qualifier !== undefined) problems.push(patternProblem(raw));
  if (problems.length > 0) {
    throw isBareName ? invalidParameterValue(validationMessage(problems)) : lambdaValidationError(problems);
  }
  return (parsed as FunctionReference).name;
}

function patternProblem(raw: string): string {
  return constraintProblem(
    raw,
    "functionName",
    `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
  );
}

/** The name and qualifier in one of the four forms, or undefined when it is none of them. */
export function splitFunctionName(raw: string): FunctionReference | undefined {
  const parts = raw.split(":");
  let name: string | undefined;
  let qualifier: string | undefined;
  if (parts.length <= 2) {
    [name, qualifier] = parts;
  } else if (parts.length <= 4 && parts[1] === "function" && ACCOUNT.test(parts[0] as string)) {
    [, , name, qualifier] = parts;
  } else if (
    parts.length <= 8 &&
    parts.length >= 7 &&
    parts[0] === "arn" &&
    PARTITION.test(parts[1] as string) &&
    parts[2] === "lambda" &&
    REGION.test(parts[3] as string) &&
    ACCOUNT.test(parts[4] as string) &&
    parts[5] === "function"
  ) {
    [, , , , , , name, qualifier] = parts;
  } else {
    return undefined;
  }
  if (name === undefined || !NAME.test(name)) return undefined;
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) return undefined;
  return { name, qualifier };
}
