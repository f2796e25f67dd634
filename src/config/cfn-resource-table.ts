/**
 * The one list of what Portico reads from each CloudFormation resource type. It drives the start-up warnings
 * (a type or property not listed is named as ignored) and is the table docs/configuration.md shows; a type
 * or property read elsewhere must be listed here, or it is warned about.
 */
import type { IssueLog } from "./issue-log.js";

export interface ResourceReading {
  /** Properties Portico reads and acts on. */
  readonly read: readonly string[];
  /** Properties with no meaning on one machine (names, descriptions, tags, IAM): accepted silently. */
  readonly inert?: readonly string[];
}

/** Resource types with no local meaning: permissions, roles, log groups, account settings, CDK's own. */
export const INERT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "AWS::CDK::Metadata",
  "AWS::IAM::Role",
  "AWS::IAM::Policy",
  "AWS::IAM::ManagedPolicy",
  "AWS::Lambda::Permission",
  "AWS::Logs::LogGroup",
  "AWS::ApiGateway::Account",
  "AWS::ApiGatewayV2::Deployment",
]);

const TAGS = ["Tags", "Description"];

export const RESOURCE_READING: Readonly<Record<string, ResourceReading>> = {
  "AWS::Serverless::Function": {
    read: [
      "Runtime",
      "Handler",
      "CodeUri",
      "InlineCode",
      "PackageType",
      "Timeout",
      "MemorySize",
      "Environment",
      "ReservedConcurrentExecutions",
      "Events",
      "FunctionName",
      "Layers",
      "LoggingConfig",
      "TenancyConfig",
    ],
    inert: [...TAGS, "Role", "Policies", "PermissionsBoundary", "Architectures", "AutoPublishAlias"],
  },
  "AWS::Serverless::HttpApi": {
    read: [
      "StageName",
      "StageVariables",
      "CorsConfiguration",
      "Domain",
      "DefaultRouteSettings",
      "RouteSettings",
      "DefinitionBody",
      "DefinitionUri",
      "Auth",
      "AccessLogSettings",
    ],
    inert: [...TAGS, "Name", "PropagateTags", "DisableExecuteApiEndpoint", "FailOnWarnings"],
  },
  "AWS::Serverless::Api": {
    read: [
      "StageName",
      "Variables",
      "Cors",
      "Domain",
      "MethodSettings",
      "AccessLogSetting",
      "DefinitionBody",
      "DefinitionUri",
      "BinaryMediaTypes",
      "Auth",
    ],
    inert: [
      ...TAGS,
      "Name",
      "PropagateTags",
      "DisableExecuteApiEndpoint",
      "FailOnWarnings",
      "EndpointConfiguration",
      "OpenApiVersion",
      "TracingEnabled",
      "AlwaysDeploy",
      "Mode",
      "MergeDefinitions",
    ],
  },
  "AWS::Serverless::Application": { read: ["Location", "Parameters"], inert: ["Tags", "NotificationARNs"] },
  "AWS::CloudFormation::Stack": {
    read: ["TemplateURL", "Parameters"],
    inert: ["Tags", "NotificationARNs", "TimeoutInMinutes"],
  },
  "AWS::Lambda::Function": {
    read: [
      "Code",
      "Handler",
      "Runtime",
      "Timeout",
      "MemorySize",
      "Environment",
      "ReservedConcurrentExecutions",
      "PackageType",
    ],
    inert: [...TAGS, "FunctionName", "Role", "Architectures"],
  },
  "AWS::Serverless::LayerVersion": {
    read: ["ContentUri"],
    inert: [
      "Description",
      "LayerName",
      "CompatibleRuntimes",
      "CompatibleArchitectures",
      "LicenseInfo",
      "RetentionPolicy",
    ],
  },
  "AWS::Lambda::LayerVersion": {
    read: ["Content"],
    inert: ["Description", "LayerName", "CompatibleRuntimes", "CompatibleArchitectures", "LicenseInfo"],
  },
  "AWS::Lambda::Version": { read: ["FunctionName"], inert: ["Description", "CodeSha256"] },
  "AWS::Lambda::Alias": { read: ["FunctionName"], inert: ["Description", "Name", "FunctionVersion"] },
  "AWS::ApiGateway::RestApi": {
    read: ["BinaryMediaTypes"],
    inert: [...TAGS, "Name", "EndpointConfiguration"],
  },
  "AWS::ApiGateway::Resource": { read: ["RestApiId", "ParentId", "PathPart"] },
  "AWS::ApiGateway::Method": {
    read: [
      "RestApiId",
      "ResourceId",
      "HttpMethod",
      "Integration",
      "AuthorizationType",
      "AuthorizerId",
      "AuthorizationScopes",
    ],
    // A proxy integration passes the function's answer through: method responses shape nothing.
    inert: ["OperationName", "MethodResponses"],
  },
  "AWS::ApiGateway::Stage": {
    read: ["RestApiId", "StageName", "Variables", "MethodSettings", "AccessLogSetting"],
    inert: [...TAGS, "DeploymentId", "TracingEnabled"],
  },
  "AWS::ApiGateway::Deployment": { read: ["RestApiId", "StageName"], inert: ["Description"] },
  "AWS::ApiGateway::Authorizer": {
    read: [
      "RestApiId",
      "Type",
      "AuthorizerUri",
      "IdentitySource",
      "IdentityValidationExpression",
      "AuthorizerResultTtlInSeconds",
      "ProviderARNs",
    ],
    inert: ["Name", "AuthorizerCredentials", "AuthType"],
  },
  "AWS::ApiGatewayV2::Api": {
    read: ["ProtocolType", "CorsConfiguration", "Target", "RouteKey"],
    inert: [...TAGS, "Name", "DisableExecuteApiEndpoint", "CredentialsArn"],
  },
  "AWS::ApiGatewayV2::Route": {
    read: ["ApiId", "RouteKey", "Target", "AuthorizationType", "AuthorizerId", "AuthorizationScopes"],
    inert: ["OperationName"],
  },
  "AWS::ApiGatewayV2::Integration": {
    read: ["ApiId", "IntegrationType", "IntegrationUri", "PayloadFormatVersion", "TimeoutInMillis"],
    inert: ["Description", "IntegrationMethod", "ConnectionType", "CredentialsArn"],
  },
  "AWS::ApiGatewayV2::Stage": {
    read: [
      "ApiId",
      "StageName",
      "StageVariables",
      "DefaultRouteSettings",
      "RouteSettings",
      "AccessLogSettings",
    ],
    inert: [...TAGS, "AutoDeploy", "DeploymentId"],
  },
  "AWS::ApiGatewayV2::Authorizer": {
    read: [
      "ApiId",
      "AuthorizerType",
      "JwtConfiguration",
      "IdentitySource",
      "AuthorizerUri",
      "AuthorizerPayloadFormatVersion",
      "EnableSimpleResponses",
      "AuthorizerResultTtlInSeconds",
    ],
    inert: ["Name", "AuthorizerCredentialsArn"],
  },
};

