/**
 * Checks a request's AWS Signature Version 4, as AWS's front end does, so that the AWS SDKs and CLI can
 * call Portico's AWS-compatible endpoints with an access key Portico holds. The expected signature is
 * computed by the AWS SDK's own signer from what was received; then the signing time must be within the
 * clock skew AWS allows, and a signature is good once (a replay is refused).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { HttpRequest } from "@smithy/core/protocols";
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";
import { SeenSignatures } from "./seen-signatures.js";
import { headerValues, type SignedRequest, signableRequest } from "./signable-request.js";
import {
  type CredentialScope,
  formatAmzDate,
  isAuthorizationFault,
  parseAmzDate,
  parseAuthorization,
  quote,
  type SigV4Authorization,
} from "./sigv4-authorization.js";
import type { SigV4Credentials } from "./sigv4-credentials.js";
import {
  incompleteSignature,
  invalidSignature,
  missingAuthentication,
  type SigV4Refusal,
  signatureMismatch,
  tooManyRequests,
  unrecognizedClient,
} from "./sigv4-refusal.js";

export interface SigV4VerifierOptions {
  readonly credentials: SigV4Credentials;
  /** Milliseconds since the epoch; `Date.now` by default. */
  readonly now?: () => number;
  /** How far a request's signing time may be from now, either way: AWS allows 5 minutes. */
  readonly maxSkewMs?: number;
  /** How many signatures the replay memory may hold; past that, requests are asked to slow down. */
  readonly maxRemembered?: number;
}

export interface VerifyOptions {
  /** The signing name the credential scope must name: `lambda`, or `apigateway` for API Gateway v2. */
  readonly service?: string;
}

export interface SigV4Acceptance {
  readonly ok: true;
  readonly accessKeyId: string;
}

export type SigV4Verdict = SigV4Acceptance | SigV4Refusal;

const DEFAULT_MAX_SKEW_MS = 5 * 60_000;
/** Some 15 MB of memory at most, and 300 requests a second for ten minutes. */
const DEFAULT_MAX_REMEMBERED = 100_000;
/** The header that says which hash of the body was signed (the JS SDK sends it; botocore does not). */
const CONTENT_SHA256_HEADER = "x-amz-content-sha256";
/** A session token is what temporary (STS) credentials add; Portico issues none, so none is valid. */
const SECURITY_TOKEN_HEADER = "x-amz-security-token";
const DATE_HEADER = "x-amz-date";
const SIGNATURE_SHAPE = /^[0-9a-f]{64}$/;

/** What the head of a request claims, once it is known to be worth checking against its body. */
interface Claim {
  readonly authorization: SigV4Authorization;
  readonly secret: string;
  readonly signedAt: number;
  readonly headers: ReadonlyMap<string, readonly string[]>;
}

export class SigV4Verifier {
  readonly #credentials: SigV4Credentials;
  readonly #now: () => number;
  readonly #maxSkewMs: number;
  readonly #seen: SeenSignatures;

  constructor(options: SigV4VerifierOptions) {
    const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
    const maxRemembered = options.maxRemembered ?? DEFAULT_MAX_REMEMBERED;
    if (!(maxSkewMs > 0)) throw new RangeError(`maxSkewMs must be above 0, got ${maxSkewMs}`);
    if (!(Number.isInteger(maxRemembered) && maxRemembered > 0)) {
      throw new RangeError(`maxRemembered must be a whole number above 0, got ${maxRemembered}`);
    }
    this.#credentials = options.credentials;
    this.#now = options.now ?? Date.now;
    this.#maxSkewMs = maxSkewMs;
    this.#seen = new SeenSignatures(maxRemembered);
  }

  /**
   * The refusal a request earns from its head alone (no signature, an unknown key, a stale signing
   * time), or undefined: lets a listener refuse before it reads a body. `verify` checks all this again.
   */
  checkHead(request: SignedRequest, options: VerifyOptions = {}): SigV4Refusal | undefined {
    const claim = this.#readHead(request, options);
    return "ok" in claim ? claim : undefined;
  }

