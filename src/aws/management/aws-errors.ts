/**
 * AWS error answers as the Lambda API and the API Gateway v2 API send them, so the AWS SDK's deserialisers turn
 * them into their own error classes: the error type in `x-amzn-ErrorType`, the fields in the JSON body.
 */
import { AWS_ACCOUNT_ID, PorticoError } from "../../model/index.js";

export type AwsService = "lambda" | "apigatewayv2";

/** An error answer ready to send: status, headers and the JSON body as text. */
export interface AwsErrorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An error the management APIs answer with, in the service's own shape. */
export class AwsApiError extends PorticoError {
  readonly service: AwsService;
  /** The AWS error type (`ResourceNotFoundException`), which the SDK maps to its error class. */
  readonly errorType: string;
  /** The body's fields, in the casing the service's model gives them. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Headers besides the error type and content type (`Retry-After`). */
  readonly extraHeaders: Readonly<Record<string, string>>;

  constructor(
    service: AwsService,
    errorType: string,
    status: number,
    fields: Readonly<Record<string, unknown>>,
    extraHeaders: Readonly<Record<string, string>> = {},
  ) {
    const message = fields.message ?? fields.Message;
    super(errorCode(errorType), typeof message === "string" ? message : errorType, {
      status,
      isUserError: status < 500,
    });
    this.name = "AwsApiError";
    this.service = service;
    this.errorType = errorType;
    this.fields = fields;
    this.extraHeaders = extraHeaders;
  }
}

