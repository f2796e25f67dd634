/**
 * The error responses API Gateway generates itself, with exact status and JSON body: an HTTP API's (aws.md §6.1)
 * and a REST API's (aws.md §0 items 1-3), which differ in status, wording and even spacing. A REST API's also name
 * the error in `x-amzn-ErrorType`, as captured `curl -i` output shows.
 */
import type { HttpResponse } from "./http-types.js";

// Each call returns a fresh response, so no caller can change one another caller is sending.
function gatewayError(statusCode: number, body: string): HttpResponse {
  return { statusCode, headers: [["Content-Type", "application/json"]], body };
}

function restGatewayError(statusCode: number, body: string, errorType: string): HttpResponse {
  return {
    statusCode,
    headers: [
      ["Content-Type", "application/json"],
      ["x-amzn-ErrorType", errorType],
    ],
    body,
  };
}

/** HTTP API: no stage or no route matched (REST's 403 "Missing Authentication Token" is not used). */
export function notFound(): HttpResponse {
  return gatewayError(404, '{"message":"Not Found"}');
}

/** HTTP API: function error, malformed response, failed invoke. Capital S and E, status 500 (REST: 502). */
export function internalServerError(): HttpResponse {
  return gatewayError(500, '{"message":"Internal Server Error"}');
}

/** HTTP API: integration timeout (30 s by default); the function may still be running. */
export function serviceUnavailable(): HttpResponse {
  return gatewayError(503, '{"message":"Service Unavailable"}');
}

/** HTTP API: body over the payload quota, or an event Lambda refuses as too large. */
export function requestEntityTooLarge(): HttpResponse {
  return gatewayError(413, '{"message":"Request Entity Too Large"}');
}

/** Stage, route or account throttling (both API kinds). */
export function tooManyRequests(): HttpResponse {
  return gatewayError(429, '{"message":"Too Many Requests"}');
}

/**
 * A request the gateway cannot take as HTTP/1.1 (more than one Host, no HTTP version, a malformed line or header):
 * RFC 9112 §3.2 asks for 400. API Gateway documents no body for it; this one has the shape of its other answers,
 * and says what was wrong so the sender can fix it.
 */
export function badRequest(reason: string): HttpResponse {
  return gatewayError(400, JSON.stringify({ message: `Bad Request: ${reason}` }));
}

/** The whole request did not arrive within the gateway's time for receiving one (RFC 9110 §15.5.9). */
export function requestTimeout(): HttpResponse {
  return gatewayError(408, '{"message":"Request Timeout"}');
}

/** The request line and headers are over the size the gateway reads (RFC 6585 §5). */
export function requestHeaderFieldsTooLarge(): HttpResponse {
  return gatewayError(431, '{"message":"Request Header Fields Too Large"}');
}

/** REST API: no resource and method matched, whatever the credentials; also an IAM route's unsigned request. */
export function missingAuthenticationToken(): HttpResponse {
  return restGatewayError(
    403,
    '{"message":"Missing Authentication Token"}',
    "MissingAuthenticationTokenException",
  );
}

/** REST API: function error or malformed response. Status 502, a space after the colon, lower-case "server error". */
export function restInternalServerError(): HttpResponse {
  return restGatewayError(502, '{"message": "Internal server error"}', "InternalServerErrorException");
}

/**
 * REST API: integration timeout (29 s). aws.md gives REST's limit but not this body; it is REST's widely observed
 * answer, with the same spacing as the 502 above.
 */
export function endpointRequestTimedOut(): HttpResponse {
  return restGatewayError(504, '{"message": "Endpoint request timed out"}', "InternalServerErrorException");
}

/** REST API: body over the payload quota (aws.md §6.1); the error type is the gateway response's (REQUEST_TOO_LARGE). */
export function requestTooLong(): HttpResponse {
  return restGatewayError(413, '{"message":"Request Too Long"}', "RequestTooLargeException");
}

/** REST API: throttling; the body is the one both API kinds send. */
export function restTooManyRequests(): HttpResponse {
  return restGatewayError(429, '{"message":"Too Many Requests"}', "TooManyRequestsException");
}

