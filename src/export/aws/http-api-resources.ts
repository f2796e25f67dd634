/**
 * A Portico HTTP API as an `AWS::Serverless::HttpApi` (one stage, CORS, throttling, access log, authorizers)
 * plus the `HttpApi` events that put its routes on their functions, as a SAM author writes them.
 */
import { DEFAULTS } from "../../config/defaults.js";
import type { ApiSpec, AuthorizerSpec, RouteSpec, StageSpec, ThrottleSpec } from "../../model/index.js";
import type { ExportWarning } from "../export-result.js";
import type { LogicalIds } from "./logical-ids.js";

type Json = Record<string, unknown>;

/** An event for the function with logical id `functionId`. */
export interface RouteEvent {
  readonly functionId: string;
  readonly event: Json;
  /** Words for the event's name: the API's id, the method and the path. */
  readonly name: string;
}

export interface ApiResources {
  readonly resources: Record<string, Json>;
  readonly events: readonly RouteEvent[];
  readonly output: Json;
}

/** What the export knows of the rest of the template: each function's logical id. */
export interface TemplateNames {
  readonly ids: LogicalIds;
  functionId(name: string): string;
}

export function httpApiResources(
  api: ApiSpec,
  names: TemplateNames,
  warnings: ExportWarning[],
): ApiResources {
  const subject = `API ${api.name}`;
  const apiId = names.ids.take(api.name);
  const stage = exportedStage(api.stages, subject, warnings);
  const resources: Record<string, Json> = {};
  const properties: Json = {};
  if (stage.name !== "$default") properties.StageName = stage.name;
  if (Object.keys(stage.variables).length > 0) properties.StageVariables = stage.variables;
  if (api.cors !== null) properties.CorsConfiguration = corsConfiguration(api.cors);
  if (stage.throttling !== undefined) properties.DefaultRouteSettings = throttleSettings(stage.throttling);
  if (stage.routeThrottling !== undefined) {
    properties.RouteSettings = Object.fromEntries(
      Object.entries(stage.routeThrottling).map(([key, limit]) => [key, throttleSettings(limit)]),
    );
  }
  if (typeof stage.accessLogFormat === "string") {
    const logGroupId = names.ids.take(api.name, "AccessLogs");
    resources[logGroupId] = { Type: "AWS::Logs::LogGroup", Properties: { RetentionInDays: 30 } };
    properties.AccessLogSettings = {
      DestinationArn: { "Fn::GetAtt": [logGroupId, "Arn"] },
      Format: stage.accessLogFormat,
    };
  }
  const authorizers = authorizerEntries(api.authorizers ?? [], names, subject, warnings);
  if (authorizers.iam || Object.keys(authorizers.entries).length > 0) {
    properties.Auth = {
      ...(Object.keys(authorizers.entries).length > 0 ? { Authorizers: authorizers.entries } : {}),
      ...(authorizers.iam ? { EnableIamAuthorizer: true } : {}),
    };
  }
  for (const domain of api.domains) {
    warnings.push({
      subject,
      reason: `domain ${domain} is not exported: add Domain (DomainName, CertificateArn) to ${apiId} once its certificate is in ACM`,
    });
  }
  resources[apiId] = {
    Type: "AWS::Serverless::HttpApi",
    ...(Object.keys(properties).length > 0 ? { Properties: properties } : {}),
  };

  const events = api.routes.map((route) => ({
    functionId: names.functionId(route.functionName),
    name: `${apiId} ${route.routeKey === "$default" ? "Default" : route.routeKey}`,
    event: { Type: "HttpApi", Properties: routeProperties(apiId, route, authorizers.renamed) },
  }));
  const base = stage.name === "$default" ? "" : `${stage.name}/`;
  const output = {
    Description: `URL of the HTTP API ${api.name}`,
    Value: { "Fn::Sub": `https://\${${apiId}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${base}` },
  };
  return { resources, events, output };
}

/** SAM's HttpApi makes one stage: the first named one, else `$default`. */
function exportedStage(stages: readonly StageSpec[], subject: string, warnings: ExportWarning[]): StageSpec {
  const named = stages.filter((stage) => stage.name !== "$default");
  const chosen = named[0] ?? (stages[0] as StageSpec);
  for (const other of named.slice(1)) {
    warnings.push({
      subject,
      reason: `stage ${other.name} is not exported: a SAM HttpApi makes one stage (${chosen.name}); add an AWS::ApiGatewayV2::Stage for it`,
    });
  }
  if (named.length > 0) {
    warnings.push({
      subject,
      reason: `is served on AWS at /${chosen.name}/ only: the root ($default stage) that Portico also serves does not exist there`,
    });
  }
  return chosen;
}

