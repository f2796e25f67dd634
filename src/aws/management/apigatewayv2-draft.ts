/**
 * The v2 API's operations on an HTTP API, as pure functions from a draft and a request body to the next draft.
 * Changes reach the gateway only through deployments: CreateDeployment, or automatically on every change when a
 * stage has `autoDeploy`.
 */
import { DEFAULTS } from "../../config/defaults.js";
import {
  checkApiName,
  checkCors,
  checkLambdaTarget,
  checkRouteKey,
  checkRouteKeyIsFree,
  checkRouteSelectionExpression,
  checkStageName,
  checkStageVariables,
} from "./apigatewayv2-checks.js";
import { freshId, type NewId } from "./apigatewayv2-ids.js";
import {
  type ApiDraft,
  createApiShape,
  createDeploymentShape,
  createIntegrationShape,
  createRouteShape,
  createStageShape,
  type DeploymentSnapshot,
  type DraftDeployment,
  type DraftIntegration,
  type DraftRoute,
  type DraftStage,
  updateApiShape,
} from "./apigatewayv2-shapes.js";
import { badRequestException, conflictException, invalidIdentifier } from "./aws-errors.js";
import { readShape } from "./json-body.js";

/** The description AWS gives the deployments it makes for auto-deploying stages (AWS CLI get-deployment example). */
export const AUTO_DEPLOYMENT_DESCRIPTION =
  "Automatic deployment triggered by changes to the Api configuration";

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
    ...optional("description", request.description),
    ...optional("version", request.version),
    ...optional("corsConfiguration", request.corsConfiguration),
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
    ...optional("credentialsArn", request.credentialsArn),
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
    ...optional("name", request.name),
    ...optional("description", request.description),
    ...optional("version", request.version),
    ...optional("corsConfiguration", request.corsConfiguration),
    ...optional("disableExecuteApiEndpoint", request.disableExecuteApiEndpoint),
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

export function createRoute(
  draft: ApiDraft,
  body: unknown,
  ids: NewId,
  now: Date,
): { readonly draft: ApiDraft; readonly route: DraftRoute } {
  const request = readShape(createRouteShape, body, "apigatewayv2");
  const routeKey = checkRouteKey(request.routeKey);
  if (request.authorizationType !== undefined && request.authorizationType !== "NONE") {
    throw badRequestException(
      `Portico does not support authorizers yet: authorizationType ${request.authorizationType} is not supported (use NONE).`,
    );
  }
  // API keys are a REST and WebSocket API feature; HTTP APIs do not have them.
  if (request.apiKeyRequired === true) throw badRequestException("API keys are not supported for HTTP APIs.");
  if (request.target !== undefined) integrationOfTarget(draft, request.target);
  checkRouteKeyIsFree(draft.routes, routeKey);
  const route: DraftRoute = {
    routeId: freshId(
      ids,
      "route",
      draft.routes.map((item) => item.routeId),
    ),
    routeKey: routeKey.routeKey,
    ...optional("target", request.target),
    ...optional("operationName", request.operationName),
  };
  return { draft: autoDeploy({ ...draft, routes: [...draft.routes, route] }, ids, now), route };
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
    ...optional("description", request.description),
    ...optional("credentialsArn", request.credentialsArn),
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
  const time = now.toISOString();
  const stage: DraftStage = {
    stageName,
    autoDeploy: request.autoDeploy ?? false,
    ...optional("deploymentId", request.deploymentId),
    ...optional("description", request.description),
    stageVariables,
    tags: request.tags ?? {},
    createdDate: time,
    lastUpdatedDate: time,
  };
  let next: ApiDraft = { ...draft, stages: [...draft.stages, stage] };
  if (stage.autoDeploy && draft.routes.length > 0) {
    next = deploy(next, ids, now, { autoDeployed: true, description: AUTO_DEPLOYMENT_DESCRIPTION }, [
      stageName,
    ]).draft;
  }
  return { draft: next, stage: stageOf(next, stageName) };
}

