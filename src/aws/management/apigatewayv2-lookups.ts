/** The parts of a draft the v2 API's paths name (`/routes/{routeId}`...), each missing one a NotFoundException. */

import type {
  ApiDraft,
  DraftAuthorizer,
  DraftDeployment,
  DraftIntegration,
  DraftRoute,
  DraftStage,
} from "./apigatewayv2-shapes.js";
import { badRequestException, invalidIdentifier } from "./aws-errors.js";

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
export function integrationOfTarget(draft: ApiDraft, target: string): DraftIntegration {
  const match = /^integrations\/([a-z0-9]+)$/.exec(target);
  if (match === null) throw badRequestException(`Invalid target ${target}: use integrations/INTEGRATION_ID.`);
  return integrationOf(draft, match[1] as string);
}

export function authorizerOf(draft: ApiDraft, authorizerId: string): DraftAuthorizer {
  const authorizer = (draft.authorizers ?? []).find((item) => item.authorizerId === authorizerId);
  if (authorizer === undefined) throw invalidIdentifier("Authorizer", authorizerId);
  return authorizer;
}
