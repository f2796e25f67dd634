/**
 * An OpenAPI document's security schemes (`components.securitySchemes`, Swagger 2 `securityDefinitions`) as API
 * Gateway reads them: `x-amazon-apigateway-authorizer` (JWT, Lambda `request` / `token`, Cognito) and
 * `x-amazon-apigateway-authtype` (`awsSigv4` is IAM). An `apiKey` scheme without either is REST's API key.
 */
import type { AuthorizerSpec, LambdaAuthorizerSpec, PayloadFormat } from "../model/index.js";
import { describeValue } from "./field-schemas.js";
import {
  type DefinitionSink,
  isMapping,
  type Path,
  stringList,
  unservedReason,
  wholeNumberAt,
} from "./openapi-sink.js";
import { intrinsicName } from "./sam-intrinsics.js";

/**
 * What a scheme is: an authorizer routes can name, an API key requirement (not an authorizer), or one whose
 * problems were reported (routes naming it add none).
 */
export type SecurityScheme =
  | { readonly kind: "authorizer"; readonly spec: AuthorizerSpec }
  | { readonly kind: "apiKey" }
  | { readonly kind: "invalid" };

const AUTHORIZER = "x-amazon-apigateway-authorizer";
const AUTHTYPE = "x-amazon-apigateway-authtype";

/** Seconds a REST Lambda authorizer's result is cached when nothing says (API Gateway's default). */
export const REST_AUTHORIZER_TTL_SECONDS = 300;
/** An HTTP API Lambda authorizer without `authorizerResultTtlInSeconds` caches nothing. */
export const HTTP_AUTHORIZER_TTL_SECONDS = 0;
export const DEFAULT_IDENTITY_HEADER = "Authorization";
export const API_KEY_WARNING =
  "API keys are not checked locally: routes that require one are served without it (as sam local serves them); API Gateway answers 403 without a key";

const IDENTITY_PREFIXES = {
  http: ["$request.header.", "$request.querystring.", "$context.", "$stageVariables."],
  rest: ["method.request.header.", "method.request.querystring.", "context.", "stageVariables."],
} as const;

export function readSecuritySchemes(
  schemes: unknown,
  at: Path,
  sink: DefinitionSink,
): Map<string, SecurityScheme> {
  const read = new Map<string, SecurityScheme>();
  if (schemes === undefined) return read;
  if (!isMapping(schemes)) {
    sink.error(at, `must be a mapping of security scheme names to schemes, got ${describeValue(schemes)}`);
    return read;
  }
  for (const [name, scheme] of Object.entries(schemes)) {
    read.set(name, readScheme(name, scheme, [...at, name], sink) ?? { kind: "invalid" });
  }
  return read;
}

function readScheme(
  name: string,
  scheme: unknown,
  at: Path,
  sink: DefinitionSink,
): SecurityScheme | undefined {
  if (!isMapping(scheme)) {
    sink.error(at, `must be a security scheme (a mapping), got ${describeValue(scheme)}`);
    return undefined;
  }
  const authorizer = scheme[AUTHORIZER];
  const authtype = typeof scheme[AUTHTYPE] === "string" ? (scheme[AUTHTYPE] as string) : undefined;
  if (authorizer === undefined) {
    if (authtype?.toLowerCase() === "awssigv4") return unserved(name, "AWS_IAM", [...at, AUTHTYPE], sink);
    if (authtype === undefined && scheme.type === "apiKey") {
      sink.warn(at, API_KEY_WARNING);
      return { kind: "apiKey" };
    }
    const kind = authtype?.toLowerCase() === "cognito_user_pools" ? "COGNITO_USER_POOLS" : authtype;
    return unserved(name, kind ?? String(scheme.type ?? "unknown"), at, sink);
  }
  if (!isMapping(authorizer)) {
    sink.error([...at, AUTHORIZER], `must be a mapping, got ${describeValue(authorizer)}`);
    return undefined;
  }
  const type = String(authorizer.type ?? "").toLowerCase();
  const where = [...at, AUTHORIZER];
  if (type === "jwt" && sink.kind === "http") return jwtScheme(name, authorizer, where, sink);
  if (type === "request" || (type === "token" && sink.kind === "rest")) {
    return lambdaScheme(name, scheme, authorizer, type === "token" ? "TOKEN" : "REQUEST", where, sink);
  }
  const kind = type === "cognito_user_pools" ? "COGNITO_USER_POOLS" : type || "unknown";
  return unserved(name, kind, where, sink);
}

