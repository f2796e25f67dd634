/**
 * An OpenAPI 3 or Swagger 2 document, as API Gateway imports it, → routes, authorizers and API settings: each
 * operation with an `aws_proxy` `x-amazon-apigateway-integration` is a route to the function its `uri` invokes;
 * `security` (per operation, else the document's) names the route's authorizer.
 */
import type { PayloadFormat } from "../model/index.js";
import { describeValue } from "./field-schemas.js";
import type { CorsDraft } from "./model-assembly.js";
import { readSecuritySchemes, type SecurityScheme } from "./openapi-authorizers.js";
import { readDefinitionCors } from "./openapi-cors.js";
import { type DefinitionSink, isMapping, type Path, wholeNumberAt } from "./openapi-sink.js";
import { DEFAULT_ROUTE, type ParsedRouteKey, parseRouteKey } from "./route-key.js";

/** Who may call a route: an authorizer by name (with the scopes a token must carry), or anyone. */
export interface RouteAuthChoice {
  readonly authorizer?: string;
  readonly scopes?: readonly string[];
}

export interface DefinitionRoute {
  readonly route: ParsedRouteKey;
  readonly functionName: string;
  readonly payloadFormat: PayloadFormat;
  readonly timeoutMs: number;
  /** The operation's own `security`; absent: it says none. */
  readonly security?: RouteAuthChoice;
  /** Where the operation is, for reporting a conflict with another route. */
  readonly at: Path;
}

export interface OpenApiDefinition {
  readonly routes: readonly DefinitionRoute[];
  readonly schemes: ReadonlyMap<string, SecurityScheme>;
  /** The document's top-level `security`: routes without their own get it. */
  readonly security?: RouteAuthChoice;
  readonly cors?: CorsDraft;
  readonly binaryMediaTypes?: readonly string[];
}

const INTEGRATION = "x-amazon-apigateway-integration";
const ANY_METHOD = "x-amazon-apigateway-any-method";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", ANY_METHOD];
const INTEGRATION_TIMEOUT_MS = {
  http: { max: 30_000, default: 30_000 },
  rest: { max: 29_000, default: 29_000 },
};
/** Top-level extensions read here or harmless locally; any other `x-amazon-apigateway-*` is warned about. */
const KNOWN_EXTENSIONS = new Set([
  "x-amazon-apigateway-cors",
  "x-amazon-apigateway-binary-media-types",
  "x-amazon-apigateway-importexport-version",
  "x-amazon-apigateway-tag-value",
  "x-amazon-apigateway-endpoint-configuration",
  "x-amazon-apigateway-api-key-source",
]);

export async function readOpenApi(
  document: unknown,
  sink: DefinitionSink,
): Promise<OpenApiDefinition | undefined> {
  if (!isMapping(document) || (document.openapi === undefined && document.swagger === undefined)) {
    sink.error(
      [],
      'is not an OpenAPI document: expected a mapping with `openapi: 3.0.1` (or `swagger: "2.0"`) and `paths`',
    );
    return undefined;
  }
  const schemesAt =
    document.swagger !== undefined ? ["securityDefinitions"] : ["components", "securitySchemes"];
  const schemes = readSecuritySchemes(lookup(document, schemesAt), schemesAt, sink);
  const routes = readPaths(document, schemes, sink);
  const security = securityChoice(document.security, ["security"], schemes, sink);
  for (const key of Object.keys(document)) {
    if (key.startsWith("x-amazon-apigateway-") && !KNOWN_EXTENSIONS.has(key)) {
      sink.warn([key], "is not applied by Portico");
    }
  }
  const cors = await readDefinitionCors(
    document["x-amazon-apigateway-cors"],
    ["x-amazon-apigateway-cors"],
    sink,
  );
  const binaryMediaTypes = readBinaryMediaTypes(document, sink);
  return {
    routes,
    schemes,
    ...(security === undefined ? {} : { security }),
    ...(cors === undefined ? {} : { cors }),
    ...(binaryMediaTypes === undefined ? {} : { binaryMediaTypes }),
  };
}

function readPaths(
  document: Record<string, unknown>,
  schemes: ReadonlyMap<string, SecurityScheme>,
  sink: DefinitionSink,
): DefinitionRoute[] {
  const paths = document.paths ?? {};
  if (!isMapping(paths)) {
    sink.error(["paths"], `must be a mapping of paths to operations, got ${describeValue(paths)}`);
    return [];
  }
  const routes: DefinitionRoute[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolveRef(document, rawItem);
    if (!isMapping(item)) {
      sink.error(["paths", path], `must be a mapping of methods to operations, got ${describeValue(item)}`);
      continue;
    }
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.includes(method.toLowerCase())) continue;
      const route = readOperation(document, path, method, operation, schemes, sink);
      if (route !== undefined) routes.push(route);
    }
  }
  return routes;
}

