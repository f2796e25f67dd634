/**
 * SAM `Auth` on `AWS::Serverless::HttpApi` and `AWS::Serverless::Api` (and their Globals): the authorizers, the
 * default one, and each event's `Auth`, as SAM writes them into the API's OpenAPI document. JWT and Lambda
 * authorizers are served; IAM and Cognito user pools cannot be checked locally, so their routes are refused.
 */
import type { AuthorizerSpec } from "../model/index.js";
import { describeValue } from "./field-schemas.js";
import { didYouMean } from "./near-miss.js";
import { API_KEY_WARNING, DEFAULT_IDENTITY_HEADER, jwtSpec, lambdaSpec } from "./openapi-authorizers.js";
import type { RouteAuthChoice } from "./openapi-definition.js";
import { type DefinitionSink, isMapping, type Path, stringList, unservedReason } from "./openapi-sink.js";

export const IAM_AUTHORIZER = "AWS_IAM";
const NO_AUTHORIZER = "NONE";

export interface SamAuth {
  readonly authorizers: ReadonlyMap<string, AuthorizerSpec>;
  /** Each authorizer's own `AuthorizationScopes`, which routes it guards ask for unless the event says others. */
  readonly scopes: ReadonlyMap<string, readonly string[]>;
  readonly defaultAuthorizer?: string;
  /** Every name `Authorizers` declares, including those whose problems were reported. */
  readonly declared: ReadonlySet<string>;
  /** REST `AddDefaultAuthorizerToCorsPreflight` (default true); HTTP APIs never guard OPTIONS by default. */
  readonly defaultGuardsOptions: boolean;
}

/** The keys SAM accepts in each `Auth` mapping; it refuses others, and so does Portico. */
const AUTH_KEYS = {
  http: ["Authorizers", "DefaultAuthorizer", "EnableIamAuthorizer"],
  rest: [
    "Authorizers",
    "DefaultAuthorizer",
    "InvokeRole",
    "AddDefaultAuthorizerToCorsPreflight",
    "AddApiKeyRequiredToCorsPreflight",
    "ApiKeyRequired",
    "ResourcePolicy",
    "UsagePlan",
    "DisableFunctionDefaultPermissions",
  ],
} as const;
const EVENT_AUTH_KEYS = {
  http: ["Authorizer", "AuthorizationScopes"],
  rest: [
    "Authorizer",
    "AuthorizationScopes",
    "ApiKeyRequired",
    "InvokeRole",
    "ResourcePolicy",
    "OverrideApiAuth",
  ],
} as const;
const AUTHORIZER_KEYS = {
  http: [
    "JwtConfiguration",
    "IdentitySource",
    "AuthorizationScopes",
    "FunctionArn",
    "FunctionInvokeRole",
    "Identity",
    "AuthorizerPayloadFormatVersion",
    "EnableSimpleResponses",
    "EnableFunctionDefaultPermissions",
  ],
  rest: [
    "UserPoolArn",
    "FunctionArn",
    "FunctionPayloadType",
    "FunctionInvokeRole",
    "Identity",
    "AuthorizationScopes",
    "DisableFunctionDefaultPermissions",
  ],
} as const;

const IDENTITY_PREFIXES = {
  http: {
    Headers: "$request.header.",
    QueryStrings: "$request.querystring.",
    StageVariables: "$stageVariables.",
    Context: "$context.",
  },
  rest: {
    Headers: "method.request.header.",
    QueryStrings: "method.request.querystring.",
    StageVariables: "stageVariables.",
    Context: "context.",
  },
} as const;