/** Both API kinds: an authorizer's identity source is missing, or a JWT is missing or invalid (UNAUTHORIZED). */
export function unauthorized(): HttpResponse {
  return gatewayError(401, '{"message":"Unauthorized"}');
}

/** REST API's UNAUTHORIZED, also what a Lambda authorizer gets by throwing `Error("Unauthorized")`. */
export function restUnauthorized(): HttpResponse {
  return restGatewayError(401, '{"message":"Unauthorized"}', "UnauthorizedException");
}

/** HTTP API: a Lambda authorizer said no (`isAuthorized: false`, or a policy that does not allow the route). */
export function forbidden(): HttpResponse {
  return gatewayError(403, '{"message":"Forbidden"}');
}

/**
 * REST API's ACCESS_DENIED: the authorizer's policy denies the method explicitly, or (`explicitDeny` false) does
 * not allow it. Note the capital M in `Message`, unlike every other body here (captured `curl -i` output).
 */
export function restAccessDenied(explicitDeny = true): HttpResponse {
  const body = explicitDeny
    ? '{"Message":"User is not authorized to access this resource with an explicit deny"}'
    : '{"Message":"User is not authorized to access this resource"}';
  return restGatewayError(403, body, "AccessDeniedException");
}

/**
 * REST API's AUTHORIZER_CONFIGURATION_ERROR and AUTHORIZER_FAILURE: the authorizer function failed, timed out or
 * answered something that is not a policy. The body's message is JSON `null` (captured).
 */
export function restAuthorizerFailed(): HttpResponse {
  return restGatewayError(500, '{"message":null}', "AuthorizerConfigurationException");
}

/** The answers one kind of API gives when it cannot pass on its function's response, or will not call it. */
export interface GatewayResponses {
  /** No route matched the request. */
  readonly noRoute: () => HttpResponse;
  /** The function failed, or returned a malformed response. */
  readonly integrationFailed: () => HttpResponse;
  /** The integration timeout passed before the function answered. */
  readonly integrationTimedOut: () => HttpResponse;
  /** The body is over the payload quota, or Lambda refused the event as too large. */
  readonly payloadTooLarge: () => HttpResponse;
  /** Throttling; also the gateway's answer when it holds as many request bodies as its memory budget allows. */
  readonly throttled: () => HttpResponse;
  /** An authorizer's identity source is missing (it is not invoked), or a token is missing, invalid or expired. */
  readonly unauthorized: () => HttpResponse;
  /**
   * An authorizer denied the request. REST APIs word an explicit `Deny` (the default) and a policy that merely does
   * not allow the method differently; HTTP APIs answer both alike.
   */
  readonly forbidden: (explicitDeny?: boolean) => HttpResponse;
  /** The authorizer function failed, timed out, or answered something that is neither a policy nor a decision. */
  readonly authorizerFailed: () => HttpResponse;
  /** A route that needs IAM (SigV4) credentials got a request without them. */
  readonly iamUnauthenticated: () => HttpResponse;
}

export const HTTP_API_RESPONSES: GatewayResponses = Object.freeze({
  noRoute: notFound,
  integrationFailed: internalServerError,
  integrationTimedOut: serviceUnavailable,
  payloadTooLarge: requestEntityTooLarge,
  throttled: tooManyRequests,
  unauthorized,
  forbidden: () => forbidden(),
  // aws.md §6.1: an authorizer error or invalid authorizer response is the plain 500.
  authorizerFailed: internalServerError,
  // aws.md lists the IAM body on HTTP APIs as unconfirmed; 403 Forbidden is what its other denials send.
  iamUnauthenticated: forbidden,
});

export const REST_API_RESPONSES: GatewayResponses = Object.freeze({
  noRoute: missingAuthenticationToken,
  integrationFailed: restInternalServerError,
  integrationTimedOut: endpointRequestTimedOut,
  payloadTooLarge: requestTooLong,
  throttled: restTooManyRequests,
  unauthorized: restUnauthorized,
  forbidden: (explicitDeny?: boolean) => restAccessDenied(explicitDeny),
  authorizerFailed: restAuthorizerFailed,
  // An unsigned request to an AWS_IAM method gets the same answer as a path with no method.
  iamUnauthenticated: missingAuthenticationToken,
});
