/**
 * portico.yaml's `apis.NAME.authorizers`: JWT and Lambda authorizers, declared once per API and named by routes
 * (`authorizer: NAME`, `scopes: [...]`) or by the API's `authorizer` default (`none` opens one route).
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import type { AuthorizerSpec } from "../model/index.js";
import { absentIfNull, expecting, payloadFormat, wholeNumber } from "./field-schemas.js";
import type { PathIssue } from "./schema-check.js";

/** The word a route uses to opt out of its API's default authorizer. */
export const NO_AUTHORIZER = "none";

const HTTP_IDENTITY_SOURCE = /^\$(request\.(header|querystring)|context|stageVariables)\.[^\s.][^\s]*$/;

const identitySource = z
  .string({ error: expecting("an identity source such as $request.header.Authorization") })
  .refine((text) => HTTP_IDENTITY_SOURCE.test(text), {
    error: (issue) =>
      `must be $request.header.NAME, $request.querystring.NAME, $context.NAME or $stageVariables.NAME, got ${JSON.stringify(issue.input)}`,
  });

const identitySources = z
  .preprocess((value) => (typeof value === "string" ? [value] : value), z.array(identitySource))
  .default([]);

const jwtAuthorizer = z.strictObject(
  {
    type: z.literal("jwt"),
    issuer: z.url({ protocol: /^https?$/, error: expecting("the issuer's URL (its `iss` claim)") }),
    audience: z
      .preprocess(
        (value) => (typeof value === "string" ? [value] : value),
        z
          .array(z.string(), { error: expecting("a list of audiences") })
          .min(1, { error: "needs an audience" }),
      )
      .refine((list) => list.length <= 50, { error: "holds at most 50 audiences, as on AWS" }),
    identitySource: identitySource.default("$request.header.Authorization"),
    jwks: z.string({ error: expecting("a JWKS file, relative to portico.yaml") }).optional(),
  },
  { error: expecting("a JWT authorizer: type, issuer, audience, identitySource, jwks") },
);

const lambdaAuthorizer = z
  .strictObject(
    {
      type: z.literal("lambda"),
      function: z.string({ error: expecting("the authorizer's function name") }),
      payloadFormat: payloadFormat.default("2.0"),
      simpleResponses: z.boolean({ error: expecting("true or false") }).default(false),
      identitySource: identitySources,
      resultTtl: absentIfNull(
        wholeNumber("a whole number of seconds between 0 and 3600", 0, 3600).default(0),
      ),
    },
    {
      error: expecting(
        "a Lambda authorizer: type, function, payloadFormat, simpleResponses, identitySource, resultTtl",
      ),
    },
  )
  .superRefine((authorizer, ctx) => {
    if (authorizer.simpleResponses && authorizer.payloadFormat !== "2.0") {
      ctx.addIssue({
        code: "custom",
        path: ["simpleResponses"],
        message: 'needs payloadFormat "2.0", as on AWS',
      });
    }
    if (authorizer.resultTtl > 0 && authorizer.identitySource.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["resultTtl"],
        message: "needs an identitySource to cache by (or resultTtl: 0), as on AWS",
      });
    }
  });

export const authorizerSchema = z.discriminatedUnion("type", [jwtAuthorizer, lambdaAuthorizer], {
  error: (issue) =>
    issue.code === "invalid_union" && typeof issue.input === "object"
      ? "needs `type: jwt` or `type: lambda`"
      : "must be a mapping with `type: jwt` or `type: lambda`",
});

export type AuthorizerSettings = z.output<typeof authorizerSchema>;

export function toAuthorizerSpec(
  name: string,
  settings: AuthorizerSettings,
  rootDir: string,
): AuthorizerSpec {
  if (settings.type === "jwt") {
    return {
      name,
      type: "jwt",
      identitySource: settings.identitySource,
      issuer: settings.issuer,
      audience: settings.audience,
      ...(settings.jwks === undefined ? {} : { jwksFile: resolve(rootDir, settings.jwks) }),
    };
  }
  return {
    name,
    type: "lambda",
    functionName: settings.function,
    requestType: "REQUEST",
    payloadFormat: settings.payloadFormat,
    simpleResponses: settings.simpleResponses,
    identitySources: settings.identitySource,
    resultTtlSeconds: settings.resultTtl,
  };
}

type Json = Record<string, unknown>;

/**
 * What spans entries: a route's (or the API's default) `authorizer` names a declared one or `none`, `scopes`
 * go with a JWT authorizer, a Lambda authorizer's function exists, a JWKS file is a readable key set.
 */
export function authorizerIssues(
  apiPath: readonly PropertyKey[],
  api: Json,
  functionNames: readonly string[] | undefined,
  rootDir: string | undefined,
): PathIssue[] {
  const issues: PathIssue[] = [];
  const declared = isMapping(api.authorizers) ? api.authorizers : {};
  const names = Object.keys(declared);
  const checkName = (path: readonly PropertyKey[], name: unknown): Json | undefined => {
    if (typeof name !== "string" || name === NO_AUTHORIZER) return undefined;
    if (Object.hasOwn(declared, name)) return isMapping(declared[name]) ? declared[name] : undefined;
    const known = names.length === 0 ? "the API declares no `authorizers`" : `declared: ${names.join(", ")}`;
    issues.push({
      path,
      reason: `names an unknown authorizer \`${name}\` (${known}; or \`${NO_AUTHORIZER}\`)`,
    });
    return undefined;
  };
  checkName([...apiPath, "authorizer"], api.authorizer);
  for (const [routeKey, target] of Object.entries(isMapping(api.routes) ? api.routes : {})) {
    if (!isMapping(target)) continue;
    const routePath = [...apiPath, "routes", routeKey];
    const named = target.authorizer ?? api.authorizer;
    const authorizer = checkName([...routePath, "authorizer"], target.authorizer) ?? checkName([], named);
    if (target.scopes !== undefined && authorizer?.type !== "jwt") {
      issues.push({
        path: [...routePath, "scopes"],
        reason: "needs a JWT authorizer on the route: scopes are checked in its token",
      });
    }
  }
  for (const [name, authorizer] of Object.entries(declared)) {
    if (!isMapping(authorizer)) continue;
    const path = [...apiPath, "authorizers", name];
    const fn = authorizer.function;
    if (
      authorizer.type === "lambda" &&
      typeof fn === "string" &&
      functionNames &&
      !functionNames.includes(fn)
    ) {
      issues.push({ path: [...path, "function"], reason: `names an unknown function \`${fn}\`` });
    }
    if (typeof authorizer.jwks === "string") {
      const problem =
        rootDir === undefined
          ? "is read from a project's files: deploy the project instead"
          : jwksProblem(resolve(rootDir, authorizer.jwks));
      if (problem !== undefined) issues.push({ path: [...path, "jwks"], reason: problem });
    }
  }
  return issues;
}

function jwksProblem(file: string): string | undefined {
  if (!existsSync(file)) return `file does not exist: ${file}`;
  try {
    const keys = (JSON.parse(readFileSync(file, "utf8")) as Json).keys;
    return Array.isArray(keys) ? undefined : `is not a JWKS (a JSON object with \`keys\`): ${file}`;
  } catch {
    return `is not JSON: ${file}`;
  }
}

function isMapping(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