/** `ResourceNotFoundException` → `AWS_RESOURCE_NOT_FOUND`: a stable code in Portico's own style. */
function errorCode(errorType: string): string {
  const words = errorType.replace(/Exception$/, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2");
  return `AWS_${words.toUpperCase()}`;
}

export function awsErrorAnswer(error: AwsApiError): AwsErrorAnswer {
  return {
    status: error.status,
    headers: {
      "x-amzn-ErrorType": error.errorType,
      "content-type": "application/json",
      ...error.extraHeaders,
    },
    body: JSON.stringify(error.fields),
  };
}

// ---- Lambda -------------------------------------------------------------------------------------------------
// Lambda's model spells the message member `Message` on some errors and `message` on others, and adds `Type`
// ("User" for 4xx, "Service" for 5xx); the casing below is the model's (@aws-sdk/client-lambda schemas), which is
// also what the service sends: `{"Type":"User","Message":"Function not found: arn:..."}` (LocalStack's snapshots
// recorded against AWS, tests/aws/services/lambda_/test_lambda_api.snapshot.json).

function lambdaError(
  errorType: string,
  status: number,
  fields: Readonly<Record<string, unknown>>,
  headers?: Readonly<Record<string, string>>,
): AwsApiError {
  return new AwsApiError("lambda", errorType, status, fields, headers);
}

export function resourceNotFound(message: string): AwsApiError {
  return lambdaError("ResourceNotFoundException", 404, { Type: "User", Message: message });
}

/** GetFunction, Invoke... on a function that does not exist: the message names its ARN. */
export function functionNotFound(functionArn: string): AwsApiError {
  return resourceNotFound(`Function not found: ${functionArn}`);
}

export function resourceConflict(message: string): AwsApiError {
  return lambdaError("ResourceConflictException", 409, { Type: "User", message });
}

/** CreateFunction with a name in use (LocalStack's provider, matching AWS: "Function already exist", sic). */
export function functionAlreadyExists(name: string): AwsApiError {
  return resourceConflict(`Function already exist: ${name}`);
}

export function invalidParameterValue(message: string): AwsApiError {
  return lambdaError("InvalidParameterValueException", 400, { Type: "User", message });
}

/** A body that is not JSON, or not of the operation's shape. */
export function invalidRequestContent(message: string): AwsApiError {
  return lambdaError("InvalidRequestContentException", 400, { Type: "User", message });
}

/**
 * A request that breaks the model's constraints (lengths, ranges, patterns). It is not one of Lambda's modelled
 * errors: the SDK raises it as a LambdaServiceException named `ValidationException`, as it does against AWS
 * ("Error Code: ValidationException", "1 validation error detected: Value '1200' at 'timeout' failed to satisfy
 * constraint: Member must have value less than or equal to 900").
 */
export function lambdaValidationError(problems: readonly string[]): AwsApiError {
  return lambdaError("ValidationException", 400, { message: validationMessage(problems) });
}

/** An Invoke payload over the invocation type's limit. */
export function requestTooLarge(message: string): AwsApiError {
  return lambdaError("RequestTooLargeException", 413, { Type: "User", message });
}

/** A whole request over the service's size limit (not a modelled error: the SDK names it generically). */
export function requestEntityTooLargeException(message: string): AwsApiError {
  return lambdaError("RequestEntityTooLargeException", 413, { message });
}

/**
 * Throttling. `Reason` is one of Lambda's ThrottleReason values; `Retry-After` (seconds) is the header the model
 * binds to `retryAfterSeconds`. "Rate Exceeded." is Lambda's observed message (aws.md §9).
 */
export function lambdaTooManyRequests(
  options: { readonly message?: string; readonly reason?: string; readonly retryAfterSeconds?: number } = {},
): AwsApiError {
  const fields = {
    ...(options.reason === undefined ? {} : { Reason: options.reason }),
    Type: "User",
    message: options.message ?? "Rate Exceeded.",
  };
  const headers =
    options.retryAfterSeconds === undefined
      ? undefined
      : { "Retry-After": String(options.retryAfterSeconds) };
  return lambdaError("TooManyRequestsException", 429, fields, headers);
}

export function serviceException(message: string): AwsApiError {
  return lambdaError("ServiceException", 500, { Type: "Service", Message: message });
}

export function unsupportedMediaType(message: string): AwsApiError {
  return lambdaError("UnsupportedMediaTypeException", 415, { Type: "User", message });
}

/** A RevisionId that is not the function's current one (LocalStack's provider, matching AWS). */
export function preconditionFailed(
  message = "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
): AwsApiError {
  return lambdaError("PreconditionFailedException", 412, { Type: "User", message });
}

// ---- API Gateway v2 -----------------------------------------------------------------------------------------
// Every v2 error has one member `Message` whose JSON name is `message` (@aws-sdk/client-apigatewayv2 schemas).

function apiGatewayError(errorType: string, status: number, message: string): AwsApiError {
  return new AwsApiError("apigatewayv2", errorType, status, { message });
}

export function notFoundException(message: string): AwsApiError {
  return apiGatewayError("NotFoundException", 404, message);
}

/**
 * An id that names nothing: "Invalid API identifier specified 123456789012:abcdef1234" (the account, a colon,
 * the id). The same wording for routes, integrations, stages, deployments and authorizers follows moto's copy of
 * AWS's messages.
 */
export function invalidIdentifier(
  resource: "API" | "Route" | "Integration" | "Stage" | "Deployment" | "Authorizer",
  id: string,
): AwsApiError {
  return notFoundException(`Invalid ${resource} identifier specified ${AWS_ACCOUNT_ID}:${id}`);
}

export function conflictException(message: string): AwsApiError {
  return apiGatewayError("ConflictException", 409, message);
}

export function badRequestException(message: string): AwsApiError {
  return apiGatewayError("BadRequestException", 400, message);
}

export function apiGatewayTooManyRequests(message = "Too Many Requests"): AwsApiError {
  return apiGatewayError("TooManyRequestsException", 429, message);
}

// ---- Validation messages ------------------------------------------------------------------------------------

/** `1 validation error detected: A` / `2 validation errors detected: A; B`, as AWS joins them. */
export function validationMessage(problems: readonly string[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? "" : "s"} detected: ${problems.join("; ")}`;
}

/** `Value '900' at 'timeout' failed to satisfy constraint: CONSTRAINT` (`Value null at ...` for a missing member). */
export function constraintProblem(value: unknown, member: string, constraint: string): string {
  const shown = value === undefined || value === null ? "null" : `'${showValue(value)}'`;
  return `Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`;
}

/** Values as AWS's Java services print them: lists as `[a, b]`, maps as `{k=v}`. */
function showValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(showValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${showValue(item)}`)
      .join(", ")}}`;
  }
  return String(value);
}