/**
 * One warning per resource whose type Portico does not model, and per property it neither reads nor deems
 * inert. `properties` are as written (before intrinsics), so a property is named even when it is conditional.
 */
export function warnUnmodelled(
  id: string,
  type: string,
  properties: Readonly<Record<string, unknown>> | undefined,
  log: IssueLog,
): void {
  if (INERT_RESOURCE_TYPES.has(type)) return;
  const reading = RESOURCE_READING[type];
  if (reading === undefined) {
    log.warn(["Resources", id], `(${type}) is not modelled; ignored`);
    return;
  }
  for (const property of Object.keys(properties ?? {})) {
    if (reading.read.includes(property) || reading.inert?.includes(property)) continue;
    log.warn(["Resources", id, "Properties", property], "is not modelled; ignored");
  }
}

const GLOBALS_TYPES = {
  Function: "AWS::Serverless::Function",
  HttpApi: "AWS::Serverless::HttpApi",
  Api: "AWS::Serverless::Api",
} as const;

/** SAM `Globals` entries (`Function`, `HttpApi`, `Api`) that no property of their resources reads. */
export function warnUnmodelledGlobals(globals: Readonly<Record<string, unknown>>, log: IssueLog): void {
  for (const [section, type] of Object.entries(GLOBALS_TYPES)) {
    const reading = RESOURCE_READING[type] as ResourceReading;
    const entries = globals[section];
    if (typeof entries !== "object" || entries === null) continue;
    for (const property of Object.keys(entries)) {
      if (reading.read.includes(property) || reading.inert?.includes(property)) continue;
      log.warn(["Globals", section, property], "is not modelled; ignored");
    }
  }
}
