/**
 * The AWS-compatible endpoints of the admin listener: the Lambda API (`/2015-03-31/...`) and the API Gateway v2
 * API (`/v2/...`), so the AWS SDKs and CLI work with only `--endpoint-url` changed. A request is checked as AWS's
 * front end checks it (the signature's head, then the body within the operation's limit, then the signature
 * over it) and every answer, errors included, is in the service's own shape with an `x-amzn-RequestId`.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import Router, { type HTTPVersion } from "find-my-way";
import { AwsApiError, type AwsService, awsErrorAnswer, splitFunctionName } from "../../aws/index.js";
import { clientAddress, readLimitedBody } from "../../http/index.js";
import type { AdminRefusal } from "../admin/admin-guard.js";
import type { AdminMethod } from "../admin/admin-route.js";
import type { Platform } from "../platform.js";
import { apiGatewayV2Routes } from "./apigatewayv2-routes.js";
import type { AwsAccess } from "./aws-access.js";
import { awsErrorOf } from "./aws-error-mapping.js";
import type { AwsAnswer, AwsOperation, BodyLimit } from "./aws-route.js";
import { lambdaInvokeRoute } from "./lambda-invoke-route.js";
import { lambdaRoutes } from "./lambda-routes.js";
import { renderSigV4Refusal, type SigV4Refusal } from "./sigv4-refusal.js";

export interface AwsEndpointsOptions {
  readonly access: AwsAccess;
  /** One line per refused request and per failure of Portico's own. */
  readonly notice: (message: string) => void;
}

/** Lambda's paths start with their API version (`/2015-03-31/functions`, `/2017-03-31/tags`...); v2's with `/v2/`. */
const AWS_PATH = /^\/(\d{4}-\d{2}-\d{2}|v2)\//;
/** Bodies of the operations that take no code or event: small JSON documents. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** How the services sign and answer. */
const SERVICES = {
  lambda: { signingName: "lambda", title: "the Lambda API" },
  apigatewayv2: { signingName: "apigateway", title: "the API Gateway v2 API" },
} as const;

export class AwsEndpoints {
  readonly #options: AwsEndpointsOptions;
  readonly #router = Router<HTTPVersion.V1>({ ignoreTrailingSlash: true });

  constructor(platform: Platform, options: AwsEndpointsOptions) {
    this.#options = options;
    const on = (method: AdminMethod, path: string, operation: AwsOperation) => {
      this.#router.on(method, path, () => {}, { operation });
    };
    lambdaRoutes(on, platform);
    lambdaInvokeRoute(on, platform);
    apiGatewayV2Routes(on, platform);
  }

  /** Whether `path` is one of the AWS APIs'. */
  static owns(path: string): boolean {
    return AWS_PATH.test(path);
  }

