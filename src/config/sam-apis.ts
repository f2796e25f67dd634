/**
 * SAM's APIs: `AWS::Serverless::HttpApi` and `Api` resources, the implicit APIs SAM creates for events
 * without an API id, and the routes function `HttpApi` / `Api` events add to them. `Api` resources and events
 * give REST APIs (`kind: "rest"`), served with REST's event shape and answers, not as HTTP APIs.
 */
import { basename, dirname } from "node:path";
import type { ApiSpec, PayloadFormat, RouteSpec, StageSpec } from "../model/index.js";
import { accessLogFormatOf } from "./access-log-schemas.js";
import { ApiAuthorization } from "./api-authorization.js";
import { formatKeyPath } from "./config-error.js";
import { DEFAULTS } from "./defaults.js";
import { apiNameProblem, describeValue } from "./field-schemas.js";
import type { IssueLog } from "./issue-log.js";
import { lambdaTarget } from "./lambda-uri.js";
import { type ApiDraft, assembleApi, type CorsDraft, corsSpec } from "./model-assembly.js";
import { type OpenApiDefinition, readOpenApi } from "./openapi-definition.js";
import type { DefinitionSink } from "./openapi-sink.js";
import { type DefinitionSource, samDefinitionSource } from "./openapi-source.js";
import {
  DEFAULT_ROUTE,
  type ParsedRouteKey,
  parseRouteKey,
  ROUTE_METHODS,
  RouteKeySet,
} from "./route-key.js";
import { readEventAuth, readSamAuth } from "./sam-auth.js";
import type { IntrinsicScope } from "./sam-intrinsics.js";
import { type GlobalsSection, resolveProperties } from "./sam-properties.js";
import {
  httpApiEventSchema,
  httpApiSchema,
  type RouteSettings,
  restApiEventSchema,
  restApiSchema,
} from "./sam-schemas.js";
import { SamThrottling } from "./sam-throttling.js";
import { checkSchema } from "./schema-check.js";

type Json = Record<string, unknown>;
type Path = readonly PropertyKey[];
type ApiKind = ApiSpec["kind"];

const API_TYPES: Record<ApiKind, string> = { http: "AWS::Serverless::HttpApi", rest: "AWS::Serverless::Api" };
const IMPLICIT_API: Record<ApiKind, string> = { http: "ServerlessHttpApi", rest: "ServerlessRestApi" };
const GLOBALS: Record<ApiKind, GlobalsSection> = { http: "HttpApi", rest: "Api" };
const FUNCTION_TYPE = "AWS::Serverless::Function";
/** REST integrations time out at 29 s, HTTP API ones at 30 s. */
const REST_INTEGRATION_TIMEOUT_MS = 29_000;

export interface ApiEvent {
  readonly functionName: string;
  readonly eventName: string;
  readonly type: string;
  readonly properties: unknown;
}

interface ApiEntry {
  readonly draft: Omit<ApiDraft, "routes" | "authorizers">;
  readonly routes: RouteSpec[];
  readonly keys: RouteKeySet;
  readonly throttling: SamThrottling;
  readonly authorization: ApiAuthorization;
  /** The API's `Auth`, whose authorizers events' `Auth` names. */
  readonly auth: ReturnType<typeof readSamAuth>;
}

