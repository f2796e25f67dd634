/** The AWS-compatible endpoints of the admin listener: how they authenticate AWS's way (SigV4). */

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
