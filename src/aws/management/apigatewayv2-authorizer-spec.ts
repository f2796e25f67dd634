/**
 * Between the v2 API's authorizers and the gateway's: a deployment's JWT and REQUEST authorizers become the
 * ApiSpec's (named by their names), `AWS_IAM` routes name an authorizer Portico cannot run so they are never
 * served open; and back, for the v2 API's view of a project's API.
 */
import type { AuthorizerSpec, RouteSpec } from "../../model/index.js";
import { AWS_REGION } from "../../model/index.js";
import { IAM_AUTHORIZER_NAME } from "./apigatewayv2-authorizers.js";
import type { DeploymentSnapshot, DraftAuthorizer, DraftRoute } from "./apigatewayv2-shapes.js";
import { functionNameOfInvocationUri, invocationUriOf } from "./integration-target.js";
import { functionArn } from "./lambda-names.js";

const DEFAULT_JWT_IDENTITY_SOURCE = "$request.header.Authorization";

/** The authorizers a deployment's routes use, as the gateway runs them; `AWS_IAM` routes add an unserved one. */
export function authorizerSpecsOf(snapshot: DeploymentSnapshot): AuthorizerSpec[] {
  const specs: AuthorizerSpec[] = [];
  for (const authorizer of snapshot.authorizers ?? []) {
    const spec = authorizerSpecOf(authorizer);
    if (spec !== undefined) specs.push(spec);
  }
  if (snapshot.routes.some((route) => route.authorizationType === "AWS_IAM")) {
    specs.push({
      name: IAM_AUTHORIZER_NAME,
      type: "unserved",
      kind: "AWS_IAM",
      declaredAt: "API Gateway v2 API: routes with authorizationType AWS_IAM",
    });
  }
  return specs;
}

function authorizerSpecOf(authorizer: DraftAuthorizer): AuthorizerSpec | undefined {
  if (authorizer.authorizerType === "JWT") {
    return {
      name: authorizer.name,
      type: "jwt",
      identitySource: authorizer.identitySource[0] ?? DEFAULT_JWT_IDENTITY_SOURCE,
      issuer: authorizer.jwtConfiguration?.issuer ?? "",
      audience: [...(authorizer.jwtConfiguration?.audience ?? [])],
    };
  }
  const functionName = functionNameOfInvocationUri(authorizer.authorizerUri ?? "");
  // Checked when it was made; a stored one that names no function is left out, so its routes refuse everyone.
  if (functionName === undefined) return undefined;
  return {
    name: authorizer.name,
    type: "lambda",
    functionName,
    requestType: "REQUEST",
    payloadFormat: authorizer.authorizerPayloadFormatVersion ?? "2.0",
    simpleResponses: authorizer.enableSimpleResponses ?? false,
    identitySources: [...authorizer.identitySource],
    resultTtlSeconds: authorizer.authorizerResultTtlInSeconds ?? 0,
  };
}

/**
 * The members of a route's RouteSpec that guard it. A JWT or CUSTOM route whose authorizer the deployment lacks
 * still names one (its id), which the gateway does not know and so refuses everyone rather than serve it open.
 */
export function routeGuardOf(
  route: DraftRoute,
  authorizers: readonly DraftAuthorizer[],
): Pick<RouteSpec, "authorizer" | "authorizationScopes"> {
  const type = route.authorizationType ?? "NONE";
  if (type === "NONE") return {};
  if (type === "AWS_IAM") return { authorizer: IAM_AUTHORIZER_NAME };
  const authorizer = authorizers.find((item) => item.authorizerId === route.authorizerId);
  const scopes = route.authorizationScopes ?? [];
  return {
    authorizer: authorizer?.name ?? `missing authorizer ${route.authorizerId ?? ""}`,
    ...(type === "JWT" && scopes.length > 0 ? { authorizationScopes: [...scopes] } : {}),
  };
}

/**
 * The v2 API's view of a project API's authorizers: JWT ones and Lambda REQUEST ones, with ids derived from
 * their names. Those Portico cannot run have no v2 counterpart; IAM shows on the routes as `AWS_IAM`.
 */
export function draftAuthorizersOf(
  apiId: string,
  authorizers: readonly AuthorizerSpec[],
  id: (seed: string, length: number) => string,
): DraftAuthorizer[] {
  const drafts: DraftAuthorizer[] = [];
  for (const authorizer of authorizers) {
    const authorizerId = id(`${apiId}:authorizer:${authorizer.name}`, 6);
    if (authorizer.type === "jwt") {
      drafts.push({
        authorizerId,
        name: authorizer.name,
        authorizerType: "JWT",
        identitySource: [authorizer.identitySource],
        jwtConfiguration: { audience: [...authorizer.audience], issuer: authorizer.issuer },
      });
    } else if (authorizer.type === "lambda" && authorizer.requestType === "REQUEST") {
      drafts.push({
        authorizerId,
        name: authorizer.name,
        authorizerType: "REQUEST",
        identitySource: [...authorizer.identitySources],
        authorizerUri: invocationUriOf(functionArn(authorizer.functionName), AWS_REGION),
        authorizerPayloadFormatVersion: authorizer.payloadFormat,
        enableSimpleResponses: authorizer.simpleResponses,
        authorizerResultTtlInSeconds: authorizer.resultTtlSeconds,
      });
    }
  }
  return drafts;
}

/** A project route's authorization as the v2 API shows it. */
export function routeAuthorizationOf(
  route: RouteSpec,
  specs: readonly AuthorizerSpec[],
  drafts: readonly DraftAuthorizer[],
): Pick<DraftRoute, "authorizationType" | "authorizerId" | "authorizationScopes"> {
  if (route.authorizer === undefined) return {};
  const spec = specs.find((item) => item.name === route.authorizer);
  const draft = drafts.find((item) => item.name === route.authorizer);
  const scopes = route.authorizationScopes ?? [];
  if (draft !== undefined) {
    return {
      authorizationType: draft.authorizerType === "JWT" ? "JWT" : "CUSTOM",
      authorizerId: draft.authorizerId,
      ...(scopes.length > 0 ? { authorizationScopes: [...scopes] } : {}),
    };
  }
  if (spec?.type === "unserved" && spec.kind === "AWS_IAM") return { authorizationType: "AWS_IAM" };
  // Guarded by an authorizer the v2 API has no shape for (one Portico cannot run, or an unknown name).
  return { authorizationType: "CUSTOM" };
}
