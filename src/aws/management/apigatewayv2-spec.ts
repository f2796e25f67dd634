/**
 * Between the v2 API's draft and what the gateway serves: `deployedSpec` turns the deployment the stages serve
 * into an ApiSpec; `draftFromSpec` shows an API a project deployed through the v2 API, as if it had been made there.
 */
import { DEFAULTS } from "../../config/defaults.js";
import { parseRouteKey } from "../../config/route-key.js";
import type { ApiSpec, CorsSpec, RouteSpec, StageSpec, ThrottleSpec } from "../../model/index.js";
import {
  authorizerSpecsOf,
  draftAuthorizersOf,
  routeAuthorizationOf,
  routeGuardOf,
} from "./apigatewayv2-authorizer-spec.js";
import type {
  ApiDraft,
  CorsConfiguration,
  DeploymentSnapshot,
  DraftDeployment,
  DraftIntegration,
  DraftRoute,
  DraftRouteSettings,
  DraftStage,
} from "./apigatewayv2-shapes.js";
import { functionNameOfTarget } from "./integration-target.js";
import { functionArn } from "./lambda-names.js";

/**
 * The ApiSpec the gateway serves for `draft`. An ApiSpec has one set of routes for all its stages, so it is the
 * newest deployment any stage serves; stages without a deployment are not served, except `$default`, which an
 * ApiSpec always has. Routes without an integration (or whose function cannot be named) are left out.
 */
export function deployedSpec(
  draft: ApiDraft,
  apiName: string = draft.name,
  apiId: string = draft.apiId,
): ApiSpec {
  const snapshot = servedDeployment(draft)?.snapshot;
  const defaultStage = draft.stages.find((stage) => stage.stageName === "$default");
  const stages: StageSpec[] = [
    {
      name: "$default",
      variables: { ...(defaultStage?.stageVariables ?? {}) },
      ...stageThrottling(defaultStage),
      ...stageAccessLog(defaultStage),
    },
    ...draft.stages
      .filter((stage) => stage.stageName !== "$default" && stage.deploymentId !== undefined)
      .map((stage) => ({
        name: stage.stageName,
        variables: { ...stage.stageVariables },
        ...stageThrottling(stage),
        ...stageAccessLog(stage),
      })),
  ];
  const authorizers = snapshot === undefined ? [] : authorizerSpecsOf(snapshot);
  return {
    name: apiName,
    kind: "http",
    apiId,
    cors: snapshot?.corsConfiguration === undefined ? null : corsSpecOf(snapshot.corsConfiguration),
    routes: snapshot === undefined ? [] : routeSpecsOf(snapshot),
    stages,
    domains: [],
    ...(authorizers.length === 0 ? {} : { authorizers }),
  };
}

/** A stage's access-log format: its own when it has one, else the default line. */
function stageAccessLog(stage: DraftStage | undefined): Pick<StageSpec, "accessLogFormat"> {
  const format = stage?.accessLogSettings?.format;
  return format === undefined ? {} : { accessLogFormat: format };
}

/**
 * A stage's throttling as the gateway applies it: a limit left out stands at the account's, as on AWS; settings
 * without either limit throttle nothing.
 */
function stageThrottling(stage: DraftStage | undefined): Pick<StageSpec, "throttling" | "routeThrottling"> {
  const throttling = stage?.defaultRouteSettings && throttleOf(stage.defaultRouteSettings);
  const routes = Object.entries(stage?.routeSettings ?? {}).flatMap(([routeKey, settings]) => {
    const limit = throttleOf(settings);
    return limit === undefined ? [] : [[routeKey, limit] as const];
  });
  return {
    ...(throttling === undefined ? {} : { throttling }),
    ...(routes.length === 0 ? {} : { routeThrottling: Object.fromEntries(routes) }),
  };
}

function throttleOf(settings: DraftRouteSettings): ThrottleSpec | undefined {
  const { throttlingRateLimit: rate, throttlingBurstLimit: burst } = settings;
  if (rate === undefined && burst === undefined) return undefined;
  const account = DEFAULTS.api.accountThrottling;
  return { rateLimit: rate ?? account.rateLimit, burstLimit: burst ?? account.burstLimit };
}

function routeSettingsOf(limit: ThrottleSpec): DraftRouteSettings {
  return { throttlingBurstLimit: limit.burstLimit, throttlingRateLimit: limit.rateLimit };
}

function servedDeployment(draft: ApiDraft): DraftDeployment | undefined {
  const served = new Set(draft.stages.map((stage) => stage.deploymentId));
  for (let i = draft.deployments.length - 1; i >= 0; i--) {
    const deployment = draft.deployments[i] as DraftDeployment;
    if (served.has(deployment.deploymentId)) return deployment;
  }
  return undefined;
}