function corsConfiguration(cors: NonNullable<ApiSpec["cors"]>): Json {
  const lists: [string, readonly string[]][] = [
    ["AllowOrigins", cors.allowOrigins],
    ["AllowMethods", cors.allowMethods],
    ["AllowHeaders", cors.allowHeaders],
    ["ExposeHeaders", cors.exposeHeaders],
  ];
  return {
    ...Object.fromEntries(lists.filter(([, list]) => list.length > 0)),
    ...(cors.maxAge === undefined ? {} : { MaxAge: cors.maxAge }),
    ...(cors.allowCredentials ? { AllowCredentials: true } : {}),
  };
}

function throttleSettings(limit: ThrottleSpec): Json {
  return { ThrottlingBurstLimit: limit.burstLimit, ThrottlingRateLimit: limit.rateLimit };
}

interface AuthorizerEntries {
  readonly entries: Record<string, Json>;
  /** Portico's authorizer name → the name in the template (or AWS_IAM). */
  readonly renamed: ReadonlyMap<string, string>;
  /** Some route needs `AWS_IAM`, which SAM enables on the API. */
  readonly iam: boolean;
}

function authorizerEntries(
  authorizers: readonly AuthorizerSpec[],
  names: TemplateNames,
  subject: string,
  warnings: ExportWarning[],
): AuthorizerEntries {
  const entries: Record<string, Json> = {};
  const renamed = new Map<string, string>();
  let iam = false;
  for (const authorizer of authorizers) {
    if (authorizer.type === "unserved") {
      // Never open on AWS what Portico keeps closed: IAM is the closed choice HTTP APIs offer without more setup.
      iam = true;
      renamed.set(authorizer.name, "AWS_IAM");
      if (authorizer.kind !== "AWS_IAM") {
        warnings.push({
          subject,
          reason: `authorizer ${authorizer.name} (${authorizer.kind}) is exported as AWS_IAM: give its routes the authorizer they need`,
        });
      }
      continue;
    }
    // SAM takes letters and digits only; the case is kept, as routes and logs show the name.
    let name = authorizer.name.replace(/[^A-Za-z0-9]/g, "") || "Authorizer";
    while (Object.hasOwn(entries, name)) name += "X";
    renamed.set(authorizer.name, name);
    if (authorizer.type === "jwt") {
      if (authorizer.jwksFile !== undefined) {
        warnings.push({
          subject,
          reason: `authorizer ${authorizer.name}: jwksFile is for working offline; on AWS the keys come from the issuer ${authorizer.issuer}`,
        });
      }
      entries[name] = {
        IdentitySource: authorizer.identitySource,
        JwtConfiguration: { issuer: authorizer.issuer, audience: [...authorizer.audience] },
      };
      continue;
    }
    entries[name] = {
      FunctionArn: { "Fn::GetAtt": [names.functionId(authorizer.functionName), "Arn"] },
      AuthorizerPayloadFormatVersion: authorizer.payloadFormat,
      ...(authorizer.payloadFormat === "2.0" ? { EnableSimpleResponses: authorizer.simpleResponses } : {}),
      Identity: identity(authorizer.identitySources, authorizer.resultTtlSeconds),
    };
  }
  return { entries, renamed, iam };
}

/** HTTP API identity sources (`$request.header.Authorization`) as SAM's `Identity` lists. */
function identity(sources: readonly string[], ttlSeconds: number): Json {
  const lists: Record<string, string[]> = {};
  const kinds: [string, string][] = [
    ["$request.header.", "Headers"],
    ["$request.querystring.", "QueryStrings"],
    ["$context.", "Context"],
    ["$stageVariables.", "StageVariables"],
  ];
  for (const source of sources) {
    const kind = kinds.find(([prefix]) => source.startsWith(prefix));
    if (kind === undefined) continue;
    lists[kind[1]] = [...(lists[kind[1]] ?? []), source.slice(kind[0].length)];
  }
  return { ...lists, ReauthorizeEvery: ttlSeconds };
}

function routeProperties(apiId: string, route: RouteSpec, authorizers: ReadonlyMap<string, string>): Json {
  const authorizer = route.authorizer === undefined ? undefined : authorizers.get(route.authorizer);
  return {
    ApiId: { Ref: apiId },
    // Neither Method nor Path: the `$default` route.
    ...(route.path === null ? {} : { Method: route.method, Path: route.path }),
    PayloadFormatVersion: route.payloadFormat,
    ...(route.timeoutMs === DEFAULTS.api.integrationTimeoutMs ? {} : { TimeoutInMillis: route.timeoutMs }),
    ...(authorizer === undefined
      ? {}
      : {
          Auth: {
            Authorizer: authorizer,
            ...(route.authorizationScopes === undefined
              ? {}
              : { AuthorizationScopes: [...route.authorizationScopes] }),
          },
        }),
  };
}
