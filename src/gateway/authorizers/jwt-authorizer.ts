/**
 * An HTTP API JWT authorizer (aws.md §6.3): the token must be signed by one of the issuer's RSA keys, come from
 * `issuer`, be meant for one of `audience` (`aud`, else `client_id`) and be within its `exp`/`nbf`; a route's
 * scopes need one match in `scope`/`scp`. Keys come from the issuer's OpenID discovery document (`jwks_uri`),
 * or from a local JWKS file for working offline. jose refetches the key set when a token names an unknown `kid`.
 */
import { readFileSync } from "node:fs";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import { type AuthorizerResult, claimText, type HttpResponse } from "../../aws/index.js";
import type { JwtAuthorizerSpec } from "../../model/index.js";
import { type Authorization, type Authorizer, type RouteGuard, refused } from "./authorization.js";
import { compileIdentitySource, type IdentityReader } from "./identity-source.js";

/** API Gateway's limits on fetching an issuer's keys (aws.md §6.2). */
const FETCH_TIMEOUT_MS = 1500;
const MAX_DOCUMENT_BYTES = 150_000;
/** API Gateway keeps an issuer's keys for two hours; an unknown `kid` refetches at most this often. */
const KEYS_MAX_AGE_MS = 2 * 60 * 60 * 1000;
const UNKNOWN_KID_COOLDOWN_MS = 1000;
/** API Gateway accepts RSA-signed tokens only. */
const ALGORITHMS = ["RS256", "RS384", "RS512"];
/** Verified tokens remembered, so a client that sends the same token again costs no signature check. */
const MAX_REMEMBERED_TOKENS = 10_000;

interface Verified {
  readonly result: AuthorizerResult & { kind: "jwt" };
  /** The token's scopes, for checking a route's. */
  readonly scopes: ReadonlySet<string>;
  /** Epoch ms after which the token is no longer valid. */
  readonly expiresAt: number;
}

export class JwtAuthorizer implements Authorizer {
  readonly #spec: JwtAuthorizerSpec;
  readonly #identity: IdentityReader;
  readonly #unauthorized: () => HttpResponse;
  readonly #forbidden: () => HttpResponse;
  #keys: Promise<JWTVerifyGetKey> | undefined;
  readonly #verified = new Map<string, Verified>();

  constructor(
    spec: JwtAuthorizerSpec,
    answers: { readonly unauthorized: () => HttpResponse; readonly forbidden: () => HttpResponse },
  ) {
    this.#spec = spec;
    const identity = compileIdentitySource(spec.identitySource);
    if (typeof identity === "string") throw new Error(`authorizer ${spec.name}: ${identity}`);
    this.#identity = identity;
    this.#unauthorized = answers.unauthorized;
    this.#forbidden = answers.forbidden;
    if (spec.jwksFile !== undefined) {
      this.#keys = Promise.resolve(createLocalJWKSet(JSON.parse(readFileSync(spec.jwksFile, "utf8"))));
    }
  }

  /** The guard for a route that asks for `scopes` (any one of them; none asked: any valid token). */
  guard(scopes: readonly string[]): RouteGuard {
    return async (request, route) => {
      const value = this.#identity(request, route);
      if (value === undefined) {
        return this.#invalid(`no token: the identity source ${this.#spec.identitySource} is missing`);
      }
      const token = value.replace(/^bearer +/i, "");
      const remembered = this.#verified.get(token);
      const verified =
        remembered !== undefined && remembered.expiresAt > Date.now()
          ? remembered
          : await this.#verify(token);
      if ("allowed" in verified) return verified;
      if (scopes.length > 0 && !scopes.some((scope) => verified.scopes.has(scope))) {
        return this.#insufficientScope(scopes);
      }
      return { allowed: true, result: verified.result };
    };
  }

