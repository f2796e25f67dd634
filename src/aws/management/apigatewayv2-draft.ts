/**
 * The v2 API's operations on an HTTP API, as pure functions from a draft and a request body to the next draft.
 * Changes reach the gateway only through deployments: CreateDeployment, or automatically on every change when a
 * stage has `autoDeploy`.
 */
import { DEFAULTS } from "../../config/defaults.js";
import { routeAuthorization } from "./apigatewayv2-authorizers.js";
import {
  checkAccessLogSettings,
  checkApiName,
  checkCors,
  checkLambdaTarget,
  checkRouteKey,
  checkRouteKeyIsFree,
  checkRouteSelectionExpression,
  checkStageName,
  checkStageVariables,
} from "./apigatewayv2-checks.js";
import { AUTO_DEPLOYMENT_DESCRIPTION, autoDeploy, deploy } from "./apigatewayv2-deployments.js";
import { freshId, type NewId } from "./apigatewayv2-ids.js";
import { deploymentOf, integrationOfTarget, routeOf, stageOf } from "./apigatewayv2-lookups.js";
import {
  type ApiDraft,
  createApiShape,
  createIntegrationShape,
  createRouteShape,
  createStageShape,
  type DraftIntegration,
  type DraftRoute,
  type DraftStage,
  updateApiShape,
  updateRouteShape,
} from "./apigatewayv2-shapes.js";
import { badRequestException, conflictException } from "./aws-errors.js";
import { readShape } from "./json-body.js";
import { optionalMember } from "./optional-member.js";

/**
 * CreateApi. With `target` (quick create) it also makes what AWS makes: an AWS_PROXY integration with payload
 * 2.0, a route (`routeKey`, else `$default`) to it, and a `$default` stage that deploys automatically, deployed.
 */
export function createApi(body: unknown, ids: NewId, now: Date): ApiDraft {
  const request = readShape(createApiShape, body, "apigatewayv2");
  const name = checkApiName(request.name);
  if (request.protocolType === undefined) throw badRequestException("ProtocolType is required.");
  if (request.protocolType === "WEBSOCKET") {
    throw badRequestException("Portico serves HTTP APIs only: protocolType WEBSOCKET is not supported.");
  }
  // moto's copy of AWS's message for an unknown protocol.
  if (request.protocolType !== "HTTP")
    throw badRequestException("Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]");
  checkRouteSelectionExpression(request.routeSelectionExpression);
  checkCors(request.corsConfiguration);
  if (request.routeKey !== undefined && request.target === undefined) {
    throw badRequestException("RouteKey is part of quick create: give it together with Target.");
  }
  const time = now.toISOString();
  const draft: ApiDraft = {
    apiId: ids("api"),
    name,
    protocolType: "HTTP",
    ...optionalMember("description", request.description),
    ...optionalMember("version", request.version),
    ...optionalMember("corsConfiguration", request.corsConfiguration),
    disableExecuteApiEndpoint: request.disableExecuteApiEndpoint ?? false,
    createdDate: time,
    tags: request.tags ?? {},
    routes: [],
    integrations: [],
    stages: [],
    deployments: [],
  };
  if (request.target === undefined) return draft;

  const target = checkLambdaTarget(request.target, "Target");
  const routeKey = checkRouteKey(request.routeKey ?? "$default").routeKey;
  const integration: DraftIntegration = {
    integrationId: freshId(ids, "integration", []),
    integrationType: "AWS_PROXY",
    integrationUri: target,
    payloadFormatVersion: "2.0",
    timeoutInMillis: DEFAULTS.api.integrationTimeoutMs,
    ...optionalMember("credentialsArn", request.credentialsArn),
    apiGatewayManaged: true,
  };
  const route: DraftRoute = {
    routeId: freshId(ids, "route", []),
    routeKey,
    target: `integrations/${integration.integrationId}`,
    apiGatewayManaged: true,
  };
  const stage: DraftStage = {
    stageName: "$default",
    autoDeploy: true,
    stageVariables: {},
    tags: {},
    createdDate: time,
    lastUpdatedDate: time,
    apiGatewayManaged: true,
  };
  return autoDeploy({ ...draft, routes: [route], integrations: [integration], stages: [stage] }, ids, now);
}