/** Reads an API's `Auth` (`at` is its path, e.g. `["Auth"]`); problems go to `sink`. */
export function readSamAuth(auth: unknown, at: Path, sink: DefinitionSink): SamAuth {
  const authorizers = new Map<string, AuthorizerSpec>();
  const scopes = new Map<string, readonly string[]>();
  const declaredNames = new Set<string>();
  const none: SamAuth = {
    authorizers,
    scopes,
    declared: declaredNames,
    defaultGuardsOptions: sink.kind === "rest",
  };
  if (auth === undefined) return none;
  if (!isMapping(auth)) {
    sink.error(at, `must be a mapping (Authorizers, DefaultAuthorizer, ...), got ${describeValue(auth)}`);
    return none;
  }
  unknownKeys(auth, AUTH_KEYS[sink.kind], at, sink);
  const declared = auth.Authorizers ?? {};
  if (!isMapping(declared)) {
    sink.error(
      [...at, "Authorizers"],
      `must be a mapping of authorizer names to authorizers, got ${describeValue(declared)}`,
    );
  } else {
    for (const [name, authorizer] of Object.entries(declared)) {
      declaredNames.add(name);
      const where = [...at, "Authorizers", name];
      const spec = readAuthorizer(name, authorizer, where, sink);
      if (spec !== undefined) authorizers.set(name, spec);
      const own = isMapping(authorizer) ? authorizer.AuthorizationScopes : undefined;
      const list = stringList(own);
      if (own !== undefined && (list === undefined || typeof own === "string")) {
        sink.error([...where, "AuthorizationScopes"], `must be a list of scopes, got ${describeValue(own)}`);
      } else if (list !== undefined && list.length > 0) scopes.set(name, list);
    }
  }
  warnUnserved(auth, at, sink);
  const guardsOptions = auth.AddDefaultAuthorizerToCorsPreflight;
  const defaultGuardsOptions = sink.kind === "rest" && guardsOptions !== false;
  const fallback = auth.DefaultAuthorizer;
  if (fallback === undefined) return { authorizers, scopes, declared: declaredNames, defaultGuardsOptions };
  const defaultAuthorizer = authorizerName(
    fallback,
    [...at, "DefaultAuthorizer"],
    authorizers,
    declaredNames,
    sink,
  );
  return {
    authorizers,
    scopes,
    declared: declaredNames,
    defaultGuardsOptions,
    ...(defaultAuthorizer === undefined || defaultAuthorizer === NO_AUTHORIZER ? {} : { defaultAuthorizer }),
  };
}

/**
 * An event's `Auth` → the route's authorizer: `Authorizer` names one of the API's (or `NONE`, or `AWS_IAM`), with
 * `AuthorizationScopes` replacing the authorizer's own. Undefined: the event says nothing, so the default applies.
 */
export function readEventAuth(
  auth: unknown,
  at: Path,
  api: SamAuth,
  sink: DefinitionSink,
  /** Adds an authorizer the event declares by naming it (`AWS_IAM`) to the API. */
  declare: (spec: AuthorizerSpec) => void,
): RouteAuthChoice | undefined {
  if (auth === undefined) return undefined;
  if (!isMapping(auth)) {
    sink.error(at, `must be a mapping (Authorizer, AuthorizationScopes, ...), got ${describeValue(auth)}`);
    return undefined;
  }
  unknownKeys(auth, EVENT_AUTH_KEYS[sink.kind], at, sink);
  warnUnserved(auth, at, sink);
  const scopes = stringList(auth.AuthorizationScopes);
  if (
    auth.AuthorizationScopes !== undefined &&
    (scopes === undefined || typeof auth.AuthorizationScopes === "string")
  ) {
    sink.error(
      [...at, "AuthorizationScopes"],
      `must be a list of scopes, got ${describeValue(auth.AuthorizationScopes)}`,
    );
  }
  if (auth.Authorizer === undefined) {
    if (scopes === undefined || api.defaultAuthorizer === undefined) return undefined;
    return { authorizer: api.defaultAuthorizer, scopes };
  }
  const known = new Map(api.authorizers);
  const name = authorizerName(auth.Authorizer, [...at, "Authorizer"], known, api.declared, sink);
  const iam = known.get(IAM_AUTHORIZER);
  if (name === IAM_AUTHORIZER && iam !== undefined && !api.authorizers.has(IAM_AUTHORIZER)) declare(iam);
  if (name === undefined || name === NO_AUTHORIZER) return {};
  const chosen = scopes !== undefined && scopes.length > 0 ? scopes : api.scopes.get(name);
  return chosen === undefined ? { authorizer: name } : { authorizer: name, scopes: chosen };
}