function unserved(name: string, kind: string, at: Path, sink: DefinitionSink, why?: string): SecurityScheme {
  sink.warn(at, unservedReason(kind, why));
  return { kind: "authorizer", spec: { name, type: "unserved", kind, declaredAt: sink.where(at) } };
}

function jwtScheme(
  name: string,
  authorizer: Record<string, unknown>,
  at: Path,
  sink: DefinitionSink,
): SecurityScheme | undefined {
  const config = authorizer.jwtConfiguration;
  const issuer = isMapping(config) ? config.issuer : undefined;
  const audience = isMapping(config) ? config.audience : undefined;
  const identity = identitySources(authorizer.identitySource, [...at, "identitySource"], sink);
  const spec = jwtSpec(name, issuer, audience, identity, [...at, "jwtConfiguration"], sink);
  return spec === undefined ? undefined : { kind: "authorizer", spec };
}

/** A JWT authorizer's spec from its issuer, audience and identity sources, or undefined after reporting. */
export function jwtSpec(
  name: string,
  issuer: unknown,
  rawAudience: unknown,
  identity: readonly string[] | undefined,
  at: Path,
  sink: DefinitionSink,
): AuthorizerSpec | undefined {
  // `!GetAtt UserPool.ProviderURL`, `!Ref UserPoolClient`: known only once deployed. Refused, never open.
  const unresolved = [issuer, ...(Array.isArray(rawAudience) ? rawAudience : [rawAudience])].find(
    (value) => intrinsicName(value) !== undefined,
  );
  if (unresolved !== undefined) {
    const why = `its ${unresolved === issuer ? "issuer" : "audience"} ${describeValue(unresolved)}`;
    sink.warn(at, unservedReason("JWT", why));
    return { name, type: "unserved", kind: "JWT", declaredAt: sink.where(at) };
  }
  const audience = stringList(rawAudience);
  let ok = true;
  if (typeof issuer !== "string" || !/^https?:\/\//.test(issuer)) {
    sink.error([...at, "issuer"], `must be the issuer's URL (https://...), got ${describeValue(issuer)}`);
    ok = false;
  }
  if (audience === undefined || audience.length === 0) {
    sink.error([...at, "audience"], `must be a list of audiences, got ${describeValue(audience)}`);
    ok = false;
  }
  if (identity !== undefined && identity.length > 1) {
    sink.warn(at, `a JWT authorizer reads one identity source; \`${identity[0]}\` is used`);
  }
  if (!ok) return undefined;
  return {
    name,
    type: "jwt",
    identitySource: identity?.[0] ?? `$request.header.${DEFAULT_IDENTITY_HEADER}`,
    issuer: issuer as string,
    audience: audience as string[],
  };
}

function lambdaScheme(
  name: string,
  scheme: Record<string, unknown>,
  authorizer: Record<string, unknown>,
  requestType: "TOKEN" | "REQUEST",
  at: Path,
  sink: DefinitionSink,
): SecurityScheme | undefined {
  const target = sink.functionOf(authorizer.authorizerUri);
  if ("problem" in target && target.error === true) {
    sink.error([...at, "authorizerUri"], target.problem);
    return undefined;
  }
  if ("problem" in target) {
    return unserved(name, "Lambda authorizer", [...at, "authorizerUri"], sink, target.problem);
  }
  // A TOKEN authorizer reads the header the scheme names, unless `identitySource` says otherwise.
  const header = typeof scheme.name === "string" ? scheme.name : DEFAULT_IDENTITY_HEADER;
  const identity =
    identitySources(authorizer.identitySource, [...at, "identitySource"], sink) ??
    (requestType === "TOKEN" ? [`method.request.header.${header}`] : []);
  const spec = lambdaSpec(
    {
      name,
      functionName: target.name,
      requestType,
      payloadFormat: authorizer.authorizerPayloadFormatVersion,
      simpleResponses: authorizer.enableSimpleResponses,
      identitySources: identity,
      resultTtlSeconds: authorizer.authorizerResultTtlInSeconds,
      validationExpression: authorizer.identityValidationExpression,
    },
    {
      payloadFormat: [...at, "authorizerPayloadFormatVersion"],
      simpleResponses: [...at, "enableSimpleResponses"],
      identitySources: [...at, "identitySource"],
      resultTtlSeconds: [...at, "authorizerResultTtlInSeconds"],
      validationExpression: [...at, "identityValidationExpression"],
    },
    sink,
  );
  return spec === undefined ? undefined : { kind: "authorizer", spec };
}

