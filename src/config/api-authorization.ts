/**
 * One API's authorizers and how a route gets one, in SAM's order: the route's own choice (an operation's
 * `security`, an event's `Auth`), else the API's `DefaultAuthorizer`, else the OpenAPI document's top-level
 * `security`, else none.
 */
import type { AuthorizerSpec, RouteSpec } from "../model/index.js";
import type { SecurityScheme } from "./openapi-authorizers.js";
import type { RouteAuthChoice } from "./openapi-definition.js";
import type { SamAuth } from "./sam-auth.js";

type RouteAuthorization = Pick<RouteSpec, "authorizer" | "authorizationScopes">;

export class ApiAuthorization {
  readonly #authorizers = new Map<string, AuthorizerSpec>();
  readonly #sam: SamAuth | undefined;
  readonly #documentSecurity: RouteAuthChoice | undefined;

  constructor(options: {
    schemes?: ReadonlyMap<string, SecurityScheme> | undefined;
    documentSecurity?: RouteAuthChoice | undefined;
    sam?: SamAuth | undefined;
  }) {
    for (const [name, scheme] of options.schemes ?? []) {
      if (scheme.kind === "authorizer") this.#authorizers.set(name, scheme.spec);
    }
    // SAM writes its authorizers into the document's schemes, replacing any of the same name.
    for (const [name, spec] of options.sam?.authorizers ?? []) this.#authorizers.set(name, spec);
    this.#sam = options.sam;
    this.#documentSecurity = options.documentSecurity;
  }

  /** Adds an authorizer a route declares by naming it (`AWS_IAM` on one event). */
  declare(spec: AuthorizerSpec): void {
    if (!this.#authorizers.has(spec.name)) this.#authorizers.set(spec.name, spec);
  }

  /** The authorizers `routes` name (the model lists no others), in the order they were declared. */
  usedBy(routes: readonly RouteSpec[]): AuthorizerSpec[] {
    const named = new Set(routes.map((route) => route.authorizer));
    return [...this.#authorizers.values()].filter((spec) => named.has(spec.name));
  }

  /** The route's authorizer and scopes; `own` undefined when the route says nothing itself. */
  forRoute(method: string, own: RouteAuthChoice | undefined): RouteAuthorization {
    const fallback = this.#sam?.defaultAuthorizer;
    const guarded = method !== "OPTIONS" || this.#sam?.defaultGuardsOptions === true;
    const choice =
      own ??
      (fallback !== undefined && guarded
        ? { authorizer: fallback, scopes: this.#sam?.scopes.get(fallback) }
        : this.#documentSecurity);
    if (choice?.authorizer === undefined) return {};
    const scopes = choice.scopes ?? [];
    return scopes.length === 0
      ? { authorizer: choice.authorizer }
      : { authorizer: choice.authorizer, authorizationScopes: scopes };
  }
}
