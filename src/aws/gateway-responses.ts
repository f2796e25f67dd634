/**
 * The error responses API Gateway generates itself, with exact status and JSON body: an HTTP API's (aws.md §6.1)
 * and a REST API's (aws.md §0 items 1-3), which differ in status, wording and even spacing.
 */
import type { HttpResponse } from "./http-types.js";

// Each call returns a fresh response, so no caller can change one another caller is sending.
function gatewayError(statusCode: number, body: string): HttpResponse {
  return { statusCode, headers: [["Content-Type", "application/json"]], body };
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

/** REST API: no resource and method matched, whatever the credentials. */
export function missingAuthenticationToken(): HttpResponse {
  return gatewayError(403, '{"message":"Missing Authentication Token"}');
}

/** REST API: function error or malformed response. Status 502, a space after the colon, lower-case "server error". */
export function restInternalServerError(): HttpResponse {
  return gatewayError(502, '{"message": "Internal server error"}');
}

/**
 * REST API: integration timeout (29 s). aws.md gives REST's limit but not this body; it is REST's widely observed
 * answer, with the same spacing as the 502 above.
 */
export function endpointRequestTimedOut(): HttpResponse {
  return gatewayError(504, '{"message": "Endpoint request timed out"}');
}

/** REST API: body over the payload quota (aws.md §6.1). */
export function requestTooLong(): HttpResponse {
  return gatewayError(413, '{"message":"Request Too Long"}');
}

/** A REST answer with the `x-amzn-ErrorType` REST names its gateway responses by. */
function restGatewayError(statusCode: number, errorType: string, body: string): HttpResponse {
  return {
    statusCode,
    headers: [
      ["Content-Type", "application/json"],
      ["x-amzn-ErrorType", errorType],
    ],
    body,
  };
}

/** No credentials, or ones a JWT or Lambda authorizer refused (both API kinds use this body). */
export function unauthorized(): HttpResponse {
  return gatewayError(401, '{"message":"Unauthorized"}');
}

/** HTTP API: a Lambda authorizer denied the request; also a route with IAM auth called without a signature. */
export function forbidden(): HttpResponse {
  return gatewayError(403, '{"message":"Forbidden"}');
}

export function restUnauthorized(): HttpResponse {
  return restGatewayError(401, "UnauthorizedException", '{"message":"Unauthorized"}');
}

/** REST API: the authorizer's policy denies the method, explicitly or by allowing nothing that matches. */
export function restAccessDenied(explicitDeny: boolean): HttpResponse {
  const message = explicitDeny
    ? "User is not authorized to access this resource with an explicit deny"
    : "User is not authorized to access this resource";
  return restGatewayError(403, "AccessDeniedException", JSON.stringify({ Message: message }));
}

/** REST API: the authorizer failed, timed out or answered something that is not a policy. */
export function restAuthorizerConfigurationError(): HttpResponse {
  return restGatewayError(500, "AuthorizerConfigurationException", '{"message": null}');
}

/** REST API: a method with IAM auth called without a SigV4 signature. */
export function restMissingAuthenticationToken(): HttpResponse {
  return restGatewayError(
    403,
    "MissingAuthenticationTokenException",
    '{"message":"Missing Authentication Token"}',
  );
}

/** The answers one kind of API gives when it cannot pass on its function's response. */
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
  /** The caller sent no identity, or an authorizer refused it. */
  readonly unauthorized: () => HttpResponse;
  /** An authorizer denied the request; `explicitDeny` when a policy's Deny statement matched. */
  readonly forbidden: (explicitDeny: boolean) => HttpResponse;
  /** The authorizer failed, timed out or answered something API Gateway cannot read. */
  readonly authorizerFailed: () => HttpResponse;
  /** A route with IAM auth, called without credentials (Portico does not verify IAM signatures). */
  readonly missingCredentials: () => HttpResponse;
}

export const HTTP_API_RESPONSES: GatewayResponses = Object.freeze({
  noRoute: notFound,
  integrationFailed: internalServerError,
  integrationTimedOut: serviceUnavailable,
  payloadTooLarge: requestEntityTooLarge,
  throttled: tooManyRequests,
  unauthorized,
  forbidden: () => forbidden(),
  authorizerFailed: internalServerError,
  missingCredentials: forbidden,
});

export const REST_API_RESPONSES: GatewayResponses = Object.freeze({
  noRoute: missingAuthenticationToken,
  integrationFailed: restInternalServerError,
  integrationTimedOut: endpointRequestTimedOut,
  payloadTooLarge: requestTooLong,
  throttled: tooManyRequests,
  unauthorized: restUnauthorized,
  forbidden: restAccessDenied,
  authorizerFailed: restAuthorizerConfigurationError,
  missingCredentials: restMissingAuthenticationToken,
});
