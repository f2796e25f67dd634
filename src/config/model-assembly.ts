/** Final assembly shared by both config formats: API ids, the `$default` stage, deep freezing. */
import { stat } from "node:fs/promises";
import type {
  ApiSpec,
  AuthorizerSpec,
  CorsSpec,
  FunctionSpec,
  Project,
  RouteSpec,
  ServiceSpec,
  StageSpec,
} from "../model/index.js";
import { apiIdFor } from "./api-id.js";

export interface ApiDraft {
  readonly name: string;
  readonly kind: ApiSpec["kind"];
  readonly cors: CorsSpec | null;
  readonly routes: readonly RouteSpec[];
  /** Named stages and possibly `$default`, in the order written. */
  readonly stages: readonly StageSpec[];
  readonly domains: readonly string[];
  readonly authorizers?: readonly AuthorizerSpec[];
  /** A REST API's `BinaryMediaTypes`; absent: none. */
  readonly binaryMediaTypes?: readonly string[];
}

export function assembleApi(draft: ApiDraft): ApiSpec {
  const defaultStage = draft.stages.find((stage) => stage.name === "$default") ?? {
    name: "$default",
    variables: {},
  };
  return {
    name: draft.name,
    kind: draft.kind,
    apiId: apiIdFor(draft.name),
    cors: draft.cors,
    routes: draft.routes,
    stages: [defaultStage, ...draft.stages.filter((stage) => stage.name !== "$default")],
    domains: draft.domains,
    // Only when present, so records of APIs without them read as they always have.
    ...(draft.authorizers === undefined || draft.authorizers.length === 0
      ? {}
      : { authorizers: draft.authorizers }),
    ...(draft.binaryMediaTypes === undefined ? {} : { binaryMediaTypes: draft.binaryMediaTypes }),
  };
}

export interface CorsDraft {
  readonly allowOrigins?: readonly string[] | undefined;
  readonly allowMethods?: readonly string[] | undefined;
  readonly allowHeaders?: readonly string[] | undefined;
  readonly exposeHeaders?: readonly string[] | undefined;
  readonly maxAge?: number | undefined;
  readonly allowCredentials?: boolean | undefined;
}

export function corsSpec(draft: CorsDraft): CorsSpec {
  return {
    allowOrigins: draft.allowOrigins ?? [],
    allowMethods: draft.allowMethods ?? [],
    allowHeaders: draft.allowHeaders ?? [],
    exposeHeaders: draft.exposeHeaders ?? [],
    maxAge: draft.maxAge,
    allowCredentials: draft.allowCredentials ?? false,
  };
}

export function assembleProject(
  rootDir: string,
  configFile: string,
  functions: readonly FunctionSpec[],
  apis: readonly ApiSpec[],
  services: readonly ServiceSpec[],
): Project {
  return deepFreeze({
    rootDir,
    configFile,
    functions: freezeMap("functions", byName(functions)),
    apis,
    services: freezeMap("services", byName(services)),
  });
}

function byName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item] as const));
}

/** Why `dir` cannot hold code (a function's or a service's), or undefined when it is a directory. */
export async function directoryProblem(dir: string): Promise<string | undefined> {
  try {
    const info = await stat(dir);
    return info.isDirectory() ? undefined : `is not a directory: ${dir}`;
  } catch {
    return `directory does not exist: ${dir}`;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  if (value instanceof Map) for (const item of value.values()) deepFreeze(item);
  else for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}

/** Object.freeze leaves a Map's entries writable; this one refuses changes as a frozen object does. */
function freezeMap<K, V>(what: string, map: Map<K, V>): ReadonlyMap<K, V> {
  const refuse = () => {
    throw new TypeError(`the project's ${what} are frozen`);
  };
  for (const item of map.values()) deepFreeze(item);
  Object.defineProperties(map, {
    set: { value: refuse },
    delete: { value: refuse },
    clear: { value: refuse },
  });
  return Object.freeze(map);
}
