/**
 * What a Lambda authorizer answered, read as API Gateway reads it: a simple response (`isAuthorized`, HTTP APIs
 * with payload 2.0 and simple responses on) or an IAM policy, whose statements are matched against the ARN of
 * each request it is applied to (a cached policy is applied to later requests, on other routes too, as on AWS).
 */

type Json = Record<string, unknown>;

/** Context values API Gateway passes on: REST APIs only strings, numbers and booleans. */
export type AuthorizerContext = Readonly<Record<string, unknown>>;

export type AuthorizerDecision =
  | { readonly kind: "simple"; readonly allowed: boolean; readonly context: AuthorizerContext | null }
  | {
      readonly kind: "policy";
      readonly principalId: string | undefined;
      readonly statements: readonly PolicyStatement[];
      readonly context: AuthorizerContext | null;
    };

export interface PolicyStatement {
  readonly allow: boolean;
  /** Resource patterns compiled from ARNs with `*` and `?` wildcards. */
  readonly resources: readonly RegExp[];
}

/** Why a response is not one API Gateway accepts: the gateway then answers 500 and logs this. */
export type ReadDecision =
  | { readonly ok: true; readonly decision: AuthorizerDecision }
  | {
      readonly ok: false;
      readonly reason: string;
    };

/**
 * Reads the function's response. `simpleResponses`: a 2.0 authorizer that answers `{isAuthorized}`. `restRules`:
 * REST requires a `principalId` and only primitive context values.
 */
export function readAuthorizerResponse(
  payload: Buffer,
  options: { readonly simpleResponses: boolean; readonly restRules: boolean },
): ReadDecision {
  let response: unknown;
  try {
    response = JSON.parse(payload.toString("utf8"));
  } catch {
    return { ok: false, reason: "the response is not JSON" };
  }
  if (!isObject(response)) return { ok: false, reason: "the response is not a JSON object" };
  const context = readContext(response.context, options.restRules);
  if (typeof context === "string") return { ok: false, reason: context };
  if (options.simpleResponses) {
    if (typeof response.isAuthorized !== "boolean") {
      return { ok: false, reason: "a simple response needs `isAuthorized`: true or false" };
    }
    return { ok: true, decision: { kind: "simple", allowed: response.isAuthorized, context } };
  }
  const principalId = response.principalId;
  if (principalId !== undefined && typeof principalId !== "string") {
    return { ok: false, reason: "`principalId` is not a string" };
  }
  if (options.restRules && principalId === undefined) {
    return { ok: false, reason: "the response has no `principalId`" };
  }
  const statements = readPolicy(response.policyDocument);
  if (typeof statements === "string") return { ok: false, reason: statements };
  return { ok: true, decision: { kind: "policy", principalId, statements, context } };
}

/** Allowed, denied by an explicit Deny, or denied because no Allow statement matches `arn`. */
export type PolicyVerdict = "allow" | "explicit-deny" | "no-allow";

export function evaluatePolicy(statements: readonly PolicyStatement[], arn: string): PolicyVerdict {
  let allowed = false;
  for (const statement of statements) {
    if (!statement.resources.some((pattern) => pattern.test(arn))) continue;
    if (!statement.allow) return "explicit-deny";
    allowed = true;
  }
  return allowed ? "allow" : "no-allow";
}

function readContext(value: unknown, restRules: boolean): AuthorizerContext | null | string {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) return "`context` is not a JSON object";
  if (restRules) {
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry === "object" && entry !== null) {
        return `\`context.${key}\` is an object or array: a REST API's authorizer context holds only strings, numbers and booleans`;
      }
    }
  }
  return value;
}

function readPolicy(document: unknown): PolicyStatement[] | string {
  if (!isObject(document))
    return "the response has no `policyDocument` (nor `isAuthorized` with simple responses)";
  const statements = document.Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  const read: PolicyStatement[] = [];
  for (const statement of list) {
    if (!isObject(statement)) return "`policyDocument.Statement` is not a statement or a list of them";
    const { Effect: effect, Action: action, Resource: resource } = statement;
    if (effect !== "Allow" && effect !== "Deny") return "a statement's `Effect` is not Allow or Deny";
    // Statements about other actions do not govern invoking the API.
    if (!asList(action).some((name) => typeof name === "string" && invokesApi(name))) continue;
    const resources = asList(resource);
    if (resources.some((arn) => typeof arn !== "string"))
      return "a statement's `Resource` is not a string or list";
    read.push({ allow: effect === "Allow", resources: (resources as string[]).map(arnPattern) });
  }
  return read;
}

function invokesApi(action: string): boolean {
  return action === "*" || /^execute-api:(Invoke|\*)$/i.test(action);
}

/** IAM's wildcards: `*` any run of characters, `?` one character; everything else literal. */
function arnPattern(arn: string): RegExp {
  const escaped = arn
    .replace(/[.+^${}()|[\]\\/]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
