/**
 * Deployments: what a deployment freezes (routes, integrations, authorizers, CORS), the stages it is deployed to, and the
 * automatic deployments of stages with `autoDeploy`, made after every change as AWS makes them.
 */

import { freshId, type NewId } from "./apigatewayv2-ids.js";
import { stageOf } from "./apigatewayv2-lookups.js";
import {
  type ApiDraft,
  createDeploymentShape,
  type DeploymentSnapshot,
  type DraftDeployment,
  type DraftStage,
} from "./apigatewayv2-shapes.js";
import { badRequestException } from "./aws-errors.js";
import { readShape } from "./json-body.js";
import { optionalMember } from "./optional-member.js";

/** The description AWS gives the deployments it makes for auto-deploying stages (AWS CLI get-deployment example). */
export const AUTO_DEPLOYMENT_DESCRIPTION =
  "Automatic deployment triggered by changes to the Api configuration";

/** CreateDeployment: freezes the routes, integrations, authorizers and CORS as they are, for `stageName` if given. */
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
    { autoDeployed: false, ...optionalMember("description", request.description) },
    request.stageName === undefined ? [] : [request.stageName],
  );
}

/** After a change: a new deployment for the auto-deploying stages, if any. */
export function autoDeploy(draft: ApiDraft, ids: NewId, now: Date): ApiDraft {
  const stages = draft.stages.filter((stage) => stage.autoDeploy).map((stage) => stage.stageName);
  if (stages.length === 0) return draft;
  return deploy(draft, ids, now, { autoDeployed: true, description: AUTO_DEPLOYMENT_DESCRIPTION }, stages)
    .draft;
}

export function deploy(
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
    ...(draft.authorizers === undefined || draft.authorizers.length === 0
      ? {}
      : { authorizers: draft.authorizers }),
    ...optionalMember("corsConfiguration", draft.corsConfiguration),
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
