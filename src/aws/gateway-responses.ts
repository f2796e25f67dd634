/** The error responses an HTTP API generates itself (aws.md §6.1): exact status and JSON body. */
import type { HttpResponse } from "./http-types.js";

// Each call returns a fresh response: the gateway adds `apigw-requestid` to what it is given.
function gatewayError(statusCode: number, message: string): HttpResponse {
  return {
    statusCode,
    headers: [["Content-Type", "application/json"]],
    body: `{"message":"${message}"}`,
  };
}

/** No stage or no route matched (HTTP APIs; REST's 403 "Missing Authentication Token" is not used). */
export function notFound(): HttpResponse {
  return gatewayError(404, "Not Found");
}

/** Function error, malformed response, failed invoke. Capital S and E, status 500 (REST: 502). */
export function internalServerError(): HttpResponse {
  return gatewayError(500, "Internal Server Error");
}

/** Integration timeout (30 s by default); the function may still be running. */
export function serviceUnavailable(): HttpResponse {
  return gatewayError(503, "Service Unavailable");
}

/** Body over the payload quota, or an event Lambda refuses as too large. */
export function requestEntityTooLarge(): HttpResponse {
  return gatewayError(413, "Request Entity Too Large");
}

/** Stage, route or account throttling. */
export function tooManyRequests(): HttpResponse {
  return gatewayError(429, "Too Many Requests");
}