  /** Whether `body` and the request's head carry a good signature by one of the credentials held. */
  async verify(request: SignedRequest, body: Uint8Array, options: VerifyOptions = {}): Promise<SigV4Verdict> {
    const claim = this.#readHead(request, options);
    if ("ok" in claim) return claim;
    const { authorization, signedAt } = claim;
    const contentHashRefusal = checkContentHash(claim, body);
    if (contentHashRefusal) return contentHashRefusal;

    const signer = new RecordingSigner({
      credentials: { accessKeyId: authorization.accessKeyId, secretAccessKey: claim.secret },
      region: authorization.scope.region,
      service: authorization.scope.service,
      sha256: Sha256,
      // Sign what was received: no `x-amz-content-sha256` added where the client sent none.
      applyChecksum: false,
    });
    const signed = await signer.sign(
      signableRequest(request, claim.headers, authorization.signedHeaders, body),
      {
        signingDate: new Date(signedAt),
        // Every header the client signed counts, `user-agent` included (some SDKs sign it).
        signableHeaders: new Set(authorization.signedHeaders),
      },
    );
    const expected = Buffer.from(
      /Signature=([0-9a-f]{64})$/.exec(signed.headers.authorization ?? "")?.[1] ?? "",
    );
    const sent = authorization.signature;
    // Both are 64 hex digits when compared, so the comparison's time says nothing about the expected one.
    const matches =
      SIGNATURE_SHAPE.test(sent) &&
      expected.length === sent.length &&
      timingSafeEqual(Buffer.from(sent), expected);
    if (!matches) {
      return signatureMismatch(
        signer.canonicalRequest,
        signer.stringToSign,
        `the signature by access key ${quote(authorization.accessKeyId)} does not match (a wrong secret, or the request changed after it was signed)`,
      );
    }

    const now = this.#now();
    switch (this.#seen.remember(sent, signedAt + this.#maxSkewMs, now)) {
      case "seen":
        // Retried, an AWS SDK signs again (botocore signs only `host` and `x-amz-date`, so the same call
        // made twice in one second has one signature): asked to slow down, it gets through next time.
        return tooManyRequests(
          `a replay: this signature by access key ${quote(authorization.accessKeyId)} was already used (the same request signed twice in one second is one too)`,
        );
      case "full":
        return tooManyRequests(
          `the replay memory is full (signatures are held ${this.#maxSkewMs / 60_000} minutes after their signing time)`,
        );
      case "new":
        return { ok: true, accessKeyId: authorization.accessKeyId };
    }
  }

  /** The claim a request's head makes, or why it is not worth checking against the body. */
  #readHead(request: SignedRequest, options: VerifyOptions): Claim | SigV4Refusal {
    const headers = headerValues(request.rawHeaders);
    const authorizations = headers.get("authorization");
    if (authorizations === undefined) {
      return /[?&]x-amz-signature=/i.test(request.url ?? "")
        ? incompleteSignature(
            "Presigned URLs are not accepted here: sign the request with an Authorization header.",
            "a presigned URL (X-Amz-Signature in the query), which Portico does not accept",
          )
        : missingAuthentication("no Authorization header");
    }
    if (authorizations.length > 1) {
      return incompleteSignature(
        "The request must carry exactly one Authorization header.",
        `${authorizations.length} Authorization headers`,
      );
    }
    const parsed = parseAuthorization(authorizations[0] as string);
    if (isAuthorizationFault(parsed)) return incompleteSignature(parsed.message, parsed.reason);
    const dates = headers.get(DATE_HEADER);
    if (dates?.length !== 1) {
      return incompleteSignature(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        dates === undefined
          ? "no X-Amz-Date header (Portico reads the signing time from X-Amz-Date only)"
          : `${dates.length} X-Amz-Date headers`,
      );
    }
    const amzDate = dates[0] as string;
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined) {
      return incompleteSignature(
        `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
        `X-Amz-Date ${quote(amzDate)} is not YYYYMMDDTHHMMSSZ`,
      );
    }
    const scopeRefusal = checkScope(parsed.scope, amzDate, options.service);
    if (scopeRefusal) return scopeRefusal;
    if (!parsed.signedHeaders.includes("host")) {
      return incompleteSignature(
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        `SignedHeaders ${quote(parsed.signedHeaders.join(";"))} leaves out host`,
      );
    }
    if (headers.has(SECURITY_TOKEN_HEADER)) {
      return unrecognizedClient(
        `a session token (X-Amz-Security-Token) came with access key ${quote(parsed.accessKeyId)}: temporary AWS credentials are not Portico's`,
      );
    }
    const secret = this.#credentials.get(parsed.accessKeyId);
    if (secret === undefined) {
      return unrecognizedClient(`access key ${quote(parsed.accessKeyId)} is not one Portico holds`);
    }
    const skewRefusal = this.#checkSkew(amzDate, signedAt);
    if (skewRefusal) return skewRefusal;
    return { authorization: parsed, secret, signedAt, headers };
  }

  /** AWS's words: `Signature expired: 20150830T120000Z is now earlier than 20150830T120100Z (20150830T120600Z - 5 min.)`. */
  #checkSkew(amzDate: string, signedAt: number): SigV4Refusal | undefined {
    const now = this.#now();
    const minutes = `${this.#maxSkewMs / 60_000} min.`;
    if (signedAt < now - this.#maxSkewMs) {
      return invalidSignature(
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - this.#maxSkewMs)} (${formatAmzDate(now)} - ${minutes})`,
        `signed at ${amzDate}, more than ${minutes} ago (a slow clock, or a replay)`,
      );
    }
    if (signedAt > now + this.#maxSkewMs) {
      return invalidSignature(
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + this.#maxSkewMs)} (${formatAmzDate(now)} + ${minutes})`,
        `signed at ${amzDate}, more than ${minutes} ahead (a fast clock)`,
      );
    }
    return undefined;
  }
}

