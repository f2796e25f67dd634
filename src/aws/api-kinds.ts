/**
 * What differs between an HTTP API and a REST API wherever the gateway meets AWS formats: the ids a request gets,
 * the event and response mapping, the answers the gateway generates, and two routing rules. The gateway picks one
 * table per API when it compiles the API, so no request pays for the choice.
 */

import { type AuthorizerShape, authorizerShapeV1, authorizerShapeV2 } from "./authorizer-context.js";
import type { BinaryMediaTypes } from "./binary-media-types.js";
import { buildEventRest } from "./event-rest.js";
import { buildEventV1 } from "./event-v1.js";
import { buildEventV2 } from "./event-v2.js";
import { type GatewayResponses, HTTP_API_RESPONSES, REST_API_RESPONSES } from "./gateway-responses.js";
import type { GatewayRequest, RouteContext } from "./http-types.js";
import { newRestRequestId } from "./request-id.js";
import type { MappedResponse } from "./response-fields.js";
import { mapResponseRest, mapResponseV1 } from "./response-v1.js";
import { mapResponseV2 } from "./response-v2.js";
import { restResourceId } from "./stable-id.js";

/** How a route's function sees requests and is read back. */
export interface LambdaProxyFormat {
  readonly buildEvent: (request: GatewayRequest, route: RouteContext) => object;
  /** `accept`: the request's Accept header, which a REST API's binary media types consult. */
  readonly mapResponse: (payload: Buffer, accept: string | undefined) => MappedResponse;
  /** `requestContext.authorizer` in this format. */
  readonly authorizerShape: AuthorizerShape;
}

export interface RequestIds {
  /** `requestContext.requestId`. */
  readonly requestId: string;
  /** The 16-char id (`extendedRequestId`). */
  readonly extendedRequestId: string;
  readonly traceId: string;
}

export interface ApiKindRules {
  readonly responses: GatewayResponses;
  /** `requestContext.requestId`, given the request's 16-char id. */
  readonly newRequestId: (extendedRequestId: string) => string;
  /** Appends, as name, value, name, value..., the id headers on every response, gateway errors included. */
  readonly appendIdHeaders: (headers: string[], ids: RequestIds) => void;
  /** 1.0's `requestContext.resourceId` for a route. */
  readonly resourceId: (apiId: string, routeKey: string, resourcePath: string) => string;
  /** The format of an API's routes; `binaryMediaTypes` are a REST API's (HTTP APIs have none). */
  readonly proxyFormat: (
    payloadFormat: "1.0" | "2.0",
    binaryMediaTypes: BinaryMediaTypes,
  ) => LambdaProxyFormat;
  /** `/hello/` matches `GET /hello` (REST), or is a different path (HTTP APIs, aws.md §0 item 12). */
  readonly ignoresTrailingSlash: boolean;
  /** HTTP APIs have a `$default` stage served without a path segment; REST APIs only have named stages. */
  readonly hasDefaultStage: boolean;
}

const V2: LambdaProxyFormat = {
  buildEvent: buildEventV2,
  mapResponse: mapResponseV2,
  authorizerShape: authorizerShapeV2,
};
const V1: LambdaProxyFormat = {
  buildEvent: buildEventV1,
  mapResponse: mapResponseV1,
  authorizerShape: authorizerShapeV1,
};

function restFormat(binaryMediaTypes: BinaryMediaTypes): LambdaProxyFormat {
  return {
    buildEvent: (request, route) => buildEventRest(request, route, binaryMediaTypes),
    mapResponse: (payload, accept) => mapResponseRest(payload, accept, binaryMediaTypes),
    authorizerShape: authorizerShapeV1,
  };
}

export const HTTP_API: ApiKindRules = Object.freeze({
  responses: HTTP_API_RESPONSES,
  // requestId and extendedRequestId are the same 16-char id (fixtures README finding 17).
  newRequestId: (extendedRequestId: string) => extendedRequestId,
  appendIdHeaders: (headers: string[], ids: RequestIds) => {
    headers.push("Apigw-Requestid", ids.requestId);
  },
  // HTTP APIs put the route key in 1.0's resourceId (finding 16).
  resourceId: (_apiId: string, routeKey: string) => routeKey,
  proxyFormat: (payloadFormat: "1.0" | "2.0") => (payloadFormat === "2.0" ? V2 : V1),
  ignoresTrailingSlash: false,
  hasDefaultStage: true,
});

export const REST_API: ApiKindRules = Object.freeze({
  responses: REST_API_RESPONSES,
  newRequestId: () => newRestRequestId(),
  // aws.md §4.3: these three are REST's; HTTP APIs send `apigw-requestid` instead.
  appendIdHeaders: (headers: string[], ids: RequestIds) => {
    headers.push(
      "x-amzn-RequestId",
      ids.requestId,
      "x-amz-apigw-id",
      ids.extendedRequestId,
      "X-Amzn-Trace-Id",
      ids.traceId,
    );
  },
  resourceId: (apiId: string, _routeKey: string, resourcePath: string) => restResourceId(apiId, resourcePath),
  // REST has one proxy event shape, whatever the route's payload format says.
  proxyFormat: (_payloadFormat: "1.0" | "2.0", binaryMediaTypes: BinaryMediaTypes) =>
    restFormat(binaryMediaTypes),
  ignoresTrailingSlash: true,
  hasDefaultStage: false,
});
