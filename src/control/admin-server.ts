/**
 * The control-plane listener of `portico dev`, on loopback: health and a read-only view of what is
 * being served (APIs with their routes and invoke URLs, functions with their settings).
 */
import { createServer, type Server } from "node:http";
import { listen, sendJson } from "../http/index.js";
import type { Project } from "../model/index.js";

export class AdminServer {
  readonly #server: Server;

  constructor(project: () => Project | undefined) {
    this.#server = createServer((request, response) => {
      const path = (request.url ?? "/").split("?", 1)[0];
      if (request.method !== "GET")
        return sendJson(response, 405, { message: "Method Not Allowed: the admin API is read-only here" });
      const current = project();
      if (path === "/healthz") return sendJson(response, 200, { status: "ok" });
      if (path === "/v1/apis" && current) return sendJson(response, 200, { apis: current.apis });
      if (path === "/v1/functions" && current) {
        return sendJson(response, 200, { functions: [...current.functions.values()] });
      }
      sendJson(response, 404, { message: `Not Found: ${path}. Try /healthz, /v1/apis or /v1/functions` });
    });
  }

  listen(port: number, host: string): Promise<number> {
    return listen(this.#server, port, host);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
