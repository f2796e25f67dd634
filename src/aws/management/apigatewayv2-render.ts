/**
 * The v2 API's answers: Api, Route, Integration, Authorizer, Stage and Deployment as the REST model's JSON names them
 * (`apiId`, `routeKey`...), and the `{items, nextToken}` page of the Get* listings. Field values follow the AWS
 * CLI's examples for HTTP APIs.
 */

import { HTTP_ROUTE_SELECTION_EXPRESSION } from "./apigatewayv2-checks.js";
import type {
  ApiDraft,
  CorsConfiguration,
  DraftAuthorizer,
  DraftDeployment,
  DraftIntegration,
  DraftRoute,
  DraftStage,
} from "./apigatewayv2-shapes.js";
import type { JsonObject } from "./lambda-configuration.js";

/** The model's date-time format: ISO 8601 in UTC, whole seconds (`2020-04-08T19:05:45Z`). */
export function formatApiGatewayTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `apiEndpoint` is where the API is reached, e.g. `http://NAME.localhost:3000`. */
export function renderApi(draft: ApiDraft, apiEndpoint: string): JsonObject {
  return {
    apiEndpoint,
    apiId: draft.apiId,
    // HTTP APIs have no API keys; AWS still returns the default expression (AWS CLI create-api example).
    apiKeySelectionExpression: "$request.header.x-api-key",
    ...(draft.corsConfiguration === undefined
      ? {}
      : { corsConfiguration: renderCors(draft.corsConfiguration) }),
    createdDate: formatApiGatewayTime(draft.createdDate),
    ...(draft.description === undefined ? {} : { description: draft.description }),
    disableExecuteApiEndpoint: draft.disableExecuteApiEndpoint,
    name: draft.name,
    protocolType: draft.protocolType,
    routeSelectionExpression: HTTP_ROUTE_SELECTION_EXPRESSION,
    tags: { ...draft.tags },
    ...(draft.version === undefined ? {} : { version: draft.version }),
  };
}

function renderCors(cors: CorsConfiguration): JsonObject {
  return { ...cors };
}

export function renderRoute(route: DraftRoute): JsonObject {
  return {
    ...(route.apiGatewayManaged === true ? { apiGatewayManaged: true } : {}),
    apiKeyRequired: false,
    ...(route.authorizationScopes === undefined
      ? {}
      : { authorizationScopes: [...route.authorizationScopes] }),
    authorizationType: route.authorizationType ?? "NONE",
    ...(route.authorizerId === undefined ? {} : { authorizerId: route.authorizerId }),
    ...(route.operationName === undefined ? {} : { operationName: route.operationName }),
    routeId: route.routeId,
    routeKey: route.routeKey,
    ...(route.target === undefined ? {} : { target: route.target }),
  };
}

/** As the AWS CLI's create-authorizer examples show them: JWT with `jwtConfiguration`, REQUEST with the Lambda settings. */
export function renderAuthorizer(authorizer: DraftAuthorizer): JsonObject {
  const { jwtConfiguration, identitySource, ...rest } = authorizer;
  return {
    ...rest,
    identitySource: [...identitySource],
    ...(jwtConfiguration === undefined
      ? {}
      : { jwtConfiguration: { audience: [...jwtConfiguration.audience], issuer: jwtConfiguration.issuer } }),
  };
}

export function renderIntegration(integration: DraftIntegration): JsonObject {
  return {
    ...(integration.apiGatewayManaged === true ? { apiGatewayManaged: true } : {}),
    connectionType: "INTERNET",
    ...(integration.credentialsArn === undefined ? {} : { credentialsArn: integration.credentialsArn }),
    ...(integration.description === undefined ? {} : { description: integration.description }),
    integrationId: integration.integrationId,
    integrationMethod: "POST",
    integrationType: integration.integrationType,
    integrationUri: integration.integrationUri,
    payloadFormatVersion: integration.payloadFormatVersion,
    timeoutInMillis: integration.timeoutInMillis,
  };
}

export function renderStage(stage: DraftStage): JsonObject {
  return {
    ...(stage.accessLogSettings === undefined ? {} : { accessLogSettings: { ...stage.accessLogSettings } }),
    ...(stage.apiGatewayManaged === true ? { apiGatewayManaged: true } : {}),
    autoDeploy: stage.autoDeploy,
    createdDate: formatApiGatewayTime(stage.createdDate),
    defaultRouteSettings: { detailedMetricsEnabled: false, ...stage.defaultRouteSettings },
    ...(stage.deploymentId === undefined ? {} : { deploymentId: stage.deploymentId }),
    ...(stage.description === undefined ? {} : { description: stage.description }),
    ...(stage.autoDeploy && stage.deploymentId !== undefined
      ? {
          lastDeploymentStatusMessage: `Successfully deployed stage with deployment ID '${stage.deploymentId}'`,
        }
      : {}),
    lastUpdatedDate: formatApiGatewayTime(stage.lastUpdatedDate),
    routeSettings: { ...stage.routeSettings },
    stageName: stage.stageName,
    stageVariables: { ...stage.stageVariables },
    tags: { ...stage.tags },
  };
}

export function renderDeployment(deployment: DraftDeployment): JsonObject {
  return {
    autoDeployed: deployment.autoDeployed,
    createdDate: formatApiGatewayTime(deployment.createdDate),
    deploymentId: deployment.deploymentId,
    // Portico switches deployments in one step: there is no PENDING.
    deploymentStatus: "DEPLOYED",
    ...(deployment.description === undefined ? {} : { description: deployment.description }),
  };
}

/** A Get* listing: `items`, and `nextToken` only when more follow. */
export function renderItems(items: readonly JsonObject[], nextToken?: string): JsonObject {
  return { items: [...items], ...(nextToken === undefined ? {} : { nextToken }) };
}