/** The SDK's signer, keeping what it signed: AWS shows both to a client whose signature does not match. */
class RecordingSigner extends SignatureV4 {
  canonicalRequest = "";
  stringToSign = "";

  protected override createCanonicalRequest(
    request: HttpRequest,
    canonicalHeaders: Record<string, string>,
    payloadHash: string,
  ): string {
    this.canonicalRequest = super.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    return this.canonicalRequest;
  }

  protected override async createStringToSign(
    longDate: string,
    credentialScope: string,
    canonicalRequest: string,
    algorithmIdentifier: string,
  ): Promise<string> {
    this.stringToSign = await super.createStringToSign(
      longDate,
      credentialScope,
      canonicalRequest,
      algorithmIdentifier,
    );
    return this.stringToSign;
  }
}

/** SHA-256 (an HMAC when given a secret) on node:crypto, as the SDK's clients sign on Node.js. */
class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super("sha256", secret);
  }
}

/** The date, and the service when the endpoint knows it, must be the ones the signature was made for. */
function checkScope(
  scope: CredentialScope,
  amzDate: string,
  service: string | undefined,
): SigV4Refusal | undefined {
  if (scope.date !== amzDate.slice(0, 8)) {
    return invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      `the Credential's date ${quote(scope.date)} is not the day of X-Amz-Date ${quote(amzDate)}`,
    );
  }
  if (service !== undefined && scope.service !== service) {
    return invalidSignature(
      `Credential should be scoped to correct service: '${service}'. `,
      `signed for service ${quote(scope.service)}, not ${quote(service)}`,
    );
  }
  return undefined;
}

/**
 * A signed `x-amz-content-sha256` must be the body's: the signer takes the header's word for the hash.
 * `UNSIGNED-PAYLOAD` (S3 over HTTPS) is refused too: the body would go unchecked.
 */
function checkContentHash(claim: Claim, body: Uint8Array): SigV4Refusal | undefined {
  if (!claim.authorization.signedHeaders.includes(CONTENT_SHA256_HEADER)) return undefined;
  const sent = claim.headers.get(CONTENT_SHA256_HEADER)?.join(",");
  if (sent === undefined) return undefined; // Signed but absent: the signature cannot match.
  const actual = createHash("sha256").update(body).digest("hex");
  if (sent === actual) return undefined;
  return invalidSignature(
    `The provided '${CONTENT_SHA256_HEADER}' header does not match what was computed.`,
    sent === "UNSIGNED-PAYLOAD"
      ? `${CONTENT_SHA256_HEADER}: UNSIGNED-PAYLOAD leaves the body unsigned, which Portico does not accept`
      : `${CONTENT_SHA256_HEADER} is not the SHA-256 of the body received (the body changed after it was signed)`,
  );
}
