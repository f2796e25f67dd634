/**
 * API Gateway HTTP APIs as plain CloudFormation (and `cdk synth`) writes them: `ApiGatewayV2::Api` (with its
 * quick-create `Target`), `Route`s targeting `integrations/ID`, Lambda proxy `Integration`s, `Stage`s with their
 * variables and throttling, and `Authorizer`s.
 */
import type { ApiSpec, AuthorizerSpec, PayloadFormat } from "../model/index.js";
import { accessLogFormatOf } from "./access-log-schemas.js";
import { CfnApiBuilder } from "./cfn-api-builder.js";
import { httpAuthorizer } from "./cfn-authorizers.js";
import type { CfnContext } from "./cfn-context.js";
import { DEFAULTS } from "./defaults.js";
import { describeValue } from "./field-schemas.js";
import { corsSpec } from "./model-assembly.js";
import { DEFAULT_ROUTE, parseRouteKey } from "./route-key.js";
import { httpApiEventSchema, httpApiSchema } from "./sam-schemas.js";
import { SamThrottling } from "./sam-throttling.js";
import { checkSchema } from "./schema-check.js";

type Path = readonly PropertyKey[];

const T = {
  api: "AWS::ApiGatewayV2::Api",
  route: "AWS::ApiGatewayV2::Route",
  integration: "AWS::ApiGatewayV2::Integration",
  stage: "AWS::ApiGatewayV2::Stage",
  authorizer: "AWS::ApiGatewayV2::Authorizer",
} as const;

interface Integration {
  readonly functionName: string;
  readonly payloadFormat: PayloadFormat;
  readonly timeoutMs: number;
}

export async function readHttpApis(ctx: CfnContext): Promise<ApiSpec[]> {
  const apis = new Map<string, CfnApiBuilder>();
  for (const id of ctx.idsOf(T.api)) {
    const api = await readApi(ctx, id);
    if (api !== undefined) apis.set(id, api);
  }
  const integrations = new Map<string, Integration | undefined>();
  for (const id of ctx.idsOf(T.integration)) integrations.set(id, await readIntegration(ctx, id));
  const authorizers = new Map<string, AuthorizerSpec | undefined>();
  for (const id of ctx.idsOf(T.authorizer))
    authorizers.set(id, httpAuthorizer(ctx, id, ctx.propertiesOf(id)));
  for (const id of ctx.idsOf(T.route)) readRoute(ctx, id, apis, integrations, authorizers);
  for (const id of ctx.idsOf(T.stage)) await readStage(ctx, id, apis);
  return [...apis.values()].map((api) => api.spec(ctx));
}

async function readApi(ctx: CfnContext, id: string): Promise<CfnApiBuilder | undefined> {
  const at: Path = ["Resources", id, "Properties"];
  const props = ctx.propertiesOf(id);
  // Without ProtocolType, an OpenAPI `Body` makes an HTTP API.
  if (props.ProtocolType !== undefined && props.ProtocolType !== "HTTP") {
    ctx.log.warn(
      [...at, "ProtocolType"],
      `${describeValue(props.ProtocolType)} APIs are not served (only HTTP); the API is left out`,
    );
    return undefined;
  }
  const api = CfnApiBuilder.create(ctx, id, "http");
  if (api === undefined) return undefined;
  const checked = await checkSchema(httpApiSchema, { CorsConfiguration: props.CorsConfiguration });
  if (!checked.ok) return ctx.log.addAll(checked.issues, (path) => [...at, ...path]);
  if (checked.data.CorsConfiguration !== undefined) api.cors = corsSpec(checked.data.CorsConfiguration);
  if (props.Target !== undefined) {
    // Quick create: one route to one function.
    const functionName = ctx.functionOf(props.Target);
    const key =
      props.RouteKey === undefined
        ? { ok: true as const, value: DEFAULT_ROUTE }
        : parseRouteKey(String(props.RouteKey));
    if (functionName === undefined) {
      ctx.log.warn([...at, "Target"], "names no function Portico serves; the API's route is left out");
    } else if (!key.ok) {
      ctx.log.add([...at, "RouteKey"], key.reason);
    } else {
      api.addRoute(
        ctx,
        key.value,
        { functionName, payloadFormat: "2.0", timeoutMs: DEFAULTS.api.integrationTimeoutMs },
        at,
      );
    }
    // Its auto-deployed `$default` stage is the one every API gets.
  }
  return api;
}