/** CreateDeployment: freezes the routes, integrations and CORS as they are, for `stageName` if given. */
export function createDeployment(
  draft: ApiDraft,
  body: unknown,
  ids: NewId,
  now: Date,
): { readonly draft: ApiDraft; readonly deployment: DraftDeployment } {
  const request = readShape(createDeploymentShape, body, "apigatewayv2");
  if (request.stageName !== undefined) stageOf(draft, request.stageName);
  // AWS's refusal to deploy an API without routes.
  if (draft.routes.length === 0)
    throw badRequestException("Unable to deploy API because no routes exist in this API");
  return deploy(
    draft,
    ids,
    now,
    { autoDeployed: false, ...optional("description", request.description) },
    request.stageName === undefined ? [] : [request.stageName],
  );
}

export function routeOf(draft: ApiDraft, routeId: string): DraftRoute {
  const route = draft.routes.find((item) => item.routeId === routeId);
  if (route === undefined) throw invalidIdentifier("Route", routeId);
  return route;
}

export function integrationOf(draft: ApiDraft, integrationId: string): DraftIntegration {
  const integration = draft.integrations.find((item) => item.integrationId === integrationId);
  if (integration === undefined) throw invalidIdentifier("Integration", integrationId);
  return integration;
}

export function stageOf(draft: ApiDraft, stageName: string): DraftStage {
  const stage = draft.stages.find((item) => item.stageName === stageName);
  if (stage === undefined) throw invalidIdentifier("Stage", stageName);
  return stage;
}

export function deploymentOf(draft: ApiDraft, deploymentId: string): DraftDeployment {
  const deployment = draft.deployments.find((item) => item.deploymentId === deploymentId);
  if (deployment === undefined) throw invalidIdentifier("Deployment", deploymentId);
  return deployment;
}

/** A route's `target`: `integrations/ID` naming an integration of the API. */
function integrationOfTarget(draft: ApiDraft, target: string): DraftIntegration {
  const match = /^integrations\/([a-z0-9]+)$/.exec(target);
  if (match === null) throw badRequestException(`Invalid target ${target}: use integrations/INTEGRATION_ID.`);
  return integrationOf(draft, match[1] as string);
}

/** After a change: a new deployment for the auto-deploying stages, if any. */
function autoDeploy(draft: ApiDraft, ids: NewId, now: Date): ApiDraft {
  const stages = draft.stages.filter((stage) => stage.autoDeploy).map((stage) => stage.stageName);
  if (stages.length === 0) return draft;
  return deploy(draft, ids, now, { autoDeployed: true, description: AUTO_DEPLOYMENT_DESCRIPTION }, stages)
    .draft;
}

function deploy(
  draft: ApiDraft,
  ids: NewId,
  now: Date,
  details: { readonly autoDeployed: boolean; readonly description?: string },
  stageNames: readonly string[],
): { readonly draft: ApiDraft; readonly deployment: DraftDeployment } {
  const time = now.toISOString();
  const deployment: DraftDeployment = {
    deploymentId: freshId(
      ids,
      "deployment",
      draft.deployments.map((item) => item.deploymentId),
    ),
    createdDate: time,
    ...details,
    snapshot: snapshotOf(draft),
  };
  const stages = draft.stages.map((stage) =>
    stageNames.includes(stage.stageName)
      ? { ...stage, deploymentId: deployment.deploymentId, lastUpdatedDate: time }
      : stage,
  );
  const deployments = withoutStaleSnapshots([...draft.deployments, deployment], stages);
  return { draft: { ...draft, stages, deployments }, deployment };
}

function snapshotOf(draft: ApiDraft): DeploymentSnapshot {
  return {
    routes: draft.routes,
    integrations: draft.integrations,
    ...optional("corsConfiguration", draft.corsConfiguration),
  };
}

/** Snapshots are kept only where they can still be served, so a long-edited API's draft stays small. */
function withoutStaleSnapshots(
  deployments: readonly DraftDeployment[],
  stages: readonly DraftStage[],
): DraftDeployment[] {
  const served = new Set(stages.map((stage) => stage.deploymentId));
  const newest = deployments.length - 1;
  return deployments.map((deployment, index) => {
    if (deployment.snapshot === undefined || index === newest || served.has(deployment.deploymentId))
      return deployment;
    const { snapshot: _dropped, ...rest } = deployment;
    return rest;
  });
}

/** `{ key: value }` when value is given, `{}` otherwise: drafts hold no `undefined`s, so they round-trip JSON. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
