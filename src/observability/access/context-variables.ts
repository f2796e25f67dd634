/**
 * API Gateway's `$context` variables for access logs, as functions of a finished request. Names AWS defines that
 * Portico has no value for (account, IAM identity, custom domains) render as `-`, as AWS renders absent values.
 */
import { formatRequestTime } from "../../aws/index.js";
import type { GatewayRequestEnd } from "../channels.js";

/** A variable's value for one request; undefined renders as `-`. */
export type ContextValue = (request: GatewayRequestEnd) => string | number | undefined;

const absent: ContextValue = () => undefined;

const integrationStatus: ContextValue = (r) => r.integration?.status;
const integrationError: ContextValue = (r) => r.integration?.error;
const integrationLatency: ContextValue = (r) =>
  r.integration === undefined ? undefined : Math.round(r.integration.latencyMs);
const lambdaRequestId: ContextValue = (r) => r.integration?.requestId;

const VALUES: Readonly<Record<string, ContextValue>> = {
  accountId: absent,
  apiId: (r) => r.apiId,
  "authorizer.error": (r) => r.authorizerError,
  "authorizer.latency": absent,
  "authorizer.principalId": absent,
  "authorizer.status": absent,
  // The Lambda endpoint's request id (its `x-amzn-RequestId`): the invocation's request id.
  awsEndpointRequestId: lambdaRequestId,
  awsEndpointRequestId2: absent,
  "customDomain.basePathMatched": absent,
  dataProcessed: absent,
  domainName: absent,
  domainPrefix: absent,
  "error.message": absent,
  "error.messageString": absent,
  "error.responseType": absent,
  extendedRequestId: (r) => r.extendedRequestId,
  httpMethod: (r) => r.method,
  "identity.accountId": absent,
  "identity.apiKey": absent,
  "identity.apiKeyId": absent,
  "identity.caller": absent,
  "identity.cognitoAuthenticationProvider": absent,
  "identity.cognitoAuthenticationType": absent,
  "identity.cognitoIdentityId": absent,
  "identity.cognitoIdentityPoolId": absent,
  "identity.principalOrgId": absent,
  "identity.sourceIp": (r) => r.sourceIp,
  "identity.user": absent,
  "identity.userAgent": (r) => r.userAgent,
  "identity.userArn": absent,
  "integration.error": integrationError,
  "integration.integrationStatus": integrationStatus,
  "integration.latency": integrationLatency,
  "integration.requestId": lambdaRequestId,
  "integration.status": integrationStatus,
  integrationErrorMessage: integrationError,
  integrationLatency,
  integrationStatus,
  path: (r) => r.path,
  protocol: (r) => r.protocol,
  requestId: (r) => r.requestId,
  requestTime: (r) => formatRequestTime(r.receivedAt),
  requestTimeEpoch: (r) => r.receivedAt,
  resourceId: absent,
  resourcePath: (r) => (r.routeKey === undefined ? undefined : r.routeKey.slice(r.routeKey.indexOf(" ") + 1)),
  responseLatency: (r) => Math.round(r.durationMs),
  responseLength: (r) => r.responseLength,
  routeKey: (r) => r.routeKey,
  stage: (r) => r.stage,
  status: (r) => r.status,
  wafResponseCode: absent,
  webaclArn: absent,
  xrayTraceId: absent,
};

/** Families whose last part is the user's (`authorizer.claims.sub`, `identity.clientCert.subjectDN`, ...). */
const OPEN_PREFIXES = [
  "authorizer.claims.",
  "authorizer.",
  "identity.clientCert.",
  "requestOverride.",
  "responseOverride.",
];

/** The variable's value function, or undefined when AWS has no such variable. */
export function contextValue(name: string): ContextValue | undefined {
  if (Object.hasOwn(VALUES, name)) return VALUES[name];
  return OPEN_PREFIXES.some((prefix) => name.startsWith(prefix) && name.length > prefix.length)
    ? absent
    : undefined;
}
