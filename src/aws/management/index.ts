/**
 * Public face of the AWS management API formats: the Lambda API's and the API Gateway v2 API's request shapes,
 * pure operations, answers and errors, for the admin listener to serve so AWS SDKs and the AWS CLI work unchanged.
 */
export {
  createAuthorizer,
  deleteAuthorizer,
  IAM_AUTHORIZER_NAME,
  updateAuthorizer,
} from "./apigatewayv2-authorizers.js";
export { AUTO_DEPLOYMENT_DESCRIPTION, createDeployment } from "./apigatewayv2-deployments.js";
export {
  createApi,
  createIntegration,
  createRoute,
  createStage,
  deleteRoute,
  updateApi,
  updateRoute,
} from "./apigatewayv2-draft.js";
export { freshId, ID_LENGTHS, type IdKind, type NewId, randomIds } from "./apigatewayv2-ids.js";
export { authorizerOf, deploymentOf, integrationOf, routeOf, stageOf } from "./apigatewayv2-lookups.js";
export {
  formatApiGatewayTime,
  renderApi,
  renderAuthorizer,
  renderDeployment,
  renderIntegration,
  renderItems,
  renderRoute,
  renderStage,
} from "./apigatewayv2-render.js";
export {
  type ApiDraft,
  type AuthorizationType,
  apiDraftOf,
  apiRecordBag,
  type CorsConfiguration,
  type CreateApiRequest,
  type CreateAuthorizerRequest,
  type CreateDeploymentRequest,
  type CreateIntegrationRequest,
  type CreateRouteRequest,
  type CreateStageRequest,
  createApiShape,
  createAuthorizerShape,
  createDeploymentShape,
  createIntegrationShape,
  createRouteShape,
  createStageShape,
  type DeploymentSnapshot,
  type DraftAuthorizer,
  type DraftDeployment,
  type DraftIntegration,
  type DraftRoute,
  type DraftStage,
  type JwtConfiguration,
  type UpdateApiRequest,
  type UpdateRouteRequest,
  updateApiShape,
  updateAuthorizerShape,
  updateRouteShape,
} from "./apigatewayv2-shapes.js";
export { deployedSpec, draftFromSpec } from "./apigatewayv2-spec.js";
export {
  AwsApiError,
  type AwsErrorAnswer,
  type AwsService,
  apiGatewayTooManyRequests,
  awsErrorAnswer,
  badRequestException,
  conflictException,
  constraintProblem,
  functionAlreadyExists,
  functionNotFound,
  invalidIdentifier,
  invalidParameterValue,
  invalidRequestContent,
  lambdaTooManyRequests,
  lambdaValidationError,
  notFoundException,
  preconditionFailed,
  requestEntityTooLargeException,
  requestTooLarge,
  resourceConflict,
  resourceNotFound,
  serviceException,
  unsupportedMediaType,
  validationMessage,
} from "./aws-errors.js";
export { functionNameOfInvocationUri, functionNameOfTarget, invocationUriOf } from "./integration-target.js";
export { parseJsonBody, readShape } from "./json-body.js";
export {
  type ConfigurationOptions,
  codeSha256Of,
  formatLambdaTime,
  type JsonObject,
  renderFunctionConfiguration,
  renderGetFunction,
  renderListFunctions,
} from "./lambda-configuration.js";
export {
  ARCHITECTURES,
  type Architecture,
  DEFAULT_ROLE,
  defaultAwsDetails,
  type FunctionAwsDetails,
  functionAwsDetails,
  functionRecordBag,
  type LoggingConfig,
} from "./lambda-details.js";
export {
  ASYNC_PAYLOAD_MAX_BYTES,
  CLIENT_CONTEXT_MAX_BYTES,
  checkInvokePayload,
  INVOCATION_TYPES,
  type InvocationType,
  type InvokeOptions,
  type InvokeResult,
  invokeResponseHeaders,
  invokeStatus,
  LOG_RESULT_MAX_BYTES,
  type LogType,
  logResultOf,
  parseInvokeHeaders,
  type RequestHeaders,
  SYNC_PAYLOAD_MAX_BYTES,
} from "./lambda-invoke.js";
export {
  FUNCTION_NAME_PATTERN,
  type FunctionReference,
  functionArn,
  LATEST,
  resolveFunctionName,
  resolveNewFunctionName,
  splitFunctionName,
} from "./lambda-names.js";
export {
  type AddPermissionRequest,
  addPermission,
  addPermissionShape,
  type PermissionChange,
  renderPolicy,
} from "./lambda-permissions.js";
export { checkRevisionId, revisionIdOf } from "./lambda-revision.js";
export { type ResolvedRuntime, resolveRuntime } from "./lambda-runtime.js";
export {
  type CreateFunctionRequest,
  createFunctionShape,
  type NewCode,
  type NewFunction,
  newFunction,
  type UpdateFunctionCodeRequest,
  type UpdateFunctionConfigurationRequest,
  updatedCode,
  updatedConfiguration,
  updateFunctionCodeShape,
  updateFunctionConfigurationShape,
} from "./lambda-shapes.js";
export { type Page, pageOf } from "./paging.js";
