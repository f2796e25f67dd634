/**
 * API Gateway REST APIs as plain CloudFormation (and `cdk synth`) writes them: `RestApi`, a tree of `Resource`s
 * (`ParentId` / `PathPart`, rooted at `Fn::GetAtt Api.RootResourceId`), `Method`s with Lambda proxy integrations,
 * `Stage`s and `Deployment`s with a `StageName`, and `Authorizer`s.
 */
import type { ApiSpec, AuthorizerSpec } from "../model/index.js";
import { accessLogFormatOf } from "./access-log-schemas.js";
import { CfnApiBuilder } from "./cfn-api-builder.js";
import { restAuthorizer } from "./cfn-authorizers.js";
import type { CfnContext } from "./cfn-context.js";
import { getAttTarget } from "./cfn-references.js";
import { describeValue } from "./field-schemas.js";
import { parseRouteKey, ROUTE_METHODS } from "./route-key.js";
import { restApiSchema } from "./sam-schemas.js";
import { SamThrottling } from "./sam-throttling.js";
import { checkSchema } from "./schema-check.js";

type Json = Record<string, unknown>;
type Path = readonly PropertyKey[];

const T = {
  api: "AWS::ApiGateway::RestApi",
  resource: "AWS::ApiGateway::Resource",
  method: "AWS::ApiGateway::Method",
  stage: "AWS::ApiGateway::Stage",
  deployment: "AWS::ApiGateway::Deployment",
  authorizer: "AWS::ApiGateway::Authorizer",
} as const;

/** REST integrations time out at 29 s unless `TimeoutInMillis` says less. */
const REST_INTEGRATION_TIMEOUT_MS = 29_000;

export async function readRestApis(ctx: CfnContext): Promise<ApiSpec[]> {
  const apis = new Map<string, CfnApiBuilder>();
  for (const id of ctx.idsOf(T.api)) {
    const builder = CfnApiBuilder.create(ctx, id, "rest");
    if (builder === undefined) continue;
    const types = (ctx.resources.get(id)?.properties.BinaryMediaTypes ?? []) as unknown[];
    builder.binaryMediaTypes = types
      .filter((type): type is string => typeof type === "string")
      .map((type) => type.replaceAll("~1", "/"));
    apis.set(id, builder);
  }
  const authorizers = new Map<string, AuthorizerSpec | undefined>();
  for (const id of ctx.idsOf(T.authorizer))
    authorizers.set(id, restAuthorizer(ctx, id, ctx.propertiesOf(id)));
  const paths = resourcePaths(ctx);
  for (const id of ctx.idsOf(T.method)) readMethod(ctx, id, apis, paths, authorizers);
  for (const id of [...ctx.idsOf(T.stage), ...ctx.idsOf(T.deployment)]) await readStage(ctx, id, apis);
  return [...apis.values()].map((api) => api.spec(ctx));
}

/** Each `Resource`'s full path, from its `PathPart` and its parent's (the API's root is `/`). */
function resourcePaths(ctx: CfnContext): Map<string, string> {
  const paths = new Map<string, string>();
  const visiting = new Set<string>();
  const pathOf = (id: string): string | undefined => {
    const known = paths.get(id);
    if (known !== undefined || visiting.has(id)) return known;
    visiting.add(id);
    const props = ctx.propertiesOf(id);
    const parent = parentPath(ctx, props.ParentId, pathOf);
    const part = props.PathPart;
    visiting.delete(id);
    if (parent === undefined || typeof part !== "string") {
      ctx.log.add(
        ["Resources", id, "Properties"],
        "needs ParentId (a Resource, or the API's RootResourceId) and PathPart",
      );
      return undefined;
    }
    const path = `${parent === "/" ? "" : parent}/${part}`;
    paths.set(id, path);
    return path;
  };
  for (const id of ctx.idsOf(T.resource)) pathOf(id);
  return paths;
}

/** `/` for the API's root resource, a parent `Resource`'s path, or undefined. */
function parentPath(
  ctx: CfnContext,
  parentId: unknown,
  pathOf: (id: string) => string | undefined,
): string | undefined {
  const getAtt = getAttTarget((parentId as Json | undefined)?.["Fn::GetAtt"]);
  if (getAtt?.attribute === "RootResourceId" && ctx.resources.get(getAtt.id)?.type === T.api) return "/";
  const resource = ctx.refTo(parentId, T.resource);
  return resource === undefined ? undefined : pathOf(resource);
}

