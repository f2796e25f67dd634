/**
 * The v2 API's authorizers of an HTTP API: JWT authorizers and REQUEST (Lambda) authorizers, as pure operations
 * on a draft, and the rules that tie a route's `authorizationType` to one of them. Like every change, they reach
 * the gateway through a deployment.
 */
import { autoDeploy } from "./apigatewayv2-deployments.js";
import { freshId, type NewId } from "./apigatewayv2-ids.js";
import { authorizerOf } from "./apigatewayv2-lookups.js";
import {
  type ApiDraft,
  type AuthorizationType,
  type CreateAuthorizerRequest,
  createAuthorizerShape,
  type DraftAuthorizer,
  type DraftRoute,
  updateAuthorizerShape,
} from "./apigatewayv2-shapes.js";
import { badRequestException, conflictException } from "./aws-errors.js";
import { functionNameOfInvocationUri } from "./integration-target.js";
import { readShape } from "./json-body.js";
import { optionalMember } from "./optional-member.js";

/** API Gateway's quotas: authorizers per API, audiences per JWT authorizer, scopes per route (aws.md §6.2). */
const MAX_AUTHORIZERS = 10;
const MAX_AUDIENCES = 50;
const MAX_SCOPES = 10;
const MAX_TTL_SECONDS = 3600;

/**
 * The name the gateway gives the authorizer of `AWS_IAM` routes, which Portico cannot run: reserved so no
 * authorizer of the API takes it.
 */
export const IAM_AUTHORIZER_NAME = "AWS_IAM";

/** HTTP APIs' identity sources: `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`. */
const IDENTITY_SOURCE = /^\$(request\.(header|querystring)|context|stageVariables)\.[^\s.][^\s]*$/;

const AUTHORIZATION_TYPES: readonly AuthorizationType[] = ["NONE", "JWT", "CUSTOM", "AWS_IAM"];

export function createAuthorizer(
  draft: ApiDraft,
  body: unknown,
  ids: NewId,
  now: Date,
): { readonly draft: ApiDraft; readonly authorizer: DraftAuthorizer } {
  const request = readShape(createAuthorizerShape, body, "apigatewayv2");
  const existing = draft.authorizers ?? [];
  if (existing.length >= MAX_AUTHORIZERS) {
    throw badRequestException(
      `Maximum number of Authorizers for this API has been reached: an HTTP API has at most ${MAX_AUTHORIZERS}.`,
    );
  }
  const authorizerId = freshId(
    ids,
    "authorizer",
    existing.map((item) => item.authorizerId),
  );
  const authorizer = authorizerFrom(request, authorizerId);
  checkNameIsFree(existing, authorizer);
  return {
    draft: autoDeploy({ ...draft, authorizers: [...existing, authorizer] }, ids, now),
    authorizer,
  };
}

/**
 * UpdateAuthorizer: members given replace the authorizer's (`jwtConfiguration` member by member). A new
 * `authorizerType` starts from the name and identity sources alone, and is refused while routes use the
 * authorizer, since their authorization type would no longer match it.
 */
export function updateAuthorizer(
  draft: ApiDraft,
  authorizerId: string,
  body: unknown,
  ids: NewId,
  now: Date,
): { readonly draft: ApiDraft; readonly authorizer: DraftAuthorizer } {
  const request = readShape(updateAuthorizerShape, body, "apigatewayv2");
  const current = authorizerOf(draft, authorizerId);
  const typeChanges =
    request.authorizerType !== undefined && request.authorizerType !== current.authorizerType;
  if (typeChanges) {
    const user = routesUsing(draft, authorizerId)[0];
    if (user !== undefined) {
      throw conflictException(
        `Cannot change the type of authorizer '${current.name}', is referenced in route: ${user.routeKey}`,
      );
    }
  }
  const base: CreateAuthorizerRequest = typeChanges
    ? { name: current.name, identitySource: [...current.identitySource] }
    : settingsOf(current);
  const merged: CreateAuthorizerRequest = {
    ...base,
    ...definedMembers(request),
    ...(request.jwtConfiguration === undefined
      ? {}
      : { jwtConfiguration: { ...base.jwtConfiguration, ...definedMembers(request.jwtConfiguration) } }),
  };
  const authorizer = authorizerFrom(merged, authorizerId);
  const others = (draft.authorizers ?? []).filter((item) => item.authorizerId !== authorizerId);
  checkNameIsFree(others, authorizer);
  const authorizers = (draft.authorizers ?? []).map((item) =>
    item.authorizerId === authorizerId ? authorizer : item,
  );
  return { draft: autoDeploy({ ...draft, authorizers }, ids, now), authorizer };
}

