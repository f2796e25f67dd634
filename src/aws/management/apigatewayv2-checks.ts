/**
 * The v2 API's rules for what a request may put in a draft (CORS, route keys, targets, stages), each broken rule
 * a BadRequestException. Where AWS's wording is known it is used; the rest say what Portico needs instead.
 */
import { apiNameProblem, stageNameProblem } from "../../config/field-schemas.js";
import { type ParsedRouteKey, parseRouteKey, RouteKeySet } from "../../config/route-key.js";
import { accessLogFormatProblem } from "../../observability/access/index.js";
import type { CorsConfiguration, DraftAccessLogSettings, DraftRoute } from "./apigatewayv2-shapes.js";
import { badRequestException, conflictException } from "./aws-errors.js";
import { functionNameOfTarget } from "./integration-target.js";

/** HTTP APIs route on method and path; AWS returns the expression in this spelling (AWS CLI create-api example). */
export const HTTP_ROUTE_SELECTION_EXPRESSION = "$request.method $request.path";
/** The API reference spells it with braces; both spellings are accepted. */
const ROUTE_SELECTION_SPELLINGS = [
  HTTP_ROUTE_SELECTION_EXPRESSION,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's literal expression, not a template
  "${request.method} ${request.path}",
];

export function checkApiName(name: string | undefined): string {
  if (name === undefined || name === "") throw badRequestException("Name is required.");
  const problem = apiNameProblem(name);
  if (problem !== undefined) throw badRequestException(`Name ${JSON.stringify(name)} ${problem}.`);
  return name;
}

export function checkRouteSelectionExpression(expression: string | undefined): void {
  if (expression !== undefined && !ROUTE_SELECTION_SPELLINGS.includes(expression)) {
    throw badRequestException(
      `Unsupported route selection expression for an HTTP API: ${expression}. HTTP APIs use ${HTTP_ROUTE_SELECTION_EXPRESSION}.`,
    );
  }
}

export function checkCors(cors: CorsConfiguration | undefined): void {
  if (cors === undefined) return;
  // API Gateway's own message for this combination (aws.md §5).
  if (cors.allowCredentials === true && (cors.allowOrigins ?? []).includes("*")) {
    throw badRequestException("allow-credentials is not supported if 'allow-origin' is *");
  }
  if (cors.maxAge !== undefined && (cors.maxAge < -1 || cors.maxAge > 86400)) {
    throw badRequestException(`maxAge must be between -1 and 86400 seconds, got ${cors.maxAge}.`);
  }
}

/** A route key in its canonical form (`GET /items/{id}`, `$default`). */
export function checkRouteKey(routeKey: string | undefined): ParsedRouteKey {
  if (routeKey === undefined) throw badRequestException("RouteKey is required.");
  const parsed = parseRouteKey(routeKey);
  if (!parsed.ok) throw badRequestException(`The route key ${JSON.stringify(routeKey)} ${parsed.reason}.`);
  return parsed.value;
}

/** Two routes may not share a key, nor have keys no request could tell apart. */
export function checkRouteKeyIsFree(routes: readonly DraftRoute[], route: ParsedRouteKey): void {
  const keys = new RouteKeySet();
  for (const existing of routes) {
    const parsed = parseRouteKey(existing.routeKey);
    if (parsed.ok) keys.add(parsed.value);
  }
  const problem = keys.add(route);
  if (problem !== undefined)
    throw conflictException(`Unable to create route ${route.routeKey}: it ${problem}.`);
}

/** A quick-create target or an integration URI: a Lambda function Portico can invoke. */
export function checkLambdaTarget(target: string, member: string): string {
  if (/^https?:\/\//i.test(target)) {
    throw badRequestException(
      `Portico integrates HTTP APIs with Lambda functions only: the HTTP endpoint ${target} in ${member} is not supported.`,
    );
  }
  if (functionNameOfTarget(target) === undefined) {
    throw badRequestException(
      `${member} must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME) or name, got ${target}.`,
    );
  }
  return target;
}

export function checkStageName(name: string | undefined): string {
  if (name === undefined || name === "") throw badRequestException("StageName is required.");
  const problem = stageNameProblem(name);
  if (problem !== undefined) throw badRequestException(`Stage name ${JSON.stringify(name)} ${problem}.`);
  return name;
}

/** Stage variables: names of up to 64 letters, digits and _, at most 100 of them (aws.md §1.4). */
export function checkStageVariables(variables: Readonly<Record<string, string>>): void {
  const names = Object.keys(variables);
  if (names.length > 100)
    throw badRequestException(`A stage allows 100 stage variables, got ${names.length}.`);
  const bad = names.find((name) => !/^[A-Za-z0-9_]{1,64}$/.test(name));
  if (bad !== undefined) {
    throw badRequestException(
      `Stage variable name ${JSON.stringify(bad)} is invalid: use up to 64 letters, digits and _.`,
    );
  }
}

/** A stage's access-log format: checked as the gateway will render it (its `$context` variables known). */
export function checkAccessLogSettings(settings: DraftAccessLogSettings | undefined): void {
  if (settings?.format === undefined) return;
  const problem = accessLogFormatProblem(settings.format);
  if (problem !== undefined) throw badRequestException(`Invalid access log format: ${problem}`);
}
