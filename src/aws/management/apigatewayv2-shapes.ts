/**
 * The API Gateway v2 API's model of an HTTP API before and after deployment (ApiDraft, kept in an ApiRecord's
 * `aws` bag), and the zod shapes of the request bodies that edit it. Wire names are the REST model's JSON names:
 * `name`, `routeKey`, `corsConfiguration`... (@aws-sdk/client-apigatewayv2 schemas).
 */
import { z } from "zod";
import { PorticoError } from "../../model/index.js";

/** CORS as the v2 API spells it; every member is optional, as in AWS. */
export interface CorsConfiguration {
  readonly allowOrigins?: readonly string[];
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAge?: number;
  readonly allowCredentials?: boolean;
}

/** How a route is guarded; absent on a draft route: `NONE`. */
export type AuthorizationType = "NONE" | "JWT" | "CUSTOM" | "AWS_IAM";

export interface DraftRoute {
  readonly routeId: string;
  readonly routeKey: string;
  /** `integrations/ID`; a route without one matches requests but has nothing to send them to. */
  readonly target?: string;
  readonly operationName?: string;
  /** Made by quick create. */
  readonly apiGatewayManaged?: boolean;
  /** Absent: `NONE`. */
  readonly authorizationType?: AuthorizationType;
  /** The JWT (for `JWT`) or REQUEST (for `CUSTOM`) authorizer that guards the route. */
  readonly authorizerId?: string;
  /** `JWT` only: the token must carry one of them. */
  readonly authorizationScopes?: readonly string[];
}

export interface JwtConfiguration {
  readonly audience: readonly string[];
  readonly issuer: string;
}

/** A JWT authorizer, or a REQUEST (Lambda) authorizer, as the v2 API keeps them. */
export interface DraftAuthorizer {
  readonly authorizerId: string;
  readonly name: string;
  readonly authorizerType: "JWT" | "REQUEST";
  /** JWT: exactly one; REQUEST: any number (none only without caching). */
  readonly identitySource: readonly string[];
  /** JWT only. */
  readonly jwtConfiguration?: JwtConfiguration;
  /** REQUEST only: `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`. */
  readonly authorizerUri?: string;
  readonly authorizerPayloadFormatVersion?: "1.0" | "2.0";
  readonly enableSimpleResponses?: boolean;
  readonly authorizerResultTtlInSeconds?: number;
  readonly authorizerCredentialsArn?: string;
}

export interface DraftIntegration {
  readonly integrationId: string;
  readonly integrationType: "AWS_PROXY";
  /** A Lambda function ARN (or name, or API Gateway's `.../functions/ARN/invocations` form). */
  readonly integrationUri: string;
  readonly payloadFormatVersion: "1.0" | "2.0";
  readonly timeoutInMillis: number;
  readonly description?: string;
  readonly credentialsArn?: string;
  readonly apiGatewayManaged?: boolean;
}

/** Where and how a stage logs each request; Portico writes the `format` to its own log, `destinationArn` is kept. */
export interface DraftAccessLogSettings {
  readonly destinationArn?: string;
  readonly format?: string;
}

export interface DraftStage {
  readonly stageName: string;
  readonly autoDeploy: boolean;
  /** The deployment the stage serves; none until the first deployment. */
  readonly deploymentId?: string;
  readonly description?: string;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdDate: string;
  readonly lastUpdatedDate: string;
  readonly apiGatewayManaged?: boolean;
  /** Throttling for every route of the stage. */
  readonly defaultRouteSettings?: DraftRouteSettings;
  /** Throttling of single routes, by route key. */
  readonly routeSettings?: Readonly<Record<string, DraftRouteSettings>>;
  readonly accessLogSettings?: DraftAccessLogSettings;
}

export interface DraftRouteSettings {
  readonly throttlingBurstLimit?: number;
  readonly throttlingRateLimit?: number;
  readonly detailedMetricsEnabled?: boolean;
}

/** What a deployment froze: the gateway serves this, not the draft's current routes. */
export interface DeploymentSnapshot {
  readonly routes: readonly DraftRoute[];
  readonly integrations: readonly DraftIntegration[];
  /** Absent: none (and in drafts stored before authorizers). */
  readonly authorizers?: readonly DraftAuthorizer[];
  readonly corsConfiguration?: CorsConfiguration;
}

export interface DraftDeployment {
  readonly deploymentId: string;
  readonly createdDate: string;
  readonly autoDeployed: boolean;
  readonly description?: string;
  /** Kept while a stage serves the deployment (and for the newest one); dropped from the others. */
  readonly snapshot?: DeploymentSnapshot;
}

/** An HTTP API as the v2 API edits it; JSON-serialisable, times as ISO strings. */
export interface ApiDraft {
  readonly apiId: string;
  readonly name: string;
  readonly protocolType: "HTTP";
  readonly description?: string;
  readonly version?: string;
  readonly corsConfiguration?: CorsConfiguration;
  readonly disableExecuteApiEndpoint: boolean;
  readonly createdDate: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly routes: readonly DraftRoute[];
  readonly integrations: readonly DraftIntegration[];
  /** Absent: none (and in drafts stored before authorizers). */
  readonly authorizers?: readonly DraftAuthorizer[];
  readonly stages: readonly DraftStage[];
  /** Oldest first. */
  readonly deployments: readonly DraftDeployment[];
}

