/**
 * Portico's own errors as the AWS service answering would raise them, so AWS tools report them by AWS's names:
 * a function that exists already is a ResourceConflictException, an unreadable zip an
 * InvalidParameterValueException, anything unforeseen a ServiceException (never with a stack).
 */
import {
  AwsApiError,
  type AwsService,
  badRequestException,
  conflictException,
  functionArn,
  functionNotFound,
  invalidParameterValue,
  requestEntityTooLargeException,
  resourceConflict,
  serviceException,
} from "../../aws/index.js";
import { PorticoError } from "../../model/index.js";
import {
  ArchiveError,
  ArtifactTooLargeError,
  LAMBDA_EMPTY_ZIP,
  LAMBDA_UNZIP_FAILED,
} from "../artifacts/index.js";

/** Portico's codes for a request that conflicts with what exists. */
const CONFLICTS = new Set([
  "FUNCTION_EXISTS",
  "OWNED_BY_PROJECT",
  "PERMISSION_EXISTS",
  "NAME_TAKEN",
  "PRECONDITION_FAILED",
]);
const NOT_FOUND = new Set(["FUNCTION_NOT_FOUND", "NOT_FOUND"]);

/**
 * `error` as `service` answers it. `functionName` is the function the request names, if any: a function that
 * turned out missing is then named by its ARN, as Lambda names it.
 */
export function awsErrorOf(error: unknown, service: AwsService, functionName?: string): AwsApiError {
  if (error instanceof AwsApiError) return error;
  const lambda = service === "lambda";
  if (error instanceof ArtifactTooLargeError) {
    // Lambda's exceptions for its two code quotas: the request, and the code once unzipped.
    if (!lambda) return badRequestException(error.message);
    return error.limit === "zipped"
      ? requestEntityTooLargeException(error.message)
      : invalidParameterValue(error.message);
  }
  if (error instanceof ArchiveError) {
    const message =
      error.code === "ARCHIVE_INVALID"
        ? LAMBDA_UNZIP_FAILED
        : error.code === "ARCHIVE_EMPTY"
          ? LAMBDA_EMPTY_ZIP
          : error.message;
    return lambda ? invalidParameterValue(message) : badRequestException(message);
  }
  if (error instanceof PorticoError && error.isUserError) {
    if (CONFLICTS.has(error.code)) {
      return lambda ? resourceConflict(error.message) : conflictException(error.message);
    }
    if (NOT_FOUND.has(error.code) && lambda && functionName !== undefined) {
      return functionNotFound(functionArn(functionName));
    }
    return lambda ? invalidParameterValue(error.message) : badRequestException(error.message);
  }
  const message = `Portico could not complete the request: ${error instanceof Error ? error.message : String(error)}`;
  return lambda ? serviceException(message) : internalServerError(message);
}

/** API Gateway's answer to a fault of its own (the v2 model has no modelled 5xx error). */
function internalServerError(message: string): AwsApiError {
  return new AwsApiError("apigatewayv2", "InternalServerErrorException", 500, { message });
}
