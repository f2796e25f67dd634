import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AwsApiError,
  apiGatewayTooManyRequests,
  awsErrorAnswer,
  badRequestException,
  conflictException,
  constraintProblem,
  functionAlreadyExists,
  functionNotFound,
  invalidIdentifier,
  invalidParameterValue,
  invalidRequestContent,
  lambdaTooManyRequests,
  lambdaValidationError,
  preconditionFailed,
  requestEntityTooLargeException,
  requestTooLarge,
  serviceException,
  unsupportedMediaType,
  validationMessage,
} from "../../../src/aws/index.js";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:NAME";

test("error answers carry the type header, JSON content type and the body in the service's casing", () => {
  // Bodies as the services send them: Lambda's `Message`/`message` per its model, `Type` User or Service
  // (LocalStack's snapshots of AWS: {"Type":"User","Message":"Function not found: arn:..."}); v2's `message`.
  const cases: Array<[AwsApiError, number, string, string]> = [
    [
      functionNotFound(ARN),
      404,
      "ResourceNotFoundException",
      `{"Type":"User","Message":"Function not found: ${ARN}"}`,
    ],
    [
      functionAlreadyExists("NAME"),
      409,
      "ResourceConflictException",
      '{"Type":"User","message":"Function already exist: NAME"}',
    ],
    [invalidParameterValue("bad"), 400, "InvalidParameterValueException", '{"Type":"User","message":"bad"}'],
    [
      invalidRequestContent("not json"),
      400,
      "InvalidRequestContentException",
      '{"Type":"User","message":"not json"}',
    ],
    [requestTooLarge("big"), 413, "RequestTooLargeException", '{"Type":"User","message":"big"}'],
    [requestEntityTooLargeException("huge"), 413, "RequestEntityTooLargeException", '{"message":"huge"}'],
    [lambdaTooManyRequests(), 429, "TooManyRequestsException", '{"Type":"User","message":"Rate Exceeded."}'],
    [serviceException("oops"), 500, "ServiceException", '{"Type":"Service","Message":"oops"}'],
    [unsupportedMediaType("xml"), 415, "UnsupportedMediaTypeException", '{"Type":"User","message":"xml"}'],
    [
      preconditionFailed(),
      412,
      "PreconditionFailedException",
      '{"Type":"User","message":"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id"}',
    ],
    [
      lambdaValidationError(["A", "B"]),
      400,
      "ValidationException",
      '{"message":"2 validation errors detected: A; B"}',
    ],
    [
      invalidIdentifier("API", "abc"),
      404,
      "NotFoundException",
      '{"message":"Invalid API identifier specified 123456789012:abc"}',
    ],
    [conflictException("taken"), 409, "ConflictException", '{"message":"taken"}'],
    [badRequestException("no"), 400, "BadRequestException", '{"message":"no"}'],
    [apiGatewayTooManyRequests(), 429, "TooManyRequestsException", '{"message":"Too Many Requests"}'],
  ];
  for (const [error, status, type, body] of cases) {
    assert.deepEqual(
      awsErrorAnswer(error),
      { status, headers: { "x-amzn-ErrorType": type, "content-type": "application/json" }, body },
      type,
    );
  }
});

test("errors are PorticoErrors with a stable code, the message, and user errors told from Portico's", () => {
  const notFound = functionNotFound(ARN);
  assert.equal(notFound.code, "AWS_RESOURCE_NOT_FOUND");
  assert.equal(notFound.message, `Function not found: ${ARN}`);
  assert.equal(notFound.isUserError, true);
  assert.equal(notFound.service, "lambda");
  assert.equal(invalidParameterValue("x").code, "AWS_INVALID_PARAMETER_VALUE");
  assert.equal(serviceException("x").isUserError, false);
  assert.equal(badRequestException("x").service, "apigatewayv2");
});

test("throttling answers add the reason and Retry-After when given", () => {
  const answer = awsErrorAnswer(
    lambdaTooManyRequests({ reason: "ConcurrentInvocationLimitExceeded", retryAfterSeconds: 2 }),
  );
  assert.equal(answer.headers["Retry-After"], "2");
  assert.deepEqual(JSON.parse(answer.body), {
    Reason: "ConcurrentInvocationLimitExceeded",
    Type: "User",
    message: "Rate Exceeded.",
  });
});

test("validation messages count and join problems as AWS does, printing values the Java way", () => {
  assert.equal(validationMessage(["A"]), "1 validation error detected: A");
  assert.equal(validationMessage(["A", "B", "C"]), "3 validation errors detected: A; B; C");
  const cases: Array<[unknown, string]> = [
    [1200, "Value '1200' at 'timeout' failed to satisfy constraint: C"],
    [null, "Value null at 'timeout' failed to satisfy constraint: C"],
    [undefined, "Value null at 'timeout' failed to satisfy constraint: C"],
    [["a", "b"], "Value '[a, b]' at 'timeout' failed to satisfy constraint: C"],
    [{ K: "v", L: "w" }, "Value '{K=v, L=w}' at 'timeout' failed to satisfy constraint: C"],
  ];
  for (const [value, expected] of cases) assert.equal(constraintProblem(value, "timeout", "C"), expected);
});
