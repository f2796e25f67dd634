/**
 * `requestContext.authorizer` as each event format carries what an authorizer learnt (aws.md §2, §3; captured in
 * test/fixtures/aws/events-v2/ and events-rest/): 2.0 nests it under `jwt` or `lambda`; 1.0 and REST spread it.
 */
import type { AuthorizerContext } from "./authorizer-response.js";

export type AuthorizerResult =
  | {
      readonly kind: "jwt";
      /** Every claim as a string, as API Gateway passes them (captured: `exp` is `"1718722804"`). */
      readonly claims: Readonly<Record<string, string>>;
      /** The token's scopes, or null when it has none. */
      readonly scopes: readonly string[] | null;
    }
  | {
      readonly kind: "lambda";
      readonly principalId: string | undefined;
      readonly context: AuthorizerContext | null;
      /** Milliseconds the authorizer took; 0 when its result came from the cache. */
      readonly latencyMs: number;
    };

export type AuthorizerShape = (result: AuthorizerResult) => Readonly<Record<string, unknown>>;

/** Payload 2.0: `{jwt: {claims, scopes}}` or `{lambda: context}` (`{lambda: null}` without one, captured). */
export const authorizerShapeV2: AuthorizerShape = (result) =>
  result.kind === "jwt"
    ? { jwt: { claims: result.claims, scopes: result.scopes } }
    : { lambda: result.context ?? null };

/**
 * Payload 1.0 and REST: the JWT's `{claims, scopes}`, or the Lambda authorizer's context spread beside
 * `principalId` and `integrationLatency` (captured REST: `{principalId, integrationLatency}`).
 */
export const authorizerShapeV1: AuthorizerShape = (result) => {
  if (result.kind === "jwt") return { claims: result.claims, scopes: result.scopes };
  const shaped: Record<string, unknown> = { ...result.context };
  if (result.principalId !== undefined) shaped.principalId = result.principalId;
  shaped.integrationLatency = result.latencyMs;
  return shaped;
};

/** A JWT claim as API Gateway renders it: text as is, numbers and booleans as text, lists as `[a b]`. */
export function claimText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(claimText).join(" ")}]`;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