/** UpdateApi: members given replace the API's (`corsConfiguration` whole); `target`/`routeKey` edit quick create's. */
export function updateApi(draft: ApiDraft, body: unknown, ids: NewId, now: Date): ApiDraft {
  const request = readShape(updateApiShape, body, "apigatewayv2");
  if (request.name !== undefined) checkApiName(request.name);
  checkRouteSelectionExpression(request.routeSelectionExpression);
  checkCors(request.corsConfiguration);
  let next: ApiDraft = {
    ...draft,
    ...optionalMember("name", request.name),
    ...optionalMember("description", request.description),
    ...optionalMember("version", request.version),
    ...optionalMember("corsConfiguration", request.corsConfiguration),
    ...optionalMember("disableExecuteApiEndpoint", request.disableExecuteApiEndpoint),
  };
  if (request.target !== undefined) {
    const target = checkLambdaTarget(request.target, "Target");
    const managed = next.integrations.find((integration) => integration.apiGatewayManaged === true);
    if (managed === undefined)
      throw badRequestException("Target can only be updated on an API made with quick create.");
    next = {
      ...next,
      integrations: next.integrations.map((item) =>
        item === managed ? { ...item, integrationUri: target } : item,
      ),
    };
  }
  if (request.routeKey !== undefined) {
    const managed = next.routes.find((route) => route.apiGatewayManaged === true);
    if (managed === undefined)
      throw badRequestException("RouteKey can only be updated on an API made with quick create.");
    const routeKey = checkRouteKey(request.routeKey);
    checkRouteKeyIsFree(
      next.routes.filter((route) => route !== managed),
      routeKey,
    );
    next = {
      ...next,
      routes: next.routes.map((item) => (item === managed ? { ...item, routeKey: routeKey.routeKey } : item)),
    };
  }
  return autoDeploy(next, ids, now);
}

/** CreateRoute; `authorizationType` JWT or CUSTOM names an authorizer of the matching type in `authorizerId`. */
export function createRoute(
  draft: ApiDraft,
  body: unknown,
  ids: NewId,
  now: Date,
): { readonly draft: ApiDraft; readonly route: DraftRoute } {
  const request = readShape(createRouteShape, body, "apigatewayv2");
  const routeKey = checkRouteKey(request.routeKey);
  checkNoApiKey(request.apiKeyRequired);
  if (request.target !== undefined) integrationOfTarget(draft, request.target);
  checkRouteKeyIsFree(draft.routes, routeKey);
  const route: DraftRoute = {
    routeId: freshId(
      ids,
      "route",
      draft.routes.map((item) => item.routeId),
    ),
    routeKey: routeKey.routeKey,
    ...optionalMember("target", request.target),
    ...optionalMember("operationName", request.operationName),
    ...routeAuthorization(draft, request),
  };
  return { draft: autoDeploy({ ...draft, routes: [...draft.routes, route] }, ids, now), route };
}

/**
 * UpdateRoute: members given replace the route's. Authorization follows AWS: a new `authorizerId` comes with its
 * `authorizationType`, and `authorizationType: NONE` drops the authorizer and scopes.
 */
export function updateRoute(
  draft: ApiDraft,
  routeId: string,
  body: unknown,
  ids: NewId,
  now: Date,
): { readonly draft: ApiDraft; readonly route: DraftRoute } {
  const request = readShape(updateRouteShape, body, "apigatewayv2");
  const current = routeOf(draft, routeId);
  checkNoApiKey(request.apiKeyRequired);
  let routeKey = current.routeKey;
  if (request.routeKey !== undefined) {
    const parsed = checkRouteKey(request.routeKey);
    checkRouteKeyIsFree(
      draft.routes.filter((route) => route !== current),
      parsed,
    );
    routeKey = parsed.routeKey;
  }
  if (request.target !== undefined) integrationOfTarget(draft, request.target);
  const {
    authorizationType: _type,
    authorizerId: _authorizer,
    authorizationScopes: _scopes,
    ...kept
  } = current;
  const route: DraftRoute = {
    ...kept,
    routeKey,
    ...optionalMember("target", request.target),
    ...optionalMember("operationName", request.operationName),
    ...routeAuthorization(draft, request, current),
  };
  const routes = draft.routes.map((item) => (item === current ? route : item));
  return { draft: autoDeploy({ ...draft, routes }, ids, now), route };
}

/** API keys are a REST and WebSocket API feature; HTTP APIs do not have them. */
function checkNoApiKey(apiKeyRequired: boolean | undefined): void {
  if (apiKeyRequired === true) throw badRequestException("API keys are not supported for HTTP APIs.");
}