/** A Lambda authorizer's settings as written, before checking. */
export interface LambdaDraft {
  readonly name: string;
  readonly functionName: string;
  readonly requestType: "TOKEN" | "REQUEST";
  readonly payloadFormat: unknown;
  readonly simpleResponses: unknown;
  readonly identitySources: readonly string[];
  readonly resultTtlSeconds: unknown;
  readonly validationExpression: unknown;
}

/**
 * Checks a Lambda authorizer and fills API Gateway's defaults: REST authorizers use payload 1.0 and cache 300 s;
 * HTTP ones must say their payload format and cache nothing unless told. Undefined after reporting a problem.
 */
export function lambdaSpec(
  draft: LambdaDraft,
  at: Readonly<
    Record<
      "payloadFormat" | "simpleResponses" | "identitySources" | "resultTtlSeconds" | "validationExpression",
      Path
    >
  >,
  sink: DefinitionSink,
): LambdaAuthorizerSpec | undefined {
  let ok = true;
  let payloadFormat: PayloadFormat = "1.0";
  if (sink.kind === "http") {
    const text =
      typeof draft.payloadFormat === "number" ? draft.payloadFormat.toFixed(1) : draft.payloadFormat;
    if (text === "1.0" || text === "2.0") payloadFormat = text;
    else {
      const reason =
        draft.payloadFormat === undefined
          ? 'is required for an HTTP API Lambda authorizer: "1.0" or "2.0"'
          : `must be "1.0" or "2.0", got ${describeValue(draft.payloadFormat)}`;
      sink.error(at.payloadFormat, reason);
      ok = false;
    }
  }
  if (draft.simpleResponses !== undefined && typeof draft.simpleResponses !== "boolean") {
    sink.error(at.simpleResponses, `must be true or false, got ${describeValue(draft.simpleResponses)}`);
    ok = false;
  }
  const simpleResponses = draft.simpleResponses === true;
  if (simpleResponses && (sink.kind === "rest" || payloadFormat !== "2.0")) {
    sink.error(at.simpleResponses, "simple responses need an HTTP API authorizer with payload format 2.0");
    ok = false;
  }
  for (const source of draft.identitySources) {
    if (
      !IDENTITY_PREFIXES[sink.kind].some(
        (prefix) => source.startsWith(prefix) && source.length > prefix.length,
      )
    ) {
      sink.error(
        at.identitySources,
        `has \`${source}\`, which is not an identity source of ${sink.kind === "http" ? "an HTTP" : "a REST"} API (${IDENTITY_PREFIXES[sink.kind].map((prefix) => `${prefix}NAME`).join(", ")})`,
      );
      ok = false;
    }
  }
  const defaultTtl = sink.kind === "rest" ? REST_AUTHORIZER_TTL_SECONDS : HTTP_AUTHORIZER_TTL_SECONDS;
  const ttl =
    draft.resultTtlSeconds === undefined
      ? defaultTtl
      : wholeNumberAt(
          sink,
          at.resultTtlSeconds,
          draft.resultTtlSeconds,
          "a whole number of seconds",
          0,
          3600,
        );
  if (ttl === undefined) ok = false;
  else if (ttl > 0 && draft.identitySources.length === 0) {
    sink.error(
      at.identitySources,
      `is required when results are cached (a TTL of ${ttl} s): name the header, query string, context or stage variable that identifies the caller, or cache for 0 s`,
    );
    ok = false;
  }
  const expression = draft.validationExpression;
  if (expression !== undefined) {
    if (typeof expression !== "string" || draft.requestType !== "TOKEN") {
      sink.error(at.validationExpression, "applies only to a REST TOKEN authorizer, as a regular expression");
      ok = false;
    } else if (!isRegExp(expression)) {
      sink.error(at.validationExpression, `is not a valid regular expression: ${describeValue(expression)}`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  return {
    name: draft.name,
    type: "lambda",
    functionName: draft.functionName,
    requestType: draft.requestType,
    payloadFormat,
    simpleResponses,
    identitySources: draft.identitySources,
    resultTtlSeconds: ttl as number,
    ...(typeof expression === "string" ? { validationExpression: expression } : {}),
  };
}

/** `identitySource` as a list: a comma-separated string, or a list (as SAM writes it for HTTP APIs). */
function identitySources(value: unknown, at: Path, sink: DefinitionSink): string[] | undefined {
  if (value === undefined) return undefined;
  const list = stringList(value);
  if (list === undefined)
    sink.error(at, `must be a comma-separated string of identity sources, got ${describeValue(value)}`);
  return list;
}

function isRegExp(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}
