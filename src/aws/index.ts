/** AWS formats, pure data in and out: request ids, Lambda proxy events, response mapping, gateway error bodies. */
export {
  type ApiKindRules,
  HTTP_API,
  type LambdaProxyFormat,
  REST_API,
  type RequestIds,
} from "./api-kinds.js";
export {
  type AuthorizerResult,
  type AuthorizerShape,
  authorizerShapeV1,
  authorizerShapeV2,
  claimText,
} from "./authorizer-context.js";
export {
  authorizerEventRestRequest,
  authorizerEventRestToken,
  authorizerEventV1,
  authorizerEventV2,
  executeApiArn,
} from "./authorizer-events.js";
export {
  type AuthorizerContext,
  type AuthorizerDecision,
  evaluatePolicy,
  type PolicyVerdict,
  readAuthorizerResponse,
} from "./authorizer-response.js";
export {
  BinaryMediaTypes,
  firstAcceptedType,
  mediaTypeOf,
  NO_BINARY_MEDIA_TYPES,
} from "./binary-media-types.js";
export { buildEventRest, type RestApiEvent } from "./event-rest.js";
export { buildEventV1, type HttpApiEventV1 } from "./event-v1.js";
export { buildEventV2, type HttpApiEventV2 } from "./event-v2.js";
export {
  badRequest,
  endpointRequestTimedOut,
  forbidden,
  type GatewayResponses,
  HTTP_API_RESPONSES,
  internalServerError,
  missingAuthenticationToken,
  notFound,
  REST_API_RESPONSES,
  requestEntityTooLarge,
  requestHeaderFieldsTooLarge,
  requestTimeout,
  requestTooLong,
  restAccessDenied,
  restAuthorizerFailed,
  restInternalServerError,
  restTooManyRequests,
  restUnauthorized,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
} from "./gateway-responses.js";
export { canonicalHeaderName } from "./header-case.js";
export type { GatewayRequest, HttpResponse, RouteContext } from "./http-types.js";
export * from "./management/index.js";
export { parseQueryParameters } from "./query-parameters.js";
export { newApiGatewayRequestId, newRestRequestId, newTraceId } from "./request-id.js";
export { formatRequestTime } from "./request-time.js";
export type { MappedResponse } from "./response-fields.js";
export { mapResponseRest, mapResponseV1 } from "./response-v1.js";
export { mapResponseV2 } from "./response-v2.js";
export { restDeploymentId, restResourceId, stableId } from "./stable-id.js";