export function deleteRoute(draft: ApiDraft, routeId: string, ids: NewId, now: Date): ApiDraft {
  routeOf(draft, routeId);
  return autoDeploy(
    { ...draft, routes: draft.routes.filter((route) => route.routeId !== routeId) },
    ids,
    now,
  );
}

export function createIntegration(
  draft: ApiDraft,
  body: unknown,
  ids: NewId,
  now: Date,
): { readonly draft: ApiDraft; readonly integration: DraftIntegration } {
  const request = readShape(createIntegrationShape, body, "apigatewayv2");
  const type = request.integrationType;
  if (type === undefined) throw badRequestException("IntegrationType is required.");
  if (["AWS", "HTTP", "MOCK"].includes(type)) {
    // AWS's answer to a non-proxy integration on an HTTP API (aws-cli issue 6363).
    throw badRequestException(
      "Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)",
    );
  }
  if (type === "HTTP_PROXY") {
    throw badRequestException(
      "Portico integrates HTTP APIs with Lambda functions only: HTTP_PROXY is not supported.",
    );
  }
  if (type !== "AWS_PROXY") throw badRequestException(`Invalid integration type specified: ${type}.`);
  if (request.integrationUri === undefined)
    throw badRequestException("IntegrationUri is required for AWS_PROXY integrations.");
  const uri = checkLambdaTarget(request.integrationUri, "IntegrationUri");
  // The docs require it for HTTP APIs ("If you create an integration for HTTP APIs programmatically, you must
  // specify a payloadFormatVersion").
  const format = request.payloadFormatVersion;
  if (format !== "1.0" && format !== "2.0") {
    throw badRequestException(
      format === undefined
        ? "PayloadFormatVersion is required for HTTP APIs: 1.0 or 2.0."
        : `Invalid payload format version specified: ${format}. Use 1.0 or 2.0.`,
    );
  }
  const timeout = request.timeoutInMillis ?? DEFAULTS.api.integrationTimeoutMs;
  if (timeout < 50 || timeout > 30_000) {
    throw badRequestException(`Timeout must be between 50 ms and 30000 ms for HTTP APIs, got ${timeout}.`);
  }
  if (request.connectionType !== undefined && request.connectionType !== "INTERNET") {
    throw badRequestException(
      `Portico does not support VPC links: connectionType ${request.connectionType} is not supported.`,
    );
  }
  const integration: DraftIntegration = {
    integrationId: freshId(
      ids,
      "integration",
      draft.integrations.map((item) => item.integrationId),
    ),
    integrationType: "AWS_PROXY",
    integrationUri: uri,
    payloadFormatVersion: format,
    timeoutInMillis: timeout,
    ...optionalMember("description", request.description),
    ...optionalMember("credentialsArn", request.credentialsArn),
  };
  return {
    draft: autoDeploy({ ...draft, integrations: [...draft.integrations, integration] }, ids, now),
    integration,
  };
}

/** CreateStage; an auto-deploying stage of an API that has routes is deployed at once. */
export function createStage(
  draft: ApiDraft,
  body: unknown,
  ids: NewId,
  now: Date,
): { readonly draft: ApiDraft; readonly stage: DraftStage } {
  const request = readShape(createStageShape, body, "apigatewayv2");
  const stageName = checkStageName(request.stageName);
  if (draft.stages.some((stage) => stage.stageName === stageName))
    throw conflictException("Stage already exists");
  if (request.deploymentId !== undefined) deploymentOf(draft, request.deploymentId);
  const stageVariables = request.stageVariables ?? {};
  checkStageVariables(stageVariables);
  checkAccessLogSettings(request.accessLogSettings);
  const time = now.toISOString();
  const stage: DraftStage = {
    stageName,
    autoDeploy: request.autoDeploy ?? false,
    ...optionalMember("deploymentId", request.deploymentId),
    ...optionalMember("description", request.description),
    stageVariables,
    tags: request.tags ?? {},
    createdDate: time,
    lastUpdatedDate: time,
    ...optionalMember("defaultRouteSettings", request.defaultRouteSettings),
    ...optionalMember("routeSettings", request.routeSettings),
    ...optionalMember("accessLogSettings", request.accessLogSettings),
  };
  let next: ApiDraft = { ...draft, stages: [...draft.stages, stage] };
  if (stage.autoDeploy && draft.routes.length > 0) {
    next = deploy(next, ids, now, { autoDeployed: true, description: AUTO_DEPLOYMENT_DESCRIPTION }, [
      stageName,
    ]).draft;
  }
  return { draft: next, stage: stageOf(next, stageName) };
}
