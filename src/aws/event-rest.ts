/**
 * Builds the Lambda proxy event a REST API sends (captured: test/fixtures/aws/events-rest/): the 1.0 shape with
 * REST's differences (fixtures README findings 15-21): no `version`, `path` without the stage segment while
 * `requestContext.path` keeps it, an opaque `resourceId`, a UUID `requestId`, a `deploymentId`, no `cognitoAmr`,
 * and a body passed as text unless its type is one of the API's binary media types.
 */
import { type BinaryMediaTypes, NO_BINARY_MEDIA_TYPES } from "./binary-media-types.js";
import { buildProxyEventV1Shape, type ProxyEventV1Shape, type ProxyRequestContextV1 } from "./event-v1.js";
import type { GatewayRequest, RouteContext } from "./http-types.js";
import { encodeRestEventBody } from "./request-body.js";

export interface RestApiEvent extends ProxyEventV1Shape {
  readonly requestContext: ProxyRequestContextV1 & { readonly deploymentId: string };
}

/**
 * `request.requestId` must be the UUID and `request.extendedRequestId` the 16-char id. No `Content-Length` is added
 * to a request without a body (see ContentLengthRule).
 */
export function buildEventRest(
  request: GatewayRequest,
  route: RouteContext,
  binaryMediaTypes: BinaryMediaTypes = NO_BINARY_MEDIA_TYPES,
): RestApiEvent {
  // `slice(0)` returns the string itself, so a stage reached without a path segment costs nothing.
  const path = request.path.slice(route.stagePath.length) || "/";
  const event = buildProxyEventV1Shape(request, route, path, "with-body", (body, contentType) =>
    encodeRestEventBody(body, contentType, binaryMediaTypes),
  );
  event.requestContext.deploymentId = route.deploymentId;
  return event as RestApiEvent;
}
