/**
 * The AWS-compatible endpoints of the admin listener (the Lambda and API Gateway v2 APIs), and how they
 * authenticate AWS's way (SigV4).
 */

export { AwsAccess, type AwsAccessMode, type AwsAccessOptions } from "./aws-access.js";
export { AwsEndpoints, type AwsEndpointsOptions } from "./aws-endpoints.js";

export type { SignedRequest } from "./signable-request.js";
export {
  ACCESS_KEY_ID_VARIABLE,
  readSigV4Credentials,
  SECRET_ACCESS_KEY_VARIABLE,
  type SigV4Credentials,
} from "./sigv4-credentials.js";
export {
  type AwsErrorAnswer,
  renderSigV4Refusal,
  type SigV4ErrorType,
  type SigV4Refusal,
} from "./sigv4-refusal.js";
export {
  type SigV4Acceptance,
  type SigV4Verdict,
  SigV4Verifier,
  type SigV4VerifierOptions,
  type VerifyOptions,
} from "./sigv4-verifier.js";