/** DeleteAuthorizer: refused, in AWS's words, while a route uses it. */
export function deleteAuthorizer(draft: ApiDraft, authorizerId: string, ids: NewId, now: Date): ApiDraft {
  const authorizer = authorizerOf(draft, authorizerId);
  const user = routesUsing(draft, authorizerId)[0];
  if (user !== undefined) {
    throw conflictException(
      `Cannot delete authorizer '${authorizer.name}', is referenced in route: ${user.routeKey}`,
    );
  }
  const authorizers = (draft.authorizers ?? []).filter((item) => item.authorizerId !== authorizerId);
  return autoDeploy({ ...draft, authorizers }, ids, now);
}

/** What a CreateRoute or UpdateRoute request says about authorization. */
export interface RouteAuthorizationRequest {
  readonly authorizationType?: string;
  readonly authorizerId?: string;
  readonly authorizationScopes?: readonly string[];
}

type RouteAuthorization = Pick<DraftRoute, "authorizationType" | "authorizerId" | "authorizationScopes">;

/**
 * A route's authorization after a CreateRoute (no `current`) or UpdateRoute: `JWT` needs a JWT authorizer,
 * `CUSTOM` a REQUEST one, scopes only go with `JWT`. Members left out keep the route's, unless the type changes.
 */
export function routeAuthorization(
  draft: ApiDraft,
  request: RouteAuthorizationRequest,
  current?: DraftRoute,
): RouteAuthorization {
  if (
    current !== undefined &&
    request.authorizerId !== undefined &&
    request.authorizationType === undefined
  ) {
    // AWS's answer to an update that names an authorizer without the type (terraform-provider-aws#35821).
    throw badRequestException("Unable to update route. Authorizer type is invalid or null.");
  }
  const currentType = current?.authorizationType ?? "NONE";
  const type = checkAuthorizationType(request.authorizationType ?? currentType);
  const sameType = type === currentType;
  const authorizerId = request.authorizerId ?? (sameType ? current?.authorizerId : undefined);
  const scopes = request.authorizationScopes ?? (sameType ? current?.authorizationScopes : undefined) ?? [];

  if (type === "JWT" || type === "CUSTOM") {
    const wanted = type === "JWT" ? "JWT" : "REQUEST";
    const authorizer = (draft.authorizers ?? []).find((item) => item.authorizerId === authorizerId);
    if (authorizer?.authorizerType !== wanted) {
      // AWS's messages (terraform-provider-aws#17497, sst#4097).
      throw badRequestException(
        type === "JWT"
          ? "Invalid authorizer ID specified. Setting the authorization type to JWT requires a valid JWT authorizer."
          : "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.",
      );
    }
  } else if (request.authorizerId !== undefined && request.authorizerId !== "") {
    throw badRequestException(
      `AuthorizerId ${request.authorizerId} cannot be used with authorization type ${type}: only JWT and CUSTOM routes name an authorizer.`,
    );
  }
  if (scopes.length > 0 && type !== "JWT") {
    // AWS's message (aws-cdk#27576).
    throw badRequestException(
      "Invalid Route authorization type specified. Authorization Scopes are only valid for COGNITO_USER_POOLS and JWT authorization types",
    );
  }
  if (scopes.length > MAX_SCOPES) {
    throw badRequestException(`A route allows ${MAX_SCOPES} authorization scopes, got ${scopes.length}.`);
  }
  if (type === "NONE") return {};
  return {
    authorizationType: type,
    ...(type === "JWT" || type === "CUSTOM" ? optionalMember("authorizerId", authorizerId) : {}),
    ...(scopes.length === 0 ? {} : { authorizationScopes: [...scopes] }),
  };
}