const strings = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

export const corsShape = z.object({
  allowOrigins: strings.optional(),
  allowMethods: strings.optional(),
  allowHeaders: strings.optional(),
  exposeHeaders: strings.optional(),
  maxAge: z.number().int().optional(),
  allowCredentials: z.boolean().optional(),
});

const apiSettings = {
  name: z.string().optional(),
  description: z.string().optional(),
  version: z.string().optional(),
  corsConfiguration: corsShape.optional(),
  disableExecuteApiEndpoint: z.boolean().optional(),
  routeSelectionExpression: z.string().optional(),
  apiKeySelectionExpression: z.string().optional(),
  // Quick create: an integration with this target, a route with this key, an auto-deploying `$default` stage.
  target: z.string().optional(),
  routeKey: z.string().optional(),
  credentialsArn: z.string().optional(),
};

export const createApiShape = z.object({
  ...apiSettings,
  protocolType: z.string().optional(),
  tags: stringMap.optional(),
});
export const updateApiShape = z.object(apiSettings);

const routeSettings = {
  routeKey: z.string().optional(),
  target: z.string().optional(),
  authorizationType: z.string().optional(),
  apiKeyRequired: z.boolean().optional(),
  operationName: z.string().optional(),
  authorizerId: z.string().optional(),
  authorizationScopes: strings.optional(),
};
export const createRouteShape = z.object(routeSettings);
export const updateRouteShape = z.object(routeSettings);

const authorizerSettings = {
  name: z.string().optional(),
  authorizerType: z.string().optional(),
  identitySource: strings.optional(),
  jwtConfiguration: z.object({ audience: strings.optional(), issuer: z.string().optional() }).optional(),
  authorizerUri: z.string().optional(),
  authorizerPayloadFormatVersion: z.string().optional(),
  enableSimpleResponses: z.boolean().optional(),
  authorizerResultTtlInSeconds: z.number().int().optional(),
  authorizerCredentialsArn: z.string().optional(),
  identityValidationExpression: z.string().optional(),
};
export const createAuthorizerShape = z.object(authorizerSettings);
export const updateAuthorizerShape = z.object(authorizerSettings);

export const createIntegrationShape = z.object({
  integrationType: z.string().optional(),
  integrationUri: z.string().optional(),
  integrationMethod: z.string().optional(),
  payloadFormatVersion: z.string().optional(),
  timeoutInMillis: z.number().int().optional(),
  connectionType: z.string().optional(),
  description: z.string().optional(),
  credentialsArn: z.string().optional(),
});

/** A stage's `DefaultRouteSettings` or one of its `RouteSettings`. */
const routeSettingsShape = z.object({
  throttlingBurstLimit: z.number().int().min(0).optional(),
  throttlingRateLimit: z.number().min(0).optional(),
  detailedMetricsEnabled: z.boolean().optional(),
});

export const createStageShape = z.object({
  stageName: z.string().optional(),
  accessLogSettings: z
    .object({ destinationArn: z.string().optional(), format: z.string().optional() })
    .optional(),
  defaultRouteSettings: routeSettingsShape.optional(),
  routeSettings: z.record(z.string(), routeSettingsShape).optional(),
  autoDeploy: z.boolean().optional(),
  deploymentId: z.string().optional(),
  description: z.string().optional(),
  stageVariables: stringMap.optional(),
  tags: stringMap.optional(),
});

export const createDeploymentShape = z.object({
  description: z.string().optional(),
  stageName: z.string().optional(),
});

export type CreateApiRequest = z.output<typeof createApiShape>;
export type UpdateApiRequest = z.output<typeof updateApiShape>;
export type CreateRouteRequest = z.output<typeof createRouteShape>;
export type UpdateRouteRequest = z.output<typeof updateRouteShape>;
export type CreateAuthorizerRequest = z.output<typeof createAuthorizerShape>;
export type CreateIntegrationRequest = z.output<typeof createIntegrationShape>;
export type CreateStageRequest = z.output<typeof createStageShape>;
export type CreateDeploymentRequest = z.output<typeof createDeploymentShape>;

/**
 * A stored draft read back. It is Portico's own data, so a draft that does not have the shape is a fault, not
 * a client error; only the top level is checked.
 */
export function apiDraftOf(aws: unknown): ApiDraft | undefined {
  const draft = (aws as { readonly draft?: unknown } | undefined)?.draft;
  if (draft === undefined) return undefined;
  const ok =
    typeof draft === "object" &&
    draft !== null &&
    ["routes", "integrations", "stages", "deployments"].every((key) =>
      Array.isArray((draft as Record<string, unknown>)[key]),
    );
  if (!ok) {
    throw new PorticoError(
      "API_DRAFT_DAMAGED",
      "the API's stored v2 definition does not have the ApiDraft shape",
      {
        isUserError: false,
      },
    );
  }
  return draft as ApiDraft;
}

/** The `aws` bag of an ApiRecord holding `draft`. */
export function apiRecordBag(draft: ApiDraft): Readonly<Record<string, unknown>> {
  return { draft };
}
