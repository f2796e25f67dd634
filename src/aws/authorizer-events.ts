/**
 * The events a Lambda authorizer receives (aws.md §6.3; captured: test/fixtures/aws/authorizer/): the request as
 * the route's own event would carry it, without its body, plus what identifies the caller and the ARN asked for.
 */
import { buildEventRest } from "./event-rest.js";
import { buildEventV1 } from "./event-v1.js";
import { buildEventV2 } from "./event-v2.js";
import type { GatewayRequest, RouteContext } from "./http-types.js";

/**
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`: the ARN a policy's `Resource` is
 * matched against. The path is the request's, without its stage segment or leading slash; an HTTP API's stage is
 * written out even when it is `$default` (captured).
 */
export function executeApiArn(apiArn: string, route: RouteContext, method: string, path: string): string {
  const resourcePath = path.slice(route.stagePath.length) || "/";
  return `${apiArn}/${route.stage}/${method}/${resourcePath.slice(1)}`;
}

/** HTTP API, payload 2.0: `identitySource` is the list of identity values, in the authorizer's order. */
export function authorizerEventV2(
  request: GatewayRequest,
  route: RouteContext,
  routeArn: string,
  identitySource: readonly string[],
): object {
  const { body: _body, isBase64Encoded: _encoded, version, ...event } = buildEventV2(request, route);
  return { version, type: "REQUEST", routeArn, identitySource, ...event };
}

/** HTTP API, payload 1.0: the identity values joined with `,`, as `identitySource` and `authorizationToken`. */
export function authorizerEventV1(
  request: GatewayRequest,
  route: RouteContext,
  methodArn: string,
  identitySource: readonly string[],
): object {
  const { body: _body, isBase64Encoded: _encoded, version, ...event } = buildEventV1(request, route);
  const joined = identitySource.join(",");
  return {
    version,
    type: "REQUEST",
    methodArn,
    identitySource: joined,
    authorizationToken: joined,
    ...event,
  };
}

/** REST API, REQUEST type: the proxy event without a body, where absent maps are `{}` rather than `null`. */
export function authorizerEventRestRequest(
  request: GatewayRequest,
  route: RouteContext,
  methodArn: string,
): object {
  const { body: _body, isBase64Encoded: _encoded, ...event } = buildEventRest(request, route);
  return {
    type: "REQUEST",
    methodArn,
    ...event,
    queryStringParameters: event.queryStringParameters ?? {},
    multiValueQueryStringParameters: event.multiValueQueryStringParameters ?? {},
    pathParameters: event.pathParameters ?? {},
    stageVariables: event.stageVariables ?? {},
  };
}

/** REST API, TOKEN type: only the token and the ARN. */
export function authorizerEventRestToken(authorizationToken: string, methodArn: string): object {
  return { type: "TOKEN", authorizationToken, methodArn };
}