function checkAuthorizationType(type: string): AuthorizationType {
  if ((AUTHORIZATION_TYPES as readonly string[]).includes(type)) return type as AuthorizationType;
  if (type === "COGNITO_USER_POOLS") {
    throw badRequestException(
      "AuthorizationType COGNITO_USER_POOLS is for REST and WebSocket APIs: on an HTTP API, use a JWT authorizer whose issuer is the user pool.",
    );
  }
  throw badRequestException(
    `Invalid authorization type specified: ${type}. HTTP API routes take NONE, JWT, CUSTOM or AWS_IAM.`,
  );
}

function routesUsing(draft: ApiDraft, authorizerId: string): DraftRoute[] {
  return draft.routes.filter((route) => route.authorizerId === authorizerId);
}

/** Portico names an API's authorizers in what the gateway serves, so a name is one authorizer's. */
function checkNameIsFree(others: readonly DraftAuthorizer[], authorizer: DraftAuthorizer): void {
  if (others.some((item) => item.name === authorizer.name)) {
    throw conflictException(
      `An authorizer named ${authorizer.name} already exists in this API: Portico needs each authorizer of an API to have a name of its own.`,
    );
  }
}

/** The validated authorizer a request (or an update merged onto one) describes. */
function authorizerFrom(request: CreateAuthorizerRequest, authorizerId: string): DraftAuthorizer {
  const name = request.name;
  if (name === undefined || name === "") throw badRequestException("Name is required.");
  if (name.length > 128)
    throw badRequestException(`Name must be at most 128 characters, got ${name.length}.`);
  if (name === IAM_AUTHORIZER_NAME) {
    throw badRequestException(
      `The authorizer name ${IAM_AUTHORIZER_NAME} is reserved: Portico gives it to AWS_IAM routes. Choose another name.`,
    );
  }
  if (request.identityValidationExpression !== undefined) {
    throw badRequestException(
      "IdentityValidationExpression is not supported for HTTP APIs (it is a REST and WebSocket API setting).",
    );
  }
  switch (request.authorizerType) {
    case "JWT":
      return jwtAuthorizer(request, authorizerId, name);
    case "REQUEST":
      return requestAuthorizer(request, authorizerId, name);
    case undefined:
      throw badRequestException("AuthorizerType is required.");
    default:
      throw badRequestException(
        `Invalid authorizer type specified: ${request.authorizerType}. HTTP APIs take JWT or REQUEST.`,
      );
  }
}

function jwtAuthorizer(
  request: CreateAuthorizerRequest,
  authorizerId: string,
  name: string,
): DraftAuthorizer {
  const lambdaOnly = (
    [
      "authorizerUri",
      "authorizerPayloadFormatVersion",
      "enableSimpleResponses",
      "authorizerResultTtlInSeconds",
      "authorizerCredentialsArn",
    ] as const
  ).filter((member) => request[member] !== undefined);
  if (lambdaOnly.length > 0) {
    throw badRequestException(
      `${lambdaOnly.map(upperFirst).join(", ")} ${lambdaOnly.length === 1 ? "is" : "are"} only valid for REQUEST authorizers.`,
    );
  }
  const issuer = request.jwtConfiguration?.issuer;
  if (issuer === undefined || issuer === "") {
    throw badRequestException("JwtConfiguration.Issuer is required for JWT authorizers.");
  }
  const audience = request.jwtConfiguration?.audience ?? [];
  if (audience.length > MAX_AUDIENCES) {
    throw badRequestException(`A JWT authorizer allows ${MAX_AUDIENCES} audiences, got ${audience.length}.`);
  }
  const identitySource = request.identitySource ?? [];
  if (identitySource.length !== 1) {
    throw badRequestException(
      `A JWT authorizer takes exactly one IdentitySource (such as $request.header.Authorization), got ${identitySource.length}.`,
    );
  }
  checkIdentitySources(identitySource);
  return {
    authorizerId,
    name,
    authorizerType: "JWT",
    identitySource: [...identitySource],
    jwtConfiguration: { audience: [...audience], issuer },
  };
}

