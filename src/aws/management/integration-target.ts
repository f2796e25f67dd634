/**
 * The Lambda function an HTTP API integration invokes, from its `integrationUri` (or quick create's `Target`):
 * a function ARN, a partial ARN or a name, or API Gateway's invocation URI
 * `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`.
 */
import { LATEST, splitFunctionName } from "./lambda-names.js";

const INVOCATION_URI =
  /^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;

/** The function's name, or undefined when `uri` names none Portico can invoke (aliases and versions included). */
export function functionNameOfTarget(uri: string): string | undefined {
  const functionRef = INVOCATION_URI.exec(uri)?.[1] ?? uri;
  const parsed = splitFunctionName(functionRef);
  if (parsed === undefined) return undefined;
  if (parsed.qualifier !== undefined && parsed.qualifier !== LATEST) return undefined;
  return parsed.name;
}

/**
 * The function an authorizer's `authorizerUri` names: only API Gateway's invocation URI form is one, as AWS
 * requires of REQUEST authorizers.
 */
export function functionNameOfInvocationUri(uri: string): string | undefined {
  return INVOCATION_URI.test(uri) ? functionNameOfTarget(uri) : undefined;
}

/** API Gateway's invocation URI of a function, as AWS shows an authorizer's `authorizerUri`. */
export function invocationUriOf(functionArn: string, region: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}
