/**
 * Who may call the AWS-compatible endpoints. AWS tools cannot send the admin token, so they prove themselves
 * AWS's way: a SigV4 signature by the access key Portico holds. Without a key and without a token (loopback),
 * any credentials pass unchecked, as local emulators take them; with a token but no key, the endpoints are shut,
 * since nothing could prove a caller.
 */
import type { SignedRequest } from "./signable-request.js";
import { isAuthorizationFault, parseAuthorization } from "./sigv4-authorization.js";
import {
  ACCESS_KEY_ID_VARIABLE,
  SECRET_ACCESS_KEY_VARIABLE,
  type SigV4Credentials,
} from "./sigv4-credentials.js";
import { incompleteSignature, missingAuthentication, type SigV4Refusal } from "./sigv4-refusal.js";
import { SigV4Verifier } from "./sigv4-verifier.js";

export interface AwsAccessOptions {
  /** The admin token, when the admin listener requires one. */
  readonly token?: string;
  /** The access key AWS tools sign with (PORTICO_AWS_ACCESS_KEY_ID and PORTICO_AWS_SECRET_ACCESS_KEY). */
  readonly credentials?: SigV4Credentials;
}

/** `signed`: signatures are verified; `open`: any credentials; `closed`: a token and no key to check against. */
export type AwsAccessMode = "signed" | "open" | "closed";

export class AwsAccess {
  readonly mode: AwsAccessMode;
  readonly #verifier: SigV4Verifier | undefined;

  constructor(options: AwsAccessOptions) {
    const hasToken = options.token !== undefined && options.token !== "";
    this.#verifier =
      options.credentials === undefined ? undefined : new SigV4Verifier({ credentials: options.credentials });
    this.mode = this.#verifier !== undefined ? "signed" : hasToken ? "closed" : "open";
  }

  /**
   * The refusal a request earns from its head alone, before its body is read. `signingName` is the service the
   * signature must be scoped to: `lambda`, or `apigateway` for API Gateway v2.
   */
  checkHead(request: SignedRequest, signingName: string): SigV4Refusal | undefined {
    if (this.#verifier !== undefined) return this.#verifier.checkHead(request, { service: signingName });
    if (this.mode === "closed") return closed();
    return checkShape(request);
  }

  /** The refusal the whole request earns (its signature over `body`), or undefined when it may go on. */
  async verify(
    request: SignedRequest,
    body: Uint8Array,
    signingName: string,
  ): Promise<SigV4Refusal | undefined> {
    if (this.#verifier === undefined) return undefined;
    const verdict = await this.#verifier.verify(request, body, { service: signingName });
    return verdict.ok ? undefined : verdict;
  }
}

/**
 * Unchecked credentials must still come as a SigV4 `Authorization` header, as every AWS tool sends them: a web
 * page cannot send that header to another site without the browser asking first, which is never granted.
 */
function checkShape(request: SignedRequest): SigV4Refusal | undefined {
  let authorization: string | undefined;
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if ((request.rawHeaders[i] as string).toLowerCase() === "authorization") {
      authorization = request.rawHeaders[i + 1];
      break;
    }
  }
  if (authorization === undefined) return missingAuthentication("no Authorization header");
  const parsed = parseAuthorization(authorization);
  return isAuthorizationFault(parsed) ? incompleteSignature(parsed.message, parsed.reason) : undefined;
}

function closed(): SigV4Refusal {
  return {
    ok: false,
    status: 403,
    errorType: "UnrecognizedClientException",
    message: `This Portico requires a token, which AWS tools cannot send, and holds no AWS access key for them to sign with: start it with ${ACCESS_KEY_ID_VARIABLE} and ${SECRET_ACCESS_KEY_VARIABLE} set, and sign with that key.`,
    reason: `the admin API requires a token and no AWS access key is set (${ACCESS_KEY_ID_VARIABLE}, ${SECRET_ACCESS_KEY_VARIABLE})`,
  };
}