function routeSpecsOf(snapshot: DeploymentSnapshot): RouteSpec[] {
  const integrations = new Map(
    snapshot.integrations.map((item) => [`integrations/${item.integrationId}`, item]),
  );
  const specs: RouteSpec[] = [];
  for (const route of snapshot.routes) {
    const integration = route.target === undefined ? undefined : integrations.get(route.target);
    const functionName =
      integration === undefined ? undefined : functionNameOfTarget(integration.integrationUri);
    const key = parseRouteKey(route.routeKey);
    if (integration === undefined || functionName === undefined || !key.ok) continue;
    specs.push({
      routeKey: key.value.routeKey,
      method: key.value.method,
      path: key.value.path,
      functionName,
      payloadFormat: integration.payloadFormatVersion,
      timeoutMs: integration.timeoutInMillis,
      ...routeGuardOf(route, snapshot.authorizers ?? []),
    });
  }
  return specs;
}

/** The config loader's defaults for absent CORS members (config/model-assembly.ts `corsSpec`). */
function corsSpecOf(cors: CorsConfiguration): CorsSpec {
  return {
    allowOrigins: [...(cors.allowOrigins ?? [])],
    allowMethods: (cors.allowMethods ?? []).map((method) => method.toUpperCase()),
    allowHeaders: [...(cors.allowHeaders ?? [])],
    exposeHeaders: [...(cors.exposeHeaders ?? [])],
    maxAge: cors.maxAge,
    allowCredentials: cors.allowCredentials ?? false,
  };
}

/**
 * A draft for an ApiSpec that did not come from the v2 API (a project's API): one integration per function,
 * one route per route key (with its authorizer), every stage auto-deploying and serving one deployment of all of it. Ids are derived
 * from `id` (a stable hash such as aws/stable-id's) so every listing shows the same ones.
 */
export function draftFromSpec(
  spec: ApiSpec,
  createdDate: string,
  id: (seed: string, length: number) => string,
): ApiDraft {
  const integrations = new Map<string, DraftIntegration>();
  const authorizers = draftAuthorizersOf(spec.apiId, spec.authorizers ?? [], id);
  const routes: DraftRoute[] = spec.routes.map((route) => {
    const integrationKey = `${route.functionName}:${route.payloadFormat}:${route.timeoutMs}`;
    let integration = integrations.get(integrationKey);
    if (integration === undefined) {
      integration = {
        integrationId: id(`${spec.apiId}:integration:${integrationKey}`, 7),
        integrationType: "AWS_PROXY",
        integrationUri: functionArn(route.functionName),
        payloadFormatVersion: route.payloadFormat,
        timeoutInMillis: route.timeoutMs,
      };
      integrations.set(integrationKey, integration);
    }
    return {
      routeId: id(`${spec.apiId}:route:${route.routeKey}`, 7),
      routeKey: route.routeKey,
      target: `integrations/${integration.integrationId}`,
      ...routeAuthorizationOf(route, spec.authorizers ?? [], authorizers),
    };
  });
  const deploymentId = id(`${spec.apiId}:deployment`, 6);
  const stages: DraftStage[] = spec.stages.map((stage) => ({
    stageName: stage.name,
    autoDeploy: true,
    deploymentId,
    stageVariables: { ...stage.variables },
    tags: {},
    createdDate,
    lastUpdatedDate: createdDate,
    ...(stage.throttling === undefined ? {} : { defaultRouteSettings: routeSettingsOf(stage.throttling) }),
    ...(stage.routeThrottling === undefined
      ? {}
      : {
          routeSettings: Object.fromEntries(
            Object.entries(stage.routeThrottling).map(([key, limit]) => [key, routeSettingsOf(limit)]),
          ),
        }),
    ...(typeof stage.accessLogFormat === "string"
      ? { accessLogSettings: { format: stage.accessLogFormat } }
      : {}),
  }));
  const corsConfiguration = spec.cors === null ? undefined : corsConfigurationOf(spec.cors);
  const snapshot: DeploymentSnapshot = {
    routes,
    integrations: [...integrations.values()],
    ...(authorizers.length === 0 ? {} : { authorizers }),
    ...(corsConfiguration === undefined ? {} : { corsConfiguration }),
  };
  return {
    apiId: spec.apiId,
    name: spec.name,
    protocolType: "HTTP",
    ...(corsConfiguration === undefined ? {} : { corsConfiguration }),
    disableExecuteApiEndpoint: false,
    createdDate,
    tags: {},
    routes,
    integrations: snapshot.integrations,
    ...(authorizers.length === 0 ? {} : { authorizers }),
    stages,
    deployments: [{ deploymentId, createdDate, autoDeployed: true, snapshot }],
  };
}

function corsConfigurationOf(cors: CorsSpec): CorsConfiguration {
  return {
    allowOrigins: [...cors.allowOrigins],
    allowMethods: [...cors.allowMethods],
    allowHeaders: [...cors.allowHeaders],
    exposeHeaders: [...cors.exposeHeaders],
    ...(cors.maxAge === undefined ? {} : { maxAge: cors.maxAge }),
    allowCredentials: cors.allowCredentials,
  };
}