  async #verify(token: string): Promise<Verified | (Authorization & { allowed: false })> {
    let keys: JWTVerifyGetKey;
    try {
      this.#keys ??= this.#discoverKeys();
      keys = await this.#keys;
    } catch (error) {
      this.#keys = undefined; // Asked again on the next request.
      const why = `the issuer's keys could not be fetched (${describe(error)})`;
      return this.#invalid(why, `JWT authorizer ${this.#spec.name}: ${why}`);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.#spec.issuer,
        algorithms: ALGORITHMS,
        requiredClaims: ["exp"],
      }));
    } catch (error) {
      return this.#invalid(rejection(error));
    }
    if (!this.#audienceMatches(payload)) return this.#invalid("the token does not have a valid audience");
    const scopes = tokenScopes(payload);
    const claims: Record<string, string> = {};
    for (const [name, value] of Object.entries(payload)) claims[name] = claimText(value);
    const verified: Verified = {
      result: { kind: "jwt", claims, scopes: scopes.length > 0 ? scopes : null },
      scopes: new Set(scopes),
      expiresAt: (payload.exp as number) * 1000,
    };
    if (this.#verified.size >= MAX_REMEMBERED_TOKENS) this.#verified.clear();
    this.#verified.set(token, verified);
    return verified;
  }

  /** `aud` when the token has one (string or list), else `client_id` (Cognito access tokens). */
  #audienceMatches(payload: JWTPayload): boolean {
    const wanted = this.#spec.audience;
    const aud = payload.aud ?? payload.client_id;
    const given = Array.isArray(aud) ? aud : [aud];
    return given.some((entry) => typeof entry === "string" && wanted.includes(entry));
  }

  async #discoverKeys(): Promise<JWTVerifyGetKey> {
    const discovery = `${this.#spec.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    const response = await fetch(discovery, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${discovery} answered ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_DOCUMENT_BYTES) throw new Error(`${discovery} is over ${MAX_DOCUMENT_BYTES} bytes`);
    const jwksUri = (JSON.parse(text) as { jwks_uri?: unknown }).jwks_uri;
    if (typeof jwksUri !== "string") throw new Error(`${discovery} has no jwks_uri`);
    return createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cooldownDuration: UNKNOWN_KID_COOLDOWN_MS,
      cacheMaxAge: KEYS_MAX_AGE_MS,
    });
  }

  #invalid(description: string, problem?: string): Authorization & { allowed: false } {
    const answer = this.#unauthorized();
    const header = challenge("", "invalid_token", description);
    return refused({ ...answer, headers: [...answer.headers, ["www-authenticate", header]] }, problem);
  }

  #insufficientScope(scopes: readonly string[]): Authorization {
    const answer = this.#forbidden();
    const description = "the token does not have any of the route's authorization scopes";
    const header = challenge(scopes.join(" "), "insufficient_scope", description);
    return refused({ ...answer, headers: [...answer.headers, ["www-authenticate", header]] });
  }
}

/** `scope` (space-separated) or `scp` (a list, or space-separated). */
function tokenScopes(payload: JWTPayload): string[] {
  const given = payload.scope ?? payload.scp;
  if (typeof given === "string") return given.split(" ").filter((scope) => scope !== "");
  if (Array.isArray(given)) return given.filter((scope): scope is string => typeof scope === "string");
  return [];
}

/** The `www-authenticate` value API Gateway sends (captured in its troubleshooting guide). */
function challenge(scope: string, error: string, description: string): string {
  return `Bearer scope="${scope}" error="${error}" error_description="${description.replace(/["\\]/g, "")}"`;
}

/** Why jose refused a token, in API Gateway's lower-case wording. */
function rejection(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "the token does not have a valid issuer";
    if (error.claim === "nbf") return "the token is not valid yet";
    if (error.claim === "exp") return "the token has no expiry";
    return `the token's ${error.claim} claim is invalid`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return "no key of the issuer matches the token's kid";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature is invalid";
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's signing algorithm is not RSA";
  if (error instanceof errors.JWKSTimeout) return "the issuer's keys could not be fetched in time";
  return "the token is malformed";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
