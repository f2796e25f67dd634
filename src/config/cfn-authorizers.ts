/**
 * `AWS::ApiGateway::Authorizer` and `AWS::ApiGatewayV2::Authorizer` → the model's authorizers: JWT, Lambda
 * (`TOKEN`/`REQUEST`), or unserved (IAM, Cognito user pools, a Lambda Portico does not serve), which is warned
 * about and whose routes answer as AWS answers a caller without credentials. Named by logical id.
 */
import type { AuthorizerSpec, PayloadFormat, UnservedAuthorizerSpec } from "../model/index.js";
import type { CfnContext } from "./cfn-context.js";

type Json = Record<string, unknown>;
type Path = readonly PropertyKey[];

/** REST Lambda authorizers cache results for 300 s unless told otherwise; HTTP API ones do not cache by default. */
const REST_AUTHORIZER_TTL_SECONDS = 300;
const HTTP_AUTHORIZER_TTL_SECONDS = 0;

/** The spec of an authorizer Portico cannot run, with its one start-up warning. */
export function unservedAuthorizer(
  ctx: CfnContext,
  name: string,
  kind: string,
  at: Path,
  why = `\`${kind}\` authorizers are not run locally`,
  consequence = "the routes it guards answer as AWS does to a caller without credentials",
): UnservedAuthorizerSpec {
  ctx.log.warn(at, `${why}; ${consequence}`);
  return { name, type: "unserved", kind, declaredAt: ctx.declaredAt(at) };
}

export function restAuthorizer(ctx: CfnContext, id: string, props: Json): AuthorizerSpec | undefined {
  const at: Path = ["Resources", id, "Properties"];
  const type = typeof props.Type === "string" ? props.Type : undefined;
  if (type !== "TOKEN" && type !== "REQUEST")
    return unservedAuthorizer(ctx, id, type ?? "unknown", [...at, "Type"]);
  const functionName = ctx.functionOf(props.AuthorizerUri);
  if (functionName === undefined) {
    return unservedAuthorizer(ctx, id, type, [...at, "AuthorizerUri"], "names no function Portico serves");
  }
  const sources = typeof props.IdentitySource === "string" ? props.IdentitySource : "";
  const identitySources = sources
    .split(",")
    .map((source) => source.trim())
    .filter(Boolean);
  if (type === "TOKEN" && identitySources.length !== 1) {
    return ctx.log.add(
      [...at, "IdentitySource"],
      "is required for a TOKEN authorizer: method.request.header.NAME",
    );
  }
  const ttl = seconds(ctx, props.AuthorizerResultTtlInSeconds, [...at, "AuthorizerResultTtlInSeconds"]);
  const expression = props.IdentityValidationExpression;
  return {
    name: id,
    type: "lambda",
    functionName,
    requestType: type,
    payloadFormat: "1.0",
    simpleResponses: false,
    identitySources,
    resultTtlSeconds: ttl ?? REST_AUTHORIZER_TTL_SECONDS,
    ...(type === "TOKEN" && typeof expression === "string" ? { validationExpression: expression } : {}),
  };
}

export function httpAuthorizer(ctx: CfnContext, id: string, props: Json): AuthorizerSpec | undefined {
  const at: Path = ["Resources", id, "Properties"];
  const type = typeof props.AuthorizerType === "string" ? props.AuthorizerType : undefined;
  const sources = stringList(props.IdentitySource);
  if (type === "JWT") {
    const jwt = (props.JwtConfiguration ?? {}) as Json;
    if (typeof jwt.Issuer !== "string") {
      return ctx.log.add(
        [...at, "JwtConfiguration", "Issuer"],
        "is required for a JWT authorizer: the token issuer's URL",
      );
    }
    return {
      name: id,
      type: "jwt",
      identitySource: sources[0] ?? "$request.header.Authorization",
      issuer: jwt.Issuer,
      audience: stringList(jwt.Audience),
    };
  }
  if (type !== "REQUEST") return unservedAuthorizer(ctx, id, type ?? "unknown", [...at, "AuthorizerType"]);
  const functionName = ctx.functionOf(props.AuthorizerUri);
  if (functionName === undefined) {
    return unservedAuthorizer(ctx, id, type, [...at, "AuthorizerUri"], "names no function Portico serves");
  }
  const version = props.AuthorizerPayloadFormatVersion ?? "2.0";
  if (version !== "1.0" && version !== "2.0") {
    return ctx.log.add([...at, "AuthorizerPayloadFormatVersion"], `must be "1.0" or "2.0"`);
  }
  const ttl = seconds(ctx, props.AuthorizerResultTtlInSeconds, [...at, "AuthorizerResultTtlInSeconds"]);
  return {
    name: id,
    type: "lambda",
    functionName,
    requestType: "REQUEST",
    payloadFormat: version as PayloadFormat,
    simpleResponses:
      version === "2.0" && (props.EnableSimpleResponses === true || props.EnableSimpleResponses === "true"),
    identitySources: sources,
    resultTtlSeconds: ttl ?? HTTP_AUTHORIZER_TTL_SECONDS,
  };
}

/** A cache lifetime of 0..3600 seconds (CloudFormation passes parameters as strings). */
function seconds(ctx: CfnContext, value: unknown, at: Path): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === "string" ? Number(value) : value;
  if (typeof number === "number" && Number.isInteger(number) && number >= 0 && number <= 3600) return number;
  ctx.log.add(at, "must be a whole number of seconds between 0 and 3600");
  return undefined;
}

function stringList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