async function readIntegration(ctx: CfnContext, id: string): Promise<Integration | undefined> {
  const at: Path = ["Resources", id, "Properties"];
  const props = ctx.propertiesOf(id);
  if (props.IntegrationType !== "AWS_PROXY") {
    ctx.log.warn(
      [...at, "IntegrationType"],
      `integration type ${describeValue(props.IntegrationType)} is not served (only AWS_PROXY to a Lambda function); its routes are left out`,
    );
    return undefined;
  }
  const functionName = ctx.functionOf(props.IntegrationUri);
  if (functionName === undefined) {
    ctx.log.warn([...at, "IntegrationUri"], "names no function Portico serves; its routes are left out");
    return undefined;
  }
  // The checks and defaults of a SAM HttpApi event's same-named properties.
  const checked = await checkSchema(httpApiEventSchema, {
    PayloadFormatVersion: props.PayloadFormatVersion,
    TimeoutInMillis: props.TimeoutInMillis,
  });
  if (!checked.ok) return ctx.log.addAll(checked.issues, (path) => [...at, ...path]);
  return {
    functionName,
    payloadFormat: checked.data.PayloadFormatVersion as PayloadFormat,
    timeoutMs: checked.data.TimeoutInMillis as number,
  };
}

function readRoute(
  ctx: CfnContext,
  id: string,
  apis: ReadonlyMap<string, CfnApiBuilder>,
  integrations: ReadonlyMap<string, Integration | undefined>,
  authorizers: ReadonlyMap<string, AuthorizerSpec | undefined>,
): void {
  const at: Path = ["Resources", id, "Properties"];
  const props = ctx.propertiesOf(id);
  const api = ctx.targetOf(id, "ApiId", T.api, apis);
  if (api === undefined) return;
  const key = parseRouteKey(typeof props.RouteKey === "string" ? props.RouteKey : "");
  if (!key.ok) {
    ctx.log.add([...at, "RouteKey"], key.reason);
    return;
  }
  const integrationId = ctx.refTo(props.Target, T.integration);
  if (integrationId === undefined) {
    ctx.log.warn(
      [...at, "Target"],
      "names no integration (`integrations/ID`) of this template; the route is left out",
    );
    return;
  }
  // Undefined when the integration is not served, already warned about.
  const integration = integrations.get(integrationId);
  if (integration === undefined) return;
  const auth = api.authorization(ctx, props, authorizers, T.authorizer, at);
  if (auth === undefined) return;
  api.addRoute(ctx, key.value, { ...integration, ...auth }, at);
}

async function readStage(
  ctx: CfnContext,
  id: string,
  apis: ReadonlyMap<string, CfnApiBuilder>,
): Promise<void> {
  const at: Path = ["Resources", id, "Properties"];
  const props = ctx.propertiesOf(id);
  const api = ctx.targetOf(id, "ApiId", T.api, apis);
  if (api === undefined) return;
  const checked = await checkSchema(httpApiSchema, {
    StageName: props.StageName,
    StageVariables: props.StageVariables,
    DefaultRouteSettings: props.DefaultRouteSettings,
    RouteSettings: props.RouteSettings,
    AccessLogSettings: props.AccessLogSettings,
  });
  if (!checked.ok) {
    ctx.log.addAll(checked.issues, (path) => [...at, ...path]);
    return;
  }
  const throttling = new SamThrottling();
  throttling.readHttpApi(checked.data, (path) => [...at, ...path], ctx.log);
  const format = accessLogFormatOf(checked.data.AccessLogSettings, [...at, "AccessLogSettings"], ctx.log);
  api.addStage(
    {
      name: checked.data.StageName,
      variables: checked.data.StageVariables,
      ...(format === undefined ? {} : { accessLogFormat: format }),
    },
    throttling,
  );
}
