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