/**
 * A name of `known`, `NONE`, or `AWS_IAM` (added to `known` as unserved); undefined after reporting, or for a
 * `declared` authorizer whose own problems were reported.
 */
function authorizerName(
  value: unknown,
  at: Path,
  known: Map<string, AuthorizerSpec>,
  declared: ReadonlySet<string>,
  sink: DefinitionSink,
): string | undefined {
  if (typeof value !== "string") {
    sink.error(
      at,
      `must be the name of an authorizer of the API, NONE or AWS_IAM, got ${describeValue(value)}`,
    );
    return undefined;
  }
  if (value === NO_AUTHORIZER || known.has(value)) return value;
  if (value === IAM_AUTHORIZER) {
    sink.warn(at, unservedReason(IAM_AUTHORIZER));
    known.set(value, { name: value, type: "unserved", kind: IAM_AUTHORIZER, declaredAt: sink.where(at) });
    return value;
  }
  if (declared.has(value)) return undefined;
  const names = [...declared];
  sink.error(
    at,
    `names no authorizer of the API (${names.length === 0 ? "its Auth declares none" : `known: ${names.join(", ")}`}); use one of its Auth.Authorizers, NONE or AWS_IAM`,
  );
  return undefined;
}

function readAuthorizer(
  name: string,
  authorizer: unknown,
  at: Path,
  sink: DefinitionSink,
): AuthorizerSpec | undefined {
  if (!isMapping(authorizer)) {
    sink.error(at, `must be an authorizer (a mapping), got ${describeValue(authorizer)}`);
    return undefined;
  }
  if (!unknownKeys(authorizer, AUTHORIZER_KEYS[sink.kind], at, sink)) return undefined;
  if (sink.kind === "http" && authorizer.JwtConfiguration !== undefined)
    return httpJwt(name, authorizer, at, sink);
  if (sink.kind === "rest" && authorizer.UserPoolArn !== undefined) {
    const kind = "COGNITO_USER_POOLS";
    sink.warn(
      [...at, "UserPoolArn"],
      unservedReason(kind, "Portico cannot check Cognito user pool tokens locally"),
    );
    return { name, type: "unserved", kind, declaredAt: sink.where([...at, "UserPoolArn"]) };
  }
  if (authorizer.FunctionArn !== undefined) return lambda(name, authorizer, at, sink);
  const what =
    sink.kind === "http"
      ? "JwtConfiguration (a JWT authorizer) or FunctionArn (a Lambda authorizer)"
      : "FunctionArn (a Lambda authorizer) or UserPoolArn (Cognito)";
  sink.error(at, `must have ${what}`);
  return undefined;
}

function httpJwt(
  name: string,
  authorizer: Record<string, unknown>,
  at: Path,
  sink: DefinitionSink,
): AuthorizerSpec | undefined {
  const config = authorizer.JwtConfiguration;
  if (!isMapping(config)) {
    sink.error(
      [...at, "JwtConfiguration"],
      `must be a mapping with issuer and audience, got ${describeValue(config)}`,
    );
    return undefined;
  }
  // SAM lower-cases the keys: `Issuer` and `issuer` both work.
  const lower = Object.fromEntries(Object.entries(config).map(([key, value]) => [key.toLowerCase(), value]));
  const audience = lower.audience;
  const identity = authorizer.IdentitySource;
  if (identity !== undefined && typeof identity !== "string") {
    sink.error(
      [...at, "IdentitySource"],
      `must be a selection expression such as $request.header.Authorization, got ${describeValue(identity)}`,
    );
    return undefined;
  }
  if (typeof identity === "string" && !identity.startsWith("$")) {
    sink.error(
      [...at, "IdentitySource"],
      `must be a selection expression such as $request.header.Authorization, got ${describeValue(identity)}`,
    );
    return undefined;
  }
  return jwtSpec(
    name,
    lower.issuer,
    audience,
    identity === undefined ? undefined : [identity],
    [...at, "JwtConfiguration"],
    sink,
  );
}

