/**
 * The control-plane listener (loopback by default): health, the `/v1/` resources the CLI and the web console talk
 * to (projects, functions, APIs, services), and their OpenAPI description; the console's own files at `/`; beside
 * them, the AWS-compatible APIs (their own adapter, aws-api/aws-endpoints.ts). Every request passes the AdminGuard
 * before routing. Errors answer `{code, message}` with a 4xx the caller can act on (AWS's shapes on the AWS
 * paths); nothing else (no stack) ever reaches a client.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import Router, { type HTTPVersion } from "find-my-way";
import { z } from "zod";
import { ConfigError } from "../../config/index.js";
import { clientAddress, listen, sendJson } from "../../http/index.js";
import { PorticoError } from "../../model/index.js";
import { AwsAccess, AwsEndpoints, type SigV4Credentials } from "../aws-api/index.js";
import type { Platform } from "../platform.js";
import { type AdminAccess, AdminGuard, type AdminRefusal } from "./admin-guard.js";
import { type AdminHandler, type AdminMethod, AdminText } from "./admin-route.js";
import { apiRoutes } from "./api-routes.js";
import { ConsoleFiles } from "./console-files.js";
import { functionRoutes } from "./function-routes.js";
import { logRoutes } from "./log-routes.js";
import { checkDocumented, openApiDocument } from "./openapi.js";
import { projectRoutes } from "./project-routes.js";
import { serviceRoutes } from "./service-routes.js";

export interface AdminServerOptions extends AdminAccess {
  /** One line per refused request, for the person running Portico. */
  readonly notice: (message: string) => void;
  /** The access key AWS tools sign their requests to the AWS-compatible APIs with. */
  readonly awsCredentials?: SigV4Credentials;
}

const METHODS: readonly AdminMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export class AdminServer {
  readonly #server: Server;
  readonly #options: AdminServerOptions;
  readonly #guard: AdminGuard;
  readonly #router = Router<HTTPVersion.V1>({ ignoreTrailingSlash: true });
  readonly #aws: AwsEndpoints;
  readonly #console = new ConsoleFiles();

  /** Throws a PorticoError when `options` would open the listener beyond loopback without a token. */
  constructor(platform: Platform, options: AdminServerOptions) {
    this.#options = options;
    this.#guard = new AdminGuard(options);
    const on = (method: AdminMethod, path: string, handler: AdminHandler) => {
      checkDocumented(method, path);
      this.#router.on(method, path, () => {}, { handler });
    };
    on("GET", "/healthz", () => [200, { status: "ok" }]);
    on("GET", "/openapi.json", () => [200, openApiDocument()]);
    const metricsOff = () =>
      new PorticoError("METRICS_OFF", "Metrics are off: this server was started with --no-observability.", {
        status: 404,
      });
    on("GET", "/metrics", async () => {
      const metrics = await platform.metrics();
      if (!metrics) throw metricsOff();
      return [200, new AdminText(metrics.contentType, metrics.text)];
    });
    on("GET", "/v1/metrics/history", async () => {
      const history = await platform.metricsHistory();
      if (!history) throw metricsOff();
      return [200, history];
    });
    projectRoutes(on, platform);
    functionRoutes(on, platform);
    apiRoutes(on, platform);
    serviceRoutes(on, platform);
    logRoutes(on, platform);
    this.#aws = new AwsEndpoints(platform, {
      access: new AwsAccess({ token: options.token, credentials: options.awsCredentials }),
      notice: options.notice,
    });
    this.#server = createServer((request, response) => void this.#handle(request, response));
  }

  listen(port: number): Promise<number> {
    return listen(this.#server, port, this.#options.host);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const [path = "/", search = ""] = (request.url ?? "/").split("?", 2);
    if (AwsEndpoints.owns(path)) {
      const refusal = this.#guard.checkSender(request);
      if (refusal) return this.#aws.refuse(request, path, response, refusal);
      return this.#aws.handle(request, response, path, search);
    }
    if (this.#console.owns(path)) {
      const refusal = this.#guard.checkSender(request);
      if (refusal) return this.#refuse(request, path, response, refusal);
      return this.#console.send(path, request.method ?? "GET", response);
    }
    const refusal = this.#guard.check(request);
    if (refusal) return this.#refuse(request, path, response, refusal);
    const found = this.#router.find(request.method as AdminMethod, path);
    if (!found) {
      const allowed = METHODS.filter((method) => this.#router.find(method, path));
      if (allowed.length > 0) {
        response.setHeader("Allow", allowed.join(", "));
        return sendJson(response, 405, {
          code: "METHOD_NOT_ALLOWED",
          message: `${request.method} is not allowed on ${path}; use ${allowed.join(" or ")}`,
        });
      }
      return sendJson(response, 404, {
        code: "NOT_FOUND",
        message: `Not Found: ${path}. The admin API is described at /openapi.json.`,
      });
    }
    const { handler } = found.store as { handler: AdminHandler };
    try {
      const answer = await handler(request, found.params, new URLSearchParams(search), response);
      if (answer === undefined) return;
      const [status, body, headers] = answer;
      for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
      if (body instanceof AdminText) sendBody(response, status, body);
      else sendJson(response, status, body);
    } catch (error) {
      const [status, body] = errorAnswer(error);
      if (status >= 500) this.#options.notice(`admin API: ${request.method} ${path} failed: ${body.message}`);
      if (response.headersSent) return void response.destroy();
      // A refused upload may still be arriving: close rather than read the rest of it.
      if (!request.complete) response.setHeader("Connection", "close");
      sendJson(response, status, body);
    }
  }

  /** Answers before the body is read, and closes the connection rather than read a body it refused. */
  #refuse(request: IncomingMessage, path: string, response: ServerResponse, refusal: AdminRefusal): void {
    const { status, code, message, headers } = refusal;
    this.#options.notice(
      `admin API: refused ${request.method} ${path} from ${clientAddress(request)} (${status} ${code}): ${message}`,
    );
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.setHeader("Connection", "close");
    sendJson(response, status, { code, message });
  }
}

function sendBody(response: ServerResponse, status: number, body: AdminText): void {
  response.writeHead(status, {
    "Content-Type": body.contentType,
    "Content-Length": Buffer.byteLength(body.text),
  });
  response.end(body.text);
}

interface ErrorBody {
  readonly code: string;
  readonly message: string;
  /**
   * For a body refused: each problem by its key (`routes["GET /x"]`, `headers.x`; "" for the name or the whole
   * body), to show beside its field.
   */
  readonly issues?: readonly { readonly key: string; readonly reason: string; readonly hint?: string }[];
}

function errorAnswer(error: unknown): [number, ErrorBody] {
  if (error instanceof ConfigError) {
    const issues = error.issues.map(({ key, reason, hint }) => ({ key, reason, hint }));
    return [error.status, { code: error.code, message: error.message, issues }];
  }
  if (error instanceof PorticoError) return [error.status, { code: error.code, message: error.message }];
  if (error instanceof z.ZodError) {
    const issues = error.issues.map((issue) => ({ key: issue.path.join("."), reason: issue.message }));
    const problems = issues.map(({ key, reason }) => (key === "" ? reason : `${key}: ${reason}`));
    return [400, { code: "BAD_REQUEST", message: `Invalid request body: ${problems.join("; ")}`, issues }];
  }
  return [
    500,
    {
      code: "INTERNAL",
      message: `Internal error: ${error instanceof Error ? error.message : String(error)}`,
    },
  ];
}