function requestAuthorizer(
  request: CreateAuthorizerRequest,
  authorizerId: string,
  name: string,
): DraftAuthorizer {
  if (request.jwtConfiguration !== undefined) {
    throw badRequestException("JwtConfiguration is only valid for JWT authorizers.");
  }
  const uri = request.authorizerUri;
  if (uri === undefined || uri === "")
    throw badRequestException("AuthorizerUri is required for REQUEST authorizers.");
  if (functionNameOfInvocationUri(uri) === undefined) {
    throw badRequestException(
      `Invalid authorizer URI ${uri}: use arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations, naming a function (or its $LATEST).`,
    );
  }
  const format = request.authorizerPayloadFormatVersion;
  // AWS's message for a REQUEST authorizer without it (terraform-provider-aws#15181).
  if (format === undefined) {
    throw badRequestException(
      "AuthorizerPayloadFormatVersion is a required parameter for REQUEST authorizer",
    );
  }
  if (format !== "1.0" && format !== "2.0") {
    throw badRequestException(`Invalid AuthorizerPayloadFormatVersion specified: ${format}. Use 1.0 or 2.0.`);
  }
  if (request.enableSimpleResponses === true && format !== "2.0") {
    throw badRequestException(
      "EnableSimpleResponses is only supported with AuthorizerPayloadFormatVersion 2.0.",
    );
  }
  const ttl = request.authorizerResultTtlInSeconds ?? 0;
  if (ttl < 0 || ttl > MAX_TTL_SECONDS) {
    throw badRequestException(
      `AuthorizerResultTtlInSeconds must be between 0 and ${MAX_TTL_SECONDS} seconds, got ${ttl}.`,
    );
  }
  const identitySource = request.identitySource ?? [];
  if (ttl > 0 && identitySource.length === 0) {
    throw badRequestException(
      "IdentitySource is required when authorizer caching is enabled (AuthorizerResultTtlInSeconds greater than 0): results are cached by it.",
    );
  }
  checkIdentitySources(identitySource);
  return {
    authorizerId,
    name,
    authorizerType: "REQUEST",
    identitySource: [...identitySource],
    authorizerUri: uri,
    authorizerPayloadFormatVersion: format,
    enableSimpleResponses: request.enableSimpleResponses ?? false,
    authorizerResultTtlInSeconds: ttl,
    ...optionalMember("authorizerCredentialsArn", request.authorizerCredentialsArn),
  };
}

function checkIdentitySources(sources: readonly string[]): void {
  const bad = sources.find((source) => !IDENTITY_SOURCE.test(source));
  if (bad !== undefined) {
    throw badRequestException(
      `Invalid identity source ${bad}: use $request.header.NAME, $request.querystring.NAME, $context.NAME or $stageVariables.NAME.`,
    );
  }
}

/** An authorizer as the request that would make it, for updates to merge onto. */
function settingsOf(authorizer: DraftAuthorizer): CreateAuthorizerRequest {
  const { authorizerId: _id, jwtConfiguration, ...settings } = authorizer;
  return {
    ...settings,
    identitySource: [...authorizer.identitySource],
    ...(jwtConfiguration === undefined
      ? {}
      : { jwtConfiguration: { audience: [...jwtConfiguration.audience], issuer: jwtConfiguration.issuer } }),
  };
}

function definedMembers<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

function upperFirst(member: string): string {
  return member.charAt(0).toUpperCase() + member.slice(1);
}