function readMethod(
  ctx: CfnContext,
  id: string,
  apis: ReadonlyMap<string, CfnApiBuilder>,
  paths: ReadonlyMap<string, string>,
  authorizers: ReadonlyMap<string, AuthorizerSpec | undefined>,
): void {
  const at: Path = ["Resources", id, "Properties"];
  const props = ctx.propertiesOf(id);
  const api = ctx.targetOf(id, "RestApiId", T.api, apis);
  if (api === undefined) return;
  const path = parentPath(ctx, props.ResourceId, (resource) => paths.get(resource));
  if (path === undefined) {
    ctx.log.add([...at, "ResourceId"], `must be a Ref to an ${T.resource}, or the API's RootResourceId`);
    return;
  }
  const written = typeof props.HttpMethod === "string" ? props.HttpMethod.toUpperCase() : "";
  if (!(ROUTE_METHODS as readonly string[]).includes(written)) {
    ctx.log.add(
      [...at, "HttpMethod"],
      `must be one of ${ROUTE_METHODS.join(", ")}, got ${describeValue(props.HttpMethod)}`,
    );
    return;
  }
  const integration = (props.Integration ?? {}) as Json;
  if (integration.Type !== "AWS_PROXY") {
    ctx.log.warn(
      [...at, "Integration", "Type"],
      `integration type ${describeValue(integration.Type)} is not served (only AWS_PROXY to a Lambda function); the method is left out`,
    );
    return;
  }
  warnIntegrationExtras(ctx, integration, [...at, "Integration"]);
  const functionName = ctx.functionOf(integration.Uri);
  if (functionName === undefined) {
    ctx.log.warn([...at, "Integration", "Uri"], "names no function Portico serves; the method is left out");
    return;
  }
  const auth = api.authorization(ctx, props, authorizers, T.authorizer, at);
  if (auth === undefined) return;
  const parsed = parseRouteKey(`${written} ${path}`);
  if (!parsed.ok) {
    ctx.log.add(at, parsed.reason);
    return;
  }
  const timeout = Number(integration.TimeoutInMillis ?? REST_INTEGRATION_TIMEOUT_MS);
  if (!Number.isInteger(timeout) || timeout < 50 || timeout > REST_INTEGRATION_TIMEOUT_MS) {
    ctx.log.add(
      [...at, "Integration", "TimeoutInMillis"],
      "must be a whole number of milliseconds between 50 and 29000",
    );
    return;
  }
  api.addRoute(ctx, parsed.value, { functionName, payloadFormat: "1.0", timeoutMs: timeout, ...auth }, at);
}

/** A proxy integration reads `Type`, `Uri` and `TimeoutInMillis`; what else it sets is named. */
function warnIntegrationExtras(ctx: CfnContext, integration: Json, at: Path): void {
  const read = new Set(["Type", "Uri", "TimeoutInMillis", "IntegrationHttpMethod", "Credentials"]);
  for (const key of Object.keys(integration)) {
    if (!read.has(key)) ctx.log.warn([...at, key], "is not modelled; ignored");
  }
}

/** A `Stage`, or a `Deployment` with a `StageName` (which creates that stage). */
async function readStage(
  ctx: CfnContext,
  id: string,
  apis: ReadonlyMap<string, CfnApiBuilder>,
): Promise<void> {
  const props = ctx.propertiesOf(id);
  const isDeployment = ctx.resources.get(id)?.type === T.deployment;
  if (isDeployment && props.StageName === undefined) return;
  const api = ctx.targetOf(id, "RestApiId", T.api, apis);
  if (api === undefined) return;
  const at: Path = ["Resources", id, "Properties"];
  const checked = await checkSchema(restApiSchema, {
    StageName: props.StageName,
    Variables: props.Variables,
    MethodSettings: props.MethodSettings,
    AccessLogSetting: props.AccessLogSetting,
  });
  if (!checked.ok) {
    ctx.log.addAll(checked.issues, (path) => [...at, ...path]);
    return;
  }
  const throttling = new SamThrottling();
  throttling.readRestApi(checked.data.MethodSettings, (path) => [...at, ...path], ctx.log);
  const format = accessLogFormatOf(checked.data.AccessLogSetting, [...at, "AccessLogSetting"], ctx.log);
  api.addStage(
    {
      name: checked.data.StageName,
      variables: checked.data.Variables,
      ...(format === undefined ? {} : { accessLogFormat: format }),
    },
    throttling,
  );
}
