/**
 * The guard of each protected route of an API, built once per deployment. A route whose authorizer Portico
 * cannot run, or that names one the API does not declare, is never served open: it answers as AWS answers a
 * caller without credentials. Only `--disable-authorizers` serves every route open.
 */
import type { GatewayResponses } from "../../aws/index.js";
import type { ApiSpec, AuthorizerSpec, RouteSpec } from "../../model/index.js";
import type { FunctionIntegration } from "../integration.js";
import { type Authorizer, type RouteGuard, refused } from "./authorization.js";
import { JwtAuthorizer } from "./jwt-authorizer.js";
import { LambdaAuthorizer } from "./lambda-authorizer.js";

export interface GuardOptions {
  readonly responses: GatewayResponses;
  readonly integrationFor: (functionName: string) => FunctionIntegration;
  /** `arn:aws:execute-api:{region}:{account}:{apiId}`. */
  readonly apiArn: string;
}

/** Route → guard, for the routes that name an authorizer. */
export function compileRouteGuards(spec: ApiSpec, options: GuardOptions): Map<RouteSpec, RouteGuard> {
  const authorizers = new Map((spec.authorizers ?? []).map((authorizer) => [authorizer.name, authorizer]));
  const built = new Map<string, Authorizer>();
  const guards = new Map<RouteSpec, RouteGuard>();
  for (const route of spec.routes) {
    if (route.authorizer === undefined) continue;
    const authorizer = authorizers.get(route.authorizer);
    let runner = built.get(route.authorizer);
    if (runner === undefined) {
      runner =
        authorizer === undefined
          ? unservable(undefined, options.responses)
          : build(authorizer, spec, options);
      built.set(route.authorizer, runner);
    }
    guards.set(route, runner.guard(route.authorizationScopes ?? []));
  }
  return guards;
}

function build(authorizer: AuthorizerSpec, spec: ApiSpec, options: GuardOptions): Authorizer {
  const { responses } = options;
  switch (authorizer.type) {
    case "jwt":
      return new JwtAuthorizer(authorizer, {
        unauthorized: responses.unauthorized,
        forbidden: () => responses.forbidden(false),
      });
    case "lambda":
      return new LambdaAuthorizer(authorizer, {
        kind: spec.kind,
        apiArn: options.apiArn,
        responses,
        integration: options.integrationFor(authorizer.functionName),
      });
    default:
      return unservable(authorizer.kind, responses);
  }
}

/** IAM routes answer as to a request without a signature; the others as to one without a token. */
function unservable(kind: string | undefined, responses: GatewayResponses): Authorizer {
  const answer = kind === "AWS_IAM" ? responses.iamUnauthenticated : responses.unauthorized;
  const guard: RouteGuard = async () => refused(answer());
  return { guard: () => guard };
}
