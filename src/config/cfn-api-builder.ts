/**
 * One API as a CloudFormation template spreads it over resources: its routes, stages and the authorizers its
 * routes name, gathered in any order and assembled into an ApiSpec once all are read.
 */
import type { ApiSpec, AuthorizerSpec, CorsSpec, RouteSpec, StageSpec } from "../model/index.js";
import { unservedAuthorizer } from "./cfn-authorizers.js";
import type { CfnContext } from "./cfn-context.js";
import { apiNameProblem, describeValue } from "./field-schemas.js";
import { assembleApi } from "./model-assembly.js";
import { type ParsedRouteKey, RouteKeySet } from "./route-key.js";
import type { SamThrottling } from "./sam-throttling.js";

type Json = Record<string, unknown>;
type Path = readonly PropertyKey[];

/** The model name of an API resource, by SAM's rule: the logical id in lowercase, other characters as `-`. */
export function cfnApiName(logicalId: string): string {
  return logicalId.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/** The name of the stand-in authorizer of routes with `AuthorizationType: AWS_IAM`. */
const IAM_AUTHORIZER = "AWS_IAM";

export class CfnApiBuilder {
  readonly id: string;
  readonly kind: ApiSpec["kind"];
  cors: CorsSpec | null = null;
  binaryMediaTypes: readonly string[] = [];
  readonly #routes: RouteSpec[] = [];
  readonly #keys = new RouteKeySet();
  readonly #stages: { stage: StageSpec; throttling: SamThrottling }[] = [];
  readonly #authorizers = new Map<string, AuthorizerSpec>();

  constructor(id: string, kind: ApiSpec["kind"]) {
    this.id = id;
    this.kind = kind;
  }

  /** Undefined (with an error logged) when the logical id makes no valid API name. */
  static create(ctx: CfnContext, id: string, kind: ApiSpec["kind"]): CfnApiBuilder | undefined {
    const problem = apiNameProblem(cfnApiName(id));
    if (problem !== undefined) {
      return ctx.log.add(["Resources", id], `gives the API the name \`${cfnApiName(id)}\`, which ${problem}`);
    }
    return new CfnApiBuilder(id, kind);
  }

  addRoute(
    ctx: CfnContext,
    key: ParsedRouteKey,
    route: Omit<RouteSpec, keyof ParsedRouteKey>,
    at: Path,
  ): void {
    const conflict = this.#keys.add(key);
    if (conflict !== undefined) {
      ctx.log.add(at, `${conflict} in API \`${cfnApiName(this.id)}\``);
      return;
    }
    this.#routes.push({ ...key, ...route });
  }

  /** A stage; a second one of the same name (a `Deployment`'s `StageName` and its `Stage`) adds nothing. */
  addStage(stage: StageSpec, throttling: SamThrottling): void {
    if (this.#stages.some((existing) => existing.stage.name === stage.name)) return;
    this.#stages.push({ stage, throttling });
  }

  /**
   * The authorization of a route or method: `NONE`, `AWS_IAM` (an unserved stand-in), or the authorizer its
   * `AuthorizerId` names, with `AuthorizationScopes`. Undefined (an error logged) when it names none: a
   * protected route is never served open.
   */
  authorization(
    ctx: CfnContext,
    props: Json,
    authorizers: ReadonlyMap<string, AuthorizerSpec | undefined>,
    authorizerType: string,
    at: Path,
  ): Pick<RouteSpec, "authorizer" | "authorizationScopes"> | undefined {
    const written = props.AuthorizationType ?? "NONE";
    if (typeof written !== "string") {
      // Never guess `NONE` for a value that cannot be read: the route might be a protected one.
      return ctx.log.add(
        [...at, "AuthorizationType"],
        `must be NONE, AWS_IAM, CUSTOM, JWT or COGNITO_USER_POOLS, got ${describeValue(written)}`,
      );
    }
    const type = written;
    if (type === "NONE") return {};
    if (type === "AWS_IAM") {
      const why = "IAM authorization is not checked locally";
      const consequence = "the route answers as AWS does to a caller without credentials";
      const path = [...at, "AuthorizationType"];
      if (this.#authorizers.has(IAM_AUTHORIZER)) ctx.log.warn(path, `${why}; ${consequence}`);
      else
        this.#authorizers.set(
          IAM_AUTHORIZER,
          unservedAuthorizer(ctx, IAM_AUTHORIZER, "AWS_IAM", path, why, consequence),
        );
      return { authorizer: IAM_AUTHORIZER };
    }
    const id = ctx.refTo(props.AuthorizerId, authorizerType);
    if (id === undefined) {
      return ctx.log.add(
        [...at, "AuthorizerId"],
        `must be a Ref to an ${authorizerType} resource in this template, for AuthorizationType ${type}`,
      );
    }
    const spec = authorizers.get(id);
    // Undefined when the authorizer has problems of its own, already reported.
    if (spec === undefined) return undefined;
    this.#authorizers.set(id, spec);
    const scopes = Array.isArray(props.AuthorizationScopes)
      ? props.AuthorizationScopes.filter((scope): scope is string => typeof scope === "string")
      : [];
    return scopes.length > 0 ? { authorizer: id, authorizationScopes: scopes } : { authorizer: id };
  }

  spec(ctx: CfnContext): ApiSpec {
    const named = this.#stages.map(({ stage, throttling }) => {
      const [applied] = throttling.apply([stage], this.#routes, ctx.log);
      return applied as StageSpec;
    });
    // As `sam local` serves it, the deployment is also served at the root as `$default`, with the first stage's
    // variables and limits, unless a stage is `$default` itself.
    const first = named[0];
    const stages =
      first === undefined || named.some((stage) => stage.name === "$default")
        ? named
        : [{ ...first, name: "$default" }, ...named];
    const api = assembleApi({
      name: cfnApiName(this.id),
      kind: this.kind,
      cors: this.cors,
      routes: this.#routes,
      stages,
      domains: [],
    });
    return {
      ...api,
      ...(this.#authorizers.size > 0 ? { authorizers: [...this.#authorizers.values()] } : {}),
      ...(this.binaryMediaTypes.length > 0 ? { binaryMediaTypes: this.binaryMediaTypes } : {}),
    };
  }
}
