/**
 * Why a request's AWS signature was refused, in AWS's own error types and words, and the answer AWS
 * sends for it. These errors come from AWS's request front end, before any service sees the request,
 * so the Lambda API and the API Gateway v2 API answer them alike: 403 (429 to slow down),
 * `x-amzn-ErrorType: TYPE:URL` and `{"message": ...}`.
 */
import { randomUUID } from "node:crypto";

export type SigV4ErrorType =
  | "MissingAuthenticationTokenException"
  | "IncompleteSignatureException"
  | "InvalidSignatureException"
  | "UnrecognizedClientException"
  | "TooManyRequestsException";

export interface SigV4Refusal {
  readonly ok: false;
  readonly status: 403 | 429;
  readonly errorType: SigV4ErrorType;
  /** What AWS says, as it says it: the AWS SDKs and CLI show it to the user. */
  readonly message: string;
  /** One line for the person running Portico: what exactly was wrong, and with which access key. */
  readonly reason: string;
}

/** What to send: status, headers and a JSON body. */
export interface AwsErrorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** AWS's wording for a signature that does not match; the canonical request and string to sign follow it. */
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
/** The suffix AWS's front end puts after the error type (the SDKs and botocore cut at the colon). */
const ERROR_TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.coral.service/";
/** Seconds after which a slowed-down client may retry: by then its new signature differs. */
const RETRY_AFTER_SECONDS = "1";

export function missingAuthentication(reason: string): SigV4Refusal {
  return refusal(403, "MissingAuthenticationTokenException", "Missing Authentication Token", reason);
}

export function incompleteSignature(message: string, reason: string): SigV4Refusal {
  return refusal(403, "IncompleteSignatureException", message, reason);
}

export function invalidSignature(message: string, reason: string): SigV4Refusal {
  return refusal(403, "InvalidSignatureException", message, reason);
}

export function unrecognizedClient(reason: string): SigV4Refusal {
  return refusal(
    403,
    "UnrecognizedClientException",
    "The security token included in the request is invalid.",
    reason,
  );
}

/** A signature that does not match, with what AWS adds to help find why: what the server signed. */
export function signatureMismatch(
  canonicalRequest: string,
  stringToSign: string,
  reason: string,
): SigV4Refusal {
  return invalidSignature(
    `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
    reason,
  );
}

/** An answer the AWS SDKs retry after a pause; they sign each attempt anew. */
export function tooManyRequests(reason: string): SigV4Refusal {
  return refusal(429, "TooManyRequestsException", "Rate exceeded", reason);
}

/** The refusal as AWS answers it, with `x-amzn-RequestId` as AWS always sends it. */
export function renderSigV4Refusal(refusal: SigV4Refusal, requestId: string = randomUUID()): AwsErrorAnswer {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "x-amzn-RequestId": requestId,
    "x-amzn-ErrorType": `${refusal.errorType}${ERROR_TYPE_SUFFIX}`,
  };
  if (refusal.status === 429) headers["Retry-After"] = RETRY_AFTER_SECONDS;
  return { status: refusal.status, headers, body: JSON.stringify({ message: refusal.message }) };
}

function refusal(
  status: SigV4Refusal["status"],
  errorType: SigV4ErrorType,
  message: string,
  reason: string,
): SigV4Refusal {
  return { ok: false, status, errorType, message, reason };
}
