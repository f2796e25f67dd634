/**
 * A Lambda authorizer (aws.md §6.3): the caller's identity values are read first (a request missing one is
 * answered 401 without invoking), then the function decides, and its decision is cached by those values for
 * `resultTtlSeconds`. A cached IAM policy is matched against each later request's ARN, as on AWS.
 */
import { randomUUID } from "node:crypto";
import {
  type AuthorizerDecision,
  authorizerEventRestRequest,
  authorizerEventRestToken,
  authorizerEventV1,
  authorizerEventV2,
  evaluatePolicy,
  executeApiArn,
  type GatewayRequest,
  type GatewayResponses,
  type RouteContext,
  readAuthorizerResponse,
} from "../../aws/index.js";
import type { ApiKind, LambdaAuthorizerSpec } from "../../model/index.js";
import { type FunctionIntegration, invokeWithin } from "../integration.js";
import { type Authorization, type Authorizer, type RouteGuard, refused } from "./authorization.js";
import { compileIdentitySource, type IdentityReader } from "./identity-source.js";

/** API Gateway waits this long for a Lambda authorizer (aws.md §6.2). */
const AUTHORIZER_TIMEOUT_MS = 10_000;
/** Cached decisions kept at most; past it the cache starts over, so a flood of identities cannot grow it. */
const MAX_CACHED_DECISIONS = 10_000;

interface CachedDecision {
  readonly decision: AuthorizerDecision;
  readonly expiresAt: number;
}

export class LambdaAuthorizer implements Authorizer {
  readonly #spec: LambdaAuthorizerSpec;
  readonly #rest: boolean;
  readonly #apiArn: string;
  readonly #responses: GatewayResponses;
  readonly #integration: FunctionIntegration;
  readonly #identity: readonly IdentityReader[];
  readonly #validation: RegExp | undefined;
  readonly #cache = new Map<string, CachedDecision>();

  constructor(
    spec: LambdaAuthorizerSpec,
    options: {
      readonly kind: ApiKind;
      /** `arn:aws:execute-api:{region}:{account}:{apiId}`. */
      readonly apiArn: string;
      readonly responses: GatewayResponses;
      readonly integration: FunctionIntegration;
    },
  ) {
    this.#spec = spec;
    this.#rest = options.kind === "rest";
    this.#apiArn = options.apiArn;
    this.#responses = options.responses;
    this.#integration = options.integration;
    this.#identity = spec.identitySources.map((expression) => {
      const reader = compileIdentitySource(expression);
      if (typeof reader === "string") throw new Error(`authorizer ${spec.name}: ${reader}`);
      return reader;
    });
    this.#validation =
      spec.validationExpression === undefined ? undefined : new RegExp(`^(?:${spec.validationExpression})$`);
  }

  /** Scopes are a JWT matter: a Lambda authorizer decides alone. */
  guard(): RouteGuard {
    return (request, route) => this.#authorize(request, route);
  }

  async #authorize(request: GatewayRequest, route: RouteContext): Promise<Authorization> {
    const identity: string[] = [];
    for (const read of this.#identity) {
      const value = read(request, route);
      if (value === undefined) return refused(this.#responses.unauthorized());
      identity.push(value);
    }
    if (this.#validation !== undefined && !this.#validation.test(identity[0] ?? "")) {
      return refused(this.#responses.unauthorized());
    }
    const arn = executeApiArn(this.#apiArn, route, request.method, request.path);
    const cacheKey =
      this.#spec.resultTtlSeconds > 0 && identity.length > 0 ? identity.join("\u0000") : undefined;
    const cached = cacheKey === undefined ? undefined : this.#cache.get(cacheKey);
    if (cached !== undefined && cached.expiresAt > Date.now()) return this.#apply(cached.decision, arn, 0);

    const startedAt = performance.now();
    const outcome = await invokeWithin(
      this.#integration,
      this.#event(request, route, arn, identity),
      { traceId: request.invokeTraceId ?? request.traceId, requestId: randomUUID() },
      AUTHORIZER_TIMEOUT_MS,
    );
    const latencyMs = Math.round(performance.now() - startedAt);
    if (outcome === "timeout") {
      return this.#failed(`did not answer within ${AUTHORIZER_TIMEOUT_MS / 1000} s`);
    }
    if (outcome.type === "error") {
      const message = errorMessage(outcome.payload);
      // A REST authorizer that fails with exactly "Unauthorized" asks for a 401 (AWS's documented idiom).
      if (this.#rest && message === "Unauthorized") return refused(this.#responses.unauthorized());
      return this.#failed(`failed: ${outcome.errorType}${message ? `: ${message}` : ""}`);
    }
    const read = readAuthorizerResponse(outcome.payload, {
      simpleResponses: this.#spec.simpleResponses,
      restRules: this.#rest,
    });
    if (!read.ok) return this.#failed(`answered an invalid response: ${read.reason}`);
    if (cacheKey !== undefined) {
      if (this.#cache.size >= MAX_CACHED_DECISIONS) this.#cache.clear();
      this.#cache.set(cacheKey, {
        decision: read.decision,
        expiresAt: Date.now() + this.#spec.resultTtlSeconds * 1000,
      });
    }
    return this.#apply(read.decision, arn, latencyMs);
  }

  #apply(decision: AuthorizerDecision, arn: string, latencyMs: number): Authorization {
    if (decision.kind === "simple") {
      if (!decision.allowed) return refused(this.#responses.forbidden(false));
      return {
        allowed: true,
        result: { kind: "lambda", principalId: undefined, context: decision.context, latencyMs },
      };
    }
    const verdict = evaluatePolicy(decision.statements, arn);
    if (verdict !== "allow") return refused(this.#responses.forbidden(verdict === "explicit-deny"));
    return {
      allowed: true,
      result: { kind: "lambda", principalId: decision.principalId, context: decision.context, latencyMs },
    };
  }

  #event(request: GatewayRequest, route: RouteContext, arn: string, identity: readonly string[]): string {
    let event: object;
    if (this.#rest) {
      event =
        this.#spec.requestType === "TOKEN"
          ? authorizerEventRestToken(identity[0] ?? "", arn)
          : authorizerEventRestRequest(request, route, arn);
    } else {
      event =
        this.#spec.payloadFormat === "2.0"
          ? authorizerEventV2(request, route, arn, identity)
          : authorizerEventV1(request, route, arn, identity);
    }
    return JSON.stringify(event);
  }

  #failed(why: string): Authorization {
    const name = this.#spec.functionName;
    return refused(
      this.#responses.authorizerFailed(),
      `authorizer ${this.#spec.name} (function ${name}) ${why}`,
    );
  }
}

function errorMessage(payload: Buffer): string | undefined {
  try {
    const message = (JSON.parse(payload.toString("utf8")) as { errorMessage?: unknown }).errorMessage;
    return typeof message === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}