/** The model name of an API resource: its logical id, lowercased, other characters as `-`. */
function samApiName(logicalId: string): string {
  return logicalId.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

export function apiKindOf(resourceType: string): ApiKind | undefined {
  if (resourceType === API_TYPES.http) return "http";
  if (resourceType === API_TYPES.rest) return "rest";
  return undefined;
}

export class SamApis {
  readonly #log: IssueLog;
  readonly #scope: IntrinsicScope;
  readonly #globals: Readonly<Partial<Record<GlobalsSection, unknown>>>;
  /** Logical id → resource type, for telling "not an API" from "an API with its own errors". */
  readonly #resourceTypes: ReadonlyMap<string, string>;
  readonly #file: string;
  readonly #rootDir: string;
  /** A function's `FunctionName` → its logical id, for ARNs that name a function by its deployed name. */
  readonly #functionNames: ReadonlyMap<string, string>;
  readonly #apis = new Map<string, ApiEntry>();

  constructor(options: {
    log: IssueLog;
    scope: IntrinsicScope;
    globals: Readonly<Partial<Record<GlobalsSection, unknown>>>;
    resourceTypes: ReadonlyMap<string, string>;
    /** The template file, whose directory local OpenAPI files are relative to. */
    file: string;
    functionNames?: ReadonlyMap<string, string>;
  }) {
    this.#log = options.log;
    this.#scope = options.scope;
    this.#globals = options.globals;
    this.#resourceTypes = options.resourceTypes;
    this.#file = options.file;
    this.#rootDir = dirname(options.file);
    this.#functionNames = options.functionNames ?? new Map();
  }

  async addResource(id: string, kind: ApiKind, local: Json | undefined): Promise<void> {
    const api = await this.#read(id, kind, local, false);
    if (api !== undefined) this.#apis.set(id, api);
  }

  async addEvent(event: ApiEvent): Promise<void> {
    const at = ["Resources", event.functionName, "Properties", "Events", event.eventName];
    if (event.type !== "HttpApi" && event.type !== "Api") {
      this.#log.warn(
        [...at, "Type"],
        `event type \`${event.type}\` is ignored: Portico serves HttpApi and Api events`,
      );
      return;
    }
    const kind: ApiKind = event.type === "HttpApi" ? "http" : "rest";
    const checked = await checkSchema(
      kind === "http" ? httpApiEventSchema : restApiEventSchema,
      event.properties ?? {},
    );
    if (!checked.ok) return this.#log.addAll(checked.issues, (path) => [...at, "Properties", ...path]);
    const props = checked.data as Json;
    const idKey = kind === "http" ? "ApiId" : "RestApiId";
    const api = await this.#apiFor(props[idKey], kind, [...at, "Properties", idKey]);
    const route = this.#routeKey(props.Method as string | undefined, props.Path as string | undefined, at);
    if (api === undefined || route === undefined) return;
    const conflict = api.keys.add(route);
    if (conflict !== undefined) return this.#log.add(at, `${conflict} in API \`${api.draft.name}\``);
    const sink = this.#sink(kind, (path) => path);
    const own = readEventAuth(props.Auth, [...at, "Properties", "Auth"], api.auth, sink, (spec) =>
      api.authorization.declare(spec),
    );
    api.routes.push({
      ...route,
      functionName: event.functionName,
      payloadFormat:
        kind === "http" ? (props.PayloadFormatVersion as PayloadFormat) : DEFAULTS.sam.restApiPayloadFormat,
      timeoutMs: kind === "http" ? (props.TimeoutInMillis as number) : REST_INTEGRATION_TIMEOUT_MS,
      ...api.authorization.forRoute(route.method, own),
    });
    if (kind === "http") {
      const settings = props.RouteSettings as RouteSettings | undefined;
      api.throttling.readEvent(settings, route.routeKey, [...at, "Properties", "RouteSettings"], this.#log);
    }
  }

  /** Explicit APIs in template order, then the implicit ones events created; warns about unmatched route settings. */
  specs(): ApiSpec[] {
    return [...this.#apis.values()].map((api) =>
      assembleApi({
        ...api.draft,
        stages: api.throttling.apply(api.draft.stages, api.routes, this.#log),
        routes: api.routes,
        authorizers: api.authorization.usedBy(api.routes),
      }),
    );
  }

  async #read(
    id: string,
    kind: ApiKind,
    local: Json | undefined,
    implicit: boolean,
  ): Promise<ApiEntry | undefined> {
    const name = samApiName(id);
    const nameProblem = apiNameProblem(name);
    if (nameProblem !== undefined) {
      return this.#log.add(["Resources", id], `gives the API the name \`${name}\`, which ${nameProblem}`);
    }
    const section = GLOBALS[kind];
    const resolved = resolveProperties(local, this.#globals[section], { id, section }, this.#scope);
    // An implicit API has no resource: whatever is wrong with it was written in Globals.
    const locate = implicit ? (path: Path): Path => ["Globals", section, ...path] : resolved.locate;
    const properties = resolved.properties as Json;
    const { definition, sink } = await this.#definition(kind, properties, locate);
    const auth = readSamAuth(properties.Auth, ["Auth"], this.#sink(kind, locate));
    const authorization = new ApiAuthorization({
      schemes: definition?.schemes,
      documentSecurity: definition?.security,
      sam: auth,
    });
    let entry: ApiEntry | undefined;
    if (kind === "http") {
      const checked = await checkSchema(httpApiSchema, properties);
      if (!checked.ok) return this.#log.addAll(checked.issues, locate);
      const api = checked.data;
      const throttling = new SamThrottling();
      throttling.readHttpApi(api, locate, this.#log);
      // SAM writes the fields CorsConfiguration gives over the document's x-amazon-apigateway-cors.
      const cors =
        api.CorsConfiguration === undefined || definition?.cors === undefined
          ? (api.CorsConfiguration ?? definition?.cors)
          : { ...definition.cors, ...definedFields(api.CorsConfiguration) };
      entry = apiEntry(kind, name, api.StageName, api.StageVariables, cors, api.Domain?.DomainName, {
        throttling,
        authorization,
        auth,
        accessLogFormat: accessLogFormatOf(api.AccessLogSettings, locate(["AccessLogSettings"]), this.#log),
      });
    } else {
      const checked = await checkSchema(restApiSchema, properties);
      if (!checked.ok) return this.#log.addAll(checked.issues, locate);
      const api = checked.data;
      const throttling = new SamThrottling();
      throttling.readRestApi(api.MethodSettings, locate, this.#log);
      entry = apiEntry(kind, name, api.StageName, api.Variables, api.Cors, api.Domain?.DomainName, {
        throttling,
        authorization,
        auth,
        // SAM merges the property's types with the document's.
        binaryMediaTypes: unionOf(api.BinaryMediaTypes, definition?.binaryMediaTypes),
        accessLogFormat: accessLogFormatOf(api.AccessLogSetting, locate(["AccessLogSetting"]), this.#log),
      });
    }
    for (const route of definition?.routes ?? []) {
      const conflict = entry.keys.add(route.route);
      if (conflict !== undefined) {
        sink.error(route.at, `${conflict} in API \`${name}\``);
        continue;
      }
      entry.routes.push({
        ...route.route,
        functionName: route.functionName,
        payloadFormat: route.payloadFormat,
        timeoutMs: route.timeoutMs,
        ...authorization.forRoute(route.route.method, route.security),
      });
    }
    return entry;
  }

  /**
   * The API's OpenAPI document (`DefinitionBody`, `AWS::Include`, `DefinitionUri`), read (undefined without one),
   * and where to report problems found in it.
   */
  async #definition(
    kind: ApiKind,
    properties: Json,
    locate: (path: Path) => Path,
  ): Promise<{ definition: OpenApiDefinition | undefined; sink: DefinitionSink }> {
    const reading = await samDefinitionSource(properties, this.#rootDir, this.#scope);
    if (!reading.ok) {
      if (reading.warning) this.#log.warn(locate(reading.at), reading.reason);
      else this.#log.add(locate(reading.at), reading.reason);
    }
    const source = reading.ok ? reading.source : undefined;
    const sink = this.#sink(kind, locate, source);
    const definition = source === undefined ? undefined : await readOpenApi(source.document, sink);
    return { definition, sink };
  }

  /**
   * Reports problems at template paths (`locate` places them); in an OpenAPI file, at the property naming the
   * file, with the place in the file first in the reason.
   */
  #sink(kind: ApiKind, locate: (path: Path) => Path, source?: DefinitionSource): DefinitionSink {
    const log = this.#log;
    const inFile = source?.kind === "file" ? source : undefined;
    const place = (path: Path): { at: Path; prefix: string } =>
      inFile === undefined
        ? { at: locate(source === undefined ? path : ["DefinitionBody", ...path]), prefix: "" }
        : {
            at: locate(inFile.property),
            prefix: `${basename(inFile.file)}${path.length === 0 ? "" : ` ${formatKeyPath(path)}`}: `,
          };
    return {
      kind,
      error: (path, reason, hint) => {
        const { at, prefix } = place(path);
        log.add(at, prefix + reason, hint);
      },
      warn: (path, reason) => {
        const { at, prefix } = place(path);
        log.warn(at, prefix + reason);
      },
      where: (path) =>
        inFile === undefined
          ? `${basename(this.#file)}: ${formatKeyPath(place(path).at)}`
          : `${basename(inFile.file)}: ${formatKeyPath(path)}`,
      functionOf: (uri) => this.#functionOf(uri),
    };
  }

  /** The template function a Lambda ARN or URI invokes: by logical id, or by its `FunctionName`. */
  #functionOf(uri: unknown): { name: string } | { problem: string } {
    const target = lambdaTarget(uri);
    if (target === undefined) {
      return {
        problem: `${describeValue(uri)} names no Lambda function Portico can tell; write !GetAtt Fn.Arn, !Sub "arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations" or a function ARN`,
      };
    }
    const id = target.kind === "resource" ? target.logicalId : target.name;
    if (this.#resourceTypes.get(id) === FUNCTION_TYPE) return { name: id };
    const named = target.kind === "name" ? this.#functionNames.get(target.name) : undefined;
    if (named !== undefined) return { name: named };
    return { problem: `function \`${id}\` is not an ${FUNCTION_TYPE} of this template` };
  }

  /** The API an event attaches to: a `Ref` to an API resource, or the implicit API SAM creates. */
  async #apiFor(ref: unknown, kind: ApiKind, at: Path): Promise<ApiEntry | undefined> {
    if (ref === undefined) return this.#implicitApi(kind);
    const target = typeof ref === "string" ? ref : (ref as Json | null)?.Ref;
    if (typeof target === "string" && this.#resourceTypes.get(target) === API_TYPES[kind]) {
      // Undefined when the API has problems of its own, already reported.
      return this.#apis.get(target);
    }
    const known = [...this.#resourceTypes].filter(([, type]) => type === API_TYPES[kind]).map(([id]) => id);
    const list = known.length === 0 ? "the template has none" : `known: ${known.join(", ")}`;
    return this.#log.add(
      at,
      `must be a Ref to an ${API_TYPES[kind]} resource in this template (${list}), got ${describeValue(ref)}`,
    );
  }

  async #implicitApi(kind: ApiKind): Promise<ApiEntry | undefined> {
    const id = IMPLICIT_API[kind];
    const existing = this.#apis.get(id);
    if (existing !== undefined) return existing;
    const local = kind === "rest" ? { StageName: DEFAULTS.sam.implicitRestApiStage } : {};
    const api = await this.#read(id, kind, local, true);
    if (api !== undefined) this.#apis.set(id, api);
    return api;
  }

  #routeKey(method: string | undefined, path: string | undefined, at: Path): ParsedRouteKey | undefined {
    if (method === undefined || path === undefined) return DEFAULT_ROUTE;
    const lower = method.toLowerCase();
    const verb = lower === "any" || lower === "x-amazon-apigateway-any-method" ? "ANY" : method.toUpperCase();
    if (!(ROUTE_METHODS as readonly string[]).includes(verb)) {
      return this.#log.add(
        [...at, "Properties", "Method"],
        `must be one of get, post, put, patch, delete, head, options or any, got ${describeValue(method)}`,
      );
    }
    // SAM trims a trailing slash from HttpApi paths (API Gateway would refuse it); REST APIs ignore it anyway.
    const trimmed = path.length > 1 ? path.replace(/\/+$/, "") || "/" : path;
    const parsed = parseRouteKey(`${verb} ${trimmed}`);
    if (!parsed.ok) return this.#log.add([...at, "Properties", "Path"], parsed.reason);
    return parsed.value;
  }
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

function apiEntry(
  kind: ApiKind,
  name: string,
  stageName: string,
  variables: Readonly<Record<string, string>>,
  cors: CorsDraft | undefined,
  domain: string | undefined,
  parts: Pick<ApiEntry, "throttling" | "authorization" | "auth"> & {
    binaryMediaTypes?: readonly string[] | undefined;
    accessLogFormat?: string | undefined;
  },
): ApiEntry {
  // The named stage is what AWS serves; `$default` stands for the same deployment served at the root, as
  // `sam local start-api` serves it, so it carries the same variables. (A REST API has no `$default` stage:
  // the gateway answers at its root as the named stage.)
  const accessLog = parts.accessLogFormat === undefined ? {} : { accessLogFormat: parts.accessLogFormat };
  const stages: StageSpec[] = [{ name: "$default", variables, ...accessLog }];
  if (stageName !== "$default") stages.push({ name: stageName, variables, ...accessLog });
  return {
    draft: {
      name,
      kind,
      cors: cors === undefined ? null : corsSpec(cors),
      stages,
      domains: domain === undefined ? [] : [domain],
      ...(parts.binaryMediaTypes === undefined ? {} : { binaryMediaTypes: parts.binaryMediaTypes }),
    },
    routes: [],
    keys: new RouteKeySet(),
    throttling: parts.throttling,
    authorization: parts.authorization,
    auth: parts.auth,
  };
}

/** Both lists' entries, each once, or undefined when neither is given. */
function unionOf(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined {
  if (a === undefined && b === undefined) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}