function lambda(
  name: string,
  authorizer: Record<string, unknown>,
  at: Path,
  sink: DefinitionSink,
): AuthorizerSpec | undefined {
  const target = sink.functionOf(authorizer.FunctionArn);
  if ("problem" in target) {
    const kind = "Lambda authorizer";
    sink.warn([...at, "FunctionArn"], unservedReason(kind, target.problem));
    return { name, type: "unserved", kind, declaredAt: sink.where([...at, "FunctionArn"]) };
  }
  const identity = authorizer.Identity ?? {};
  if (!isMapping(identity)) {
    sink.error(
      [...at, "Identity"],
      `must be a mapping (Headers, QueryStrings, ReauthorizeEvery, ...), got ${describeValue(identity)}`,
    );
    return undefined;
  }
  const requestType =
    sink.kind === "http"
      ? "REQUEST"
      : readPayloadType(authorizer.FunctionPayloadType, [...at, "FunctionPayloadType"], sink);
  if (requestType === undefined) return undefined;
  const sources: string[] = [];
  if (requestType === "TOKEN") {
    const header = identity.Header ?? DEFAULT_IDENTITY_HEADER;
    sources.push(`method.request.header.${String(header)}`);
  } else {
    for (const [key, prefix] of Object.entries(IDENTITY_PREFIXES[sink.kind])) {
      const value = identity[key];
      if (value === undefined) continue;
      const list = stringList(value);
      if (list === undefined || typeof value === "string") {
        sink.error([...at, "Identity", key], `must be a list of names, got ${describeValue(value)}`);
        return undefined;
      }
      sources.push(...list.map((item) => prefix + item));
    }
  }
  // HTTP APIs: AuthorizerPayloadFormatVersion (FunctionPayloadType is REST's name; SAM reads the former).
  const payloadFormat = authorizer.AuthorizerPayloadFormatVersion;
  return lambdaSpec(
    {
      name,
      functionName: target.name,
      requestType,
      payloadFormat,
      simpleResponses: authorizer.EnableSimpleResponses,
      identitySources: sources,
      resultTtlSeconds: identity.ReauthorizeEvery,
      validationExpression: requestType === "TOKEN" ? identity.ValidationExpression : undefined,
    },
    {
      payloadFormat: [...at, "AuthorizerPayloadFormatVersion"],
      simpleResponses: [...at, "EnableSimpleResponses"],
      identitySources: [...at, "Identity"],
      resultTtlSeconds: [...at, "Identity", "ReauthorizeEvery"],
      validationExpression: [...at, "Identity", "ValidationExpression"],
    },
    sink,
  );
}

function readPayloadType(value: unknown, at: Path, sink: DefinitionSink): "TOKEN" | "REQUEST" | undefined {
  if (value === undefined || value === "TOKEN") return "TOKEN";
  if (value === "REQUEST") return "REQUEST";
  sink.error(at, `must be TOKEN or REQUEST, got ${describeValue(value)}`);
  return undefined;
}

/** Reports each key of `value` not in `known`, with the likely one meant; true when there is none. */
function unknownKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  at: Path,
  sink: DefinitionSink,
): boolean {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  for (const key of unknown) {
    const hint = didYouMean(key, known);
    sink.error(
      [...at, key],
      hint === undefined ? `unknown key; expected one of ${known.join(", ")}` : "unknown key",
      hint,
    );
  }
  return unknown.length === 0;
}

/** What `Auth` may say that Portico does not enforce, each said once where it is written. */
function warnUnserved(auth: Record<string, unknown>, at: Path, sink: DefinitionSink): void {
  if (auth.ApiKeyRequired === true) {
    sink.warn([...at, "ApiKeyRequired"], API_KEY_WARNING);
  }
  if (auth.ResourcePolicy !== undefined) {
    sink.warn(
      [...at, "ResourcePolicy"],
      "resource policies are not enforced locally: every caller is let through",
    );
  }
  if (auth.UsagePlan !== undefined) sink.warn([...at, "UsagePlan"], "usage plans are not applied locally");
}
