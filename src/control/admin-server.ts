/**
 * The control-plane listener (loopback by default): health, a read-only view of the APIs and functions
 * served, and the services API that `portico services ...` and `portico revisions list` talk to (deploy
 * a revision, split traffic, tag revisions). Every request passes the AdminGuard before routing. Errors
 * answer `{code, message}` with a 4xx the caller can act on; nothing else (no stack) ever reaches a client.
 */

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { resolve } from "node:path";
import Router, { type HTTPVersion } from "find-my-way";
import { z } from "zod";
import { defaultServiceSpec } from "../config/index.js";
import { clientAddress, listen, sendJson } from "../http/index.js";
import { PorticoError } from "../model/index.js";
import { type AdminAccess, AdminGuard, type AdminRefusal } from "./admin-guard.js";
import { deployRevision, updateTraffic } from "./commands/index.js";
import type { Platform } from "./platform.js";

/** Request bodies are small JSON documents. */
const MAX_BODY_BYTES = 1024 * 1024;

const deployBody = z.strictObject({
  source: z.string().min(1),
  function: z.string().min(1).optional(),
  noTraffic: z.boolean().optional(),
  tag: z.string().optional(),
});

const percent = z.number().int().min(0).max(100);
const trafficBody = z
  .strictObject({
    toLatest: z.literal(true).optional(),
    toRevisions: z.record(z.string(), percent).optional(),
    toTags: z.record(z.string(), percent).optional(),
    updateTags: z.record(z.string(), z.string()).optional(),
    removeTags: z.array(z.string()).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: "give at least one of toLatest, toRevisions, toTags, updateTags, removeTags",
  });

type Params = Record<string, string | undefined>;
type Handler = (request: IncomingMessage, params: Params) => Promise<[number, object]> | [number, object];

export interface AdminServerOptions extends AdminAccess {
  /** One line per refused request, for the person running Portico. */
  readonly notice: (message: string) => void;
}

export class AdminServer {
  readonly #server: Server;
  readonly #platform: Platform;
  readonly #options: AdminServerOptions;
  readonly #guard: AdminGuard;
  readonly #router = Router<HTTPVersion.V1>({ ignoreTrailingSlash: true });

  /** Throws a PorticoError when `options` would open the listener beyond loopback without a token. */
  constructor(platform: Platform, options: AdminServerOptions) {
    this.#platform = platform;
    this.#options = options;
    this.#guard = new AdminGuard(options);
    this.#routes();
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

  #routes(): void {
    const platform = this.#platform;
    this.#on("GET", "/healthz", () => [200, { status: "ok" }]);
    this.#on("GET", "/v1/apis", () => [
      200,
      { apis: [...platform.state.api.values()].map((api) => api.spec) },
    ]);
    this.#on("GET", "/v1/functions", () => [200, { functions: [...platform.state.function.values()] }]);
    this.#on("GET", "/v1/services", () => [200, { services: platform.services() }]);
    this.#on("GET", "/v1/services/:name", (_request, { name }) => [
      200,
      platform.describeService(name as string),
    ]);
    this.#on("GET", "/v1/services/:name/revisions", (_request, { name }) => [
      200,
      { revisions: platform.describeService(name as string).revisions },
    ]);
    this.#on("POST", "/v1/services/:name/revisions", async (request, { name }) => {
      const body = deployBody.parse(await readJson(request));
      const { sourceDir, ...defaults } = await defaultServiceSpec(name as string, resolve(body.source));
      // Every deploy is a new revision, as in Cloud Run, even of the same source.
      const source = { artifact: null, path: sourceDir, digest: `local:${randomUUID()}` };
      const deployed = await platform.run(
        deployRevision(
          name as string,
          { defaults, source, functionTarget: body.function },
          {
            noTraffic: body.noTraffic,
            tag: body.tag,
          },
        ),
      );
      return [
        201,
        {
          revision: deployed.revision,
          percent: deployed.percent,
          service: platform.describeService(name as string),
        },
      ];
    });
    this.#on("PATCH", "/v1/services/:name/traffic", async (request, { name }) => {
      const body = trafficBody.parse(await readJson(request));
      const entries = <T>(record: Record<string, T> | undefined) =>
        record === undefined ? undefined : new Map(Object.entries(record));
      await platform.run(
        updateTraffic(name as string, {
          toLatest: body.toLatest,
          toRevisions: entries(body.toRevisions),
          toTags: entries(body.toTags),
          updateTags: entries(body.updateTags),
          removeTags: body.removeTags,
        }),
      );
      return [200, platform.describeService(name as string)];
    });
  }

  #on(method: "GET" | "POST" | "PATCH", path: string, handler: Handler): void {
    this.#router.on(method, path, () => {}, { handler });
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? "/").split("?", 1)[0] as string;
    const refusal = this.#guard.check(request);
    if (refusal) return this.#refuse(request, path, response, refusal);
    const found = this.#router.find(request.method as "GET", path);
    if (!found) {
      const allowed = ["GET", "POST", "PATCH"].filter((method) => this.#router.find(method as "GET", path));
      if (allowed.length > 0) {
        response.setHeader("Allow", allowed.join(", "));
        return sendJson(response, 405, {
          code: "METHOD_NOT_ALLOWED",
          message: `${request.method} is not allowed on ${path}; use ${allowed.join(" or ")}`,
        });
      }
      return sendJson(response, 404, {
        code: "NOT_FOUND",
        message: `Not Found: ${path}. Try /healthz, /v1/apis, /v1/functions or /v1/services`,
      });
    }
    const { handler } = found.store as { handler: Handler };
    try {
      const [status, body] = await handler(request, found.params);
      sendJson(response, status, body);
    } catch (error) {
      const [status, body] = errorAnswer(error);
      if (!response.headersSent) sendJson(response, status, body);
      else response.destroy();
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

function errorAnswer(error: unknown): [number, { code: string; message: string }] {
  if (error instanceof PorticoError) return [error.status, { code: error.code, message: error.message }];
  if (error instanceof z.ZodError) {
    const problems = error.issues.map((issue) => {
      const at = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
      return `${at}${issue.message}`;
    });
    return [400, { code: "BAD_REQUEST", message: `Invalid request body: ${problems.join("; ")}` }];
  }
  return [
    500,
    {
      code: "INTERNAL",
      message: `Internal error: ${error instanceof Error ? error.message : String(error)}`,
    },
  ];
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new PorticoError("BODY_TOO_LARGE", "The request body is larger than 1 MiB.", { status: 413 });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text === "" ? "{}" : text);
  } catch {
    throw new PorticoError("BAD_REQUEST", "The request body is not valid JSON.");
  }
}
