/**
 * SAM's APIs: `AWS::Serverless::HttpApi` and `Api` resources, the implicit APIs SAM creates for events
 * without an API id, and the routes function `HttpApi` / `Api` events add to them. `Api` resources and events
 * give REST APIs (`kind: "rest"`), served with REST's event shape and answers, not as HTTP APIs.
 */
import type { ApiSpec, PayloadFormat, RouteSpec, StageSpec } from "../model/index.js";
import { DEFAULTS } from "./defaults.js";
import { apiNameProblem, describeValue } from "./field-schemas.js";
import type { IssueLog } from "./issue-log.js";
import { type ApiDraft, assembleApi, type CorsDraft, corsSpec } from "./model-assembly.js";
import {
  DEFAULT_ROUTE,
  type ParsedRouteKey,
  parseRouteKey,
  ROUTE_METHODS,
  RouteKeySet,
} from "./route-key.js";
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
/** REST integrations time out at 29 s, HTTP API ones at 30 s. */
const REST_INTEGRATION_TIMEOUT_MS = 29_000;

export interface ApiEvent {
  readonly functionName: string;
  readonly eventName: string;
  readonly type: string;
  readonly properties: unknown;
}

interface ApiEntry {
  readonly draft: Omit<ApiDraft, "routes">;
  readonly routes: RouteSpec[];
  readonly keys: RouteKeySet;
  readonly throttling: SamThrottling;
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
  readonly #apis = new Map<string, ApiEntry>();

  constructor(options: {
    log: IssueLog;
    scope: IntrinsicScope;
    globals: Readonly<Partial<Record<GlobalsSection, unknown>>>;
    resourceTypes: ReadonlyMap<string, string>;
  }) {
    this.#log = options.log;
    this.#scope = options.scope;
    this.#globals = options.globals;
    this.#resourceTypes = options.resourceTypes;
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
    api.routes.push({
      ...route,
      functionName: event.functionName,
      payloadFormat:
        kind === "http" ? (props.PayloadFormatVersion as PayloadFormat) : DEFAULTS.sam.restApiPayloadFormat,
      timeoutMs: kind === "http" ? (props.TimeoutInMillis as number) : REST_INTEGRATION_TIMEOUT_MS,
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
    if (properties.DefinitionBody !== undefined || properties.DefinitionUri !== undefined) {
      this.#log.warn(
        locate(["DefinitionBody"]),
        "routes in an OpenAPI definition are not read; declare them as function Events",
      );
    }
    if (kind === "http") {
      const checked = await checkSchema(httpApiSchema, properties);
      if (!checked.ok) return this.#log.addAll(checked.issues, locate);
      const api = checked.data;
      const throttling = new SamThrottling();
      throttling.readHttpApi(api, locate, this.#log);
      return apiEntry(
        kind,
        name,
        api.StageName,
        api.StageVariables,
        api.CorsConfiguration,
        api.Domain?.DomainName,
        throttling,
      );
    }
    const checked = await checkSchema(restApiSchema, properties);
    if (!checked.ok) return this.#log.addAll(checked.issues, locate);
    const api = checked.data;
    const throttling = new SamThrottling();
    throttling.readRestApi(api.MethodSettings, locate, this.#log);
    const entry = apiEntry(
      kind,
      name,
      api.StageName,
      api.Variables,
      api.Cors,
      api.Domain?.DomainName,
      throttling,
    );
    return api.BinaryMediaTypes === undefined
      ? entry
      : { ...entry, draft: { ...entry.draft, binaryMediaTypes: api.BinaryMediaTypes } };
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

function apiEntry(
  kind: ApiKind,
  name: string,
  stageName: string,
  variables: Readonly<Record<string, string>>,
  cors: CorsDraft | undefined,
  domain: string | undefined,
  throttling: SamThrottling,
): ApiEntry {
  // The named stage is what AWS serves; `$default` stands for the same deployment served at the root, as
  // `sam local start-api` serves it, so it carries the same variables. (A REST API has no `$default` stage:
  // the gateway answers at its root as the named stage.)
  const stages: StageSpec[] = [{ name: "$default", variables }];
  if (stageName !== "$default") stages.push({ name: stageName, variables });
  return {
    draft: {
      name,
      kind,
      cors: cors === undefined ? null : corsSpec(cors),
      stages,
      domains: domain === undefined ? [] : [domain],
    },
    routes: [],
    keys: new RouteKeySet(),
    throttling,
  };
}