  /** Answers a request the admin guard refused (Host, Origin), in the shape AWS tools read. */
  refuse(request: IncomingMessage, path: string, response: ServerResponse, refusal: AdminRefusal): void {
    this.#notice(request, path, `${refusal.status} ${refusal.code}`, refusal.message);
    const error = new AwsApiError(serviceOf(path), refusal.code, refusal.status, {
      message: refusal.message,
    });
    this.#sendError(request, response, error, refusal.headers);
  }

  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    search: string,
  ): Promise<void> {
    const service = serviceOf(path);
    const { signingName } = SERVICES[service];
    const refusal = this.#options.access.checkHead(request, signingName);
    if (refusal) return this.#refuseSignature(request, path, response, refusal);
    const found = this.#router.find(request.method as AdminMethod, path);
    let functionName: string | undefined;
    try {
      if (!found) throw unknownOperation(service, request.method ?? "GET", path);
      const { operation } = found.store as { operation: AwsOperation };
      functionName = found.params.name === undefined ? undefined : splitFunctionName(found.params.name)?.name;
      const body = await readBody(request, operation.bodyLimit?.(request) ?? defaultLimit(service));
      if (body === undefined) return void response.destroy();
      const rejected = await this.#options.access.verify(request, body, signingName);
      if (rejected) return this.#refuseSignature(request, path, response, rejected);
      const query = new URLSearchParams(search);
      const answer = await operation.handler({ request, params: found.params, query, body });
      this.#send(response, answer);
    } catch (error) {
      const awsError = awsErrorOf(error, service, functionName);
      if (awsError.status >= 500) {
        this.#notice(request, path, `${awsError.status} ${awsError.errorType}`, awsError.message, "failed");
      }
      if (response.headersSent) return void response.destroy();
      this.#sendError(request, response, awsError);
    }
  }

  #send(response: ServerResponse, answer: AwsAnswer): void {
    const { body } = answer;
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body);
    response.writeHead(answer.status, {
      ...(payload !== undefined && !Buffer.isBuffer(body) ? { "content-type": "application/json" } : {}),
      ...answer.headers,
      "x-amzn-RequestId": answer.requestId ?? randomUUID(),
      "content-length": payload === undefined ? 0 : Buffer.byteLength(payload),
    });
    response.end(payload);
  }

  #sendError(
    request: IncomingMessage,
    response: ServerResponse,
    error: AwsApiError,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): void {
    const { status, headers, body } = awsErrorAnswer(error);
    // A refused upload may still be arriving: close rather than read the rest of it.
    const closing: Record<string, string> = request.complete ? {} : { connection: "close" };
    this.#send(response, {
      status,
      headers: { ...headers, ...extraHeaders, ...closing },
      body: Buffer.from(body),
    });
  }

  /** Answers before the body is read (or without using it), and closes the connection rather than read it. */
  #refuseSignature(
    request: IncomingMessage,
    path: string,
    response: ServerResponse,
    refusal: SigV4Refusal,
  ): void {
    this.#notice(request, path, `${refusal.status} ${refusal.errorType}`, refusal.reason);
    const { status, headers, body } = renderSigV4Refusal(refusal);
    response.writeHead(status, {
      ...headers,
      "content-length": Buffer.byteLength(body),
      connection: "close",
    });
    response.end(body);
  }

  #notice(request: IncomingMessage, path: string, what: string, why: string, verb = "refused"): void {
    this.#options.notice(
      `admin API: ${verb} ${request.method} ${path} from ${clientAddress(request)} (${what}): ${why}`,
    );
  }
}

function serviceOf(path: string): AwsService {
  return path.startsWith("/v2/") ? "apigatewayv2" : "lambda";
}

function defaultLimit(service: AwsService): BodyLimit {
  return {
    maxBytes: DEFAULT_MAX_BODY_BYTES,
    tooLarge: () =>
      new AwsApiError(service, "RequestEntityTooLargeException", 413, {
        message: `The request body is larger than ${DEFAULT_MAX_BODY_BYTES} bytes.`,
      }),
  };
}

/**
 * The body within `limit`, refused by its declared length before any of it is read; undefined when the client
 * went away before sending all of it.
 */
async function readBody(request: IncomingMessage, limit: BodyLimit): Promise<Buffer | undefined> {
  const declared = request.headers["content-length"];
  const bytes = declared === undefined ? undefined : Number(declared);
  if (bytes !== undefined && bytes > limit.maxBytes) throw limit.tooLarge(bytes);
  const body = await readLimitedBody(request, limit.maxBytes);
  if (body === "too-large") throw limit.tooLarge(bytes);
  if (body === "aborted") return undefined;
  return body;
}

/** A path of the AWS APIs that Portico does not serve: say so, and what it does serve. */
function unknownOperation(service: AwsService, method: string, path: string): AwsApiError {
  const supported =
    service === "lambda"
      ? "CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction, AddPermission, GetPolicy and Invoke"
      : "CreateApi, GetApi(s), UpdateApi, DeleteApi, CreateRoute, GetRoute(s), UpdateRoute, DeleteRoute, CreateIntegration, GetIntegration(s), CreateAuthorizer, GetAuthorizer(s), UpdateAuthorizer, DeleteAuthorizer, CreateStage, GetStage(s), CreateDeployment and GetDeployment(s)";
  return new AwsApiError(service, "UnknownOperationException", 404, {
    message: `Portico does not serve ${method} ${path} of ${SERVICES[service].title}: it serves ${supported}.`,
  });
}