function readOperation(
  document: Record<string, unknown>,
  path: string,
  method: string,
  operation: unknown,
  schemes: ReadonlyMap<string, SecurityScheme>,
  sink: DefinitionSink,
): DefinitionRoute | undefined {
  const at = ["paths", path, method];
  if (!isMapping(operation)) {
    sink.error(at, `must be an operation (a mapping), got ${describeValue(operation)}`);
    return undefined;
  }
  const integration = resolveRef(document, operation[INTEGRATION]);
  if (integration === undefined) {
    sink.warn(at, `has no ${INTEGRATION}: not served`);
    return undefined;
  }
  if (!isMapping(integration)) {
    sink.error([...at, INTEGRATION], `must be a mapping, got ${describeValue(integration)}`);
    return undefined;
  }
  const type = String(integration.type ?? "").toLowerCase();
  if (type !== "aws_proxy") {
    sink.warn(
      [...at, INTEGRATION, "type"],
      `integration type \`${type || "none"}\` is not served: Portico serves Lambda proxy (aws_proxy) integrations`,
    );
    return undefined;
  }
  const route = routeKey(method, path, at, sink);
  const target = sink.functionOf(integration.uri);
  if ("problem" in target) {
    if (target.error === true) sink.error([...at, INTEGRATION, "uri"], target.problem);
    else sink.warn([...at, INTEGRATION, "uri"], `not served: ${target.problem}`);
    return undefined;
  }
  const payloadFormat = readPayloadFormat(
    integration.payloadFormatVersion,
    [...at, INTEGRATION, "payloadFormatVersion"],
    sink,
  );
  const limits = INTEGRATION_TIMEOUT_MS[sink.kind];
  const timeoutMs =
    integration.timeoutInMillis === undefined
      ? limits.default
      : wholeNumberAt(
          sink,
          [...at, INTEGRATION, "timeoutInMillis"],
          integration.timeoutInMillis,
          "a whole number of milliseconds",
          50,
          limits.max,
        );
  const security = securityChoice(operation.security, [...at, "security"], schemes, sink);
  if (route === undefined || payloadFormat === undefined || timeoutMs === undefined) return undefined;
  return {
    route,
    functionName: target.name,
    payloadFormat,
    timeoutMs,
    ...(security === undefined ? {} : { security }),
    at,
  };
}

function routeKey(method: string, path: string, at: Path, sink: DefinitionSink): ParsedRouteKey | undefined {
  const verb = method.toLowerCase() === ANY_METHOD ? "ANY" : method.toUpperCase();
  if (path === "$default" && sink.kind === "http") {
    if (verb === "ANY") return DEFAULT_ROUTE;
    sink.error(at, `the $default path takes only ${ANY_METHOD}`);
    return undefined;
  }
  const parsed = parseRouteKey(`${verb} ${path.length > 1 ? path.replace(/\/+$/, "") : path}`);
  if (!parsed.ok) {
    sink.error(at, parsed.reason);
    return undefined;
  }
  return parsed.value;
}

/** REST proxy events are always the 1.0 shape; an HTTP API integration says which (sam local takes 1.0 when it does not). */
function readPayloadFormat(value: unknown, at: Path, sink: DefinitionSink): PayloadFormat | undefined {
  if (sink.kind === "rest" || value === undefined) return "1.0";
  const text = typeof value === "number" ? value.toFixed(1) : value;
  if (text === "1.0" || text === "2.0") return text;
  sink.error(at, `must be "1.0" or "2.0", got ${describeValue(value)}`);
  return undefined;
}

/**
 * A `security` requirement list → the route's authorizer. `[]` (or a requirement `{}`) leaves the route open.
 * A route has one authorizer: further alternatives are warned about and not applied.
 */
export function securityChoice(
  value: unknown,
  at: Path,
  schemes: ReadonlyMap<string, SecurityScheme>,
  sink: DefinitionSink,
): RouteAuthChoice | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every(isMapping)) {
    sink.error(
      at,
      `must be a list of security requirements ({ NAME: [scopes] }), got ${describeValue(value)}`,
    );
    return undefined;
  }
  if (value.length === 0) return {};
  if (value.length > 1)
    sink.warn(at, "lists alternative security requirements; Portico applies the first only");
  const chosen: RouteAuthChoice[] = [];
  for (const [name, scopes] of Object.entries(value[0] as Record<string, unknown>)) {
    const scheme = schemes.get(name);
    if (name === "NONE" && scheme === undefined) continue;
    if (scheme === undefined) {
      const known = [...schemes.keys()];
      sink.error(
        [...at, 0, name],
        `names no security scheme of the document (${known.length === 0 ? "it has none" : `known: ${known.join(", ")}`})`,
      );
      continue;
    }
    if (scheme.kind !== "authorizer") continue;
    const list = Array.isArray(scopes)
      ? scopes.filter((scope): scope is string => typeof scope === "string")
      : [];
    chosen.push(list.length === 0 ? { authorizer: name } : { authorizer: name, scopes: list });
  }
  if (chosen.length > 1)
    sink.warn([...at, 0], `combines authorizers; Portico applies \`${chosen[0]?.authorizer}\` only`);
  return chosen[0] ?? {};
}

function readBinaryMediaTypes(document: Record<string, unknown>, sink: DefinitionSink): string[] | undefined {
  const key = "x-amazon-apigateway-binary-media-types";
  const value = document[key];
  if (value === undefined) return undefined;
  if (sink.kind === "http") {
    sink.warn(
      [key],
      "applies to REST APIs only; an HTTP API passes bodies as their content type says (docs/http-apis.md)",
    );
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item.includes("/"))) {
    sink.error([key], `must be a list of media types (image/png, image/*, */*), got ${describeValue(value)}`);
    return undefined;
  }
  // API Gateway stores `/` as `~1` in media types (`image~1png`); either form means the same.
  return value.map((item) => item.replaceAll("~1", "/"));
}

/** A local `$ref` (`#/components/x-amazon-apigateway-integrations/items`) → what it points at. */
function resolveRef(document: Record<string, unknown>, value: unknown): unknown {
  if (!isMapping(value) || typeof value.$ref !== "string" || !value.$ref.startsWith("#/")) return value;
  const keys = value.$ref
    .slice(2)
    .split("/")
    .map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"));
  return lookup(document, keys);
}

function lookup(root: unknown, keys: readonly string[]): unknown {
  let node = root;
  for (const key of keys) {
    if (!isMapping(node)) return undefined;
    node = node[key];
  }
  return node;
}
