/**
 * The web console's files (console/, built by Vite into dist/console), served by the admin listener at `/`. They
 * hold no secret, so they are served without the token, behind the sender checks alone; the page then asks for the
 * token and uses the admin API like any other client. The files are read once, when the listener starts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { sendJson } from "../../http/index.js";

/** dist/console beside dist/src, where `npm run build` puts it. */
const CONSOLE_DIR = fileURLToPath(new URL("../../../console/", import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/**
 * Only this origin's scripts and styles run, nothing is loaded from elsewhere, and no other page may frame the
 * console (a framed console could be clicked through by the page around it). Styles may be inline: the code
 * editor and the charts set them.
 */
const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
};

interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
  /** Vite names assets by their content's hash: they never change under a name. */
  readonly immutable: boolean;
}

export class ConsoleFiles {
  readonly #files = new Map<string, ConsoleFile>();

  constructor(dir = CONSOLE_DIR) {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = join(entry.parentPath, entry.name);
      const contentType = CONTENT_TYPES[extname(file)];
      if (contentType === undefined) continue;
      const path = `/${relative(dir, file).split(sep).join("/")}`;
      this.#files.set(path, {
        body: readFileSync(file),
        contentType,
        immutable: path.startsWith("/assets/"),
      });
    }
  }

  /** Whether `path` names the console's page or one of its files. */
  owns(path: string): boolean {
    return path === "/" || this.#files.has(path);
  }

  /** Answers a GET or HEAD of an owned path. */
  send(path: string, method: string, response: ServerResponse): void {
    const file = this.#files.get(path === "/" ? "/index.html" : path);
    if (file === undefined) {
      sendJson(response, 404, {
        code: "CONSOLE_NOT_BUILT",
        message:
          "The web console is not built: run `npm run build`, which builds it into dist/console. The admin API is described at /openapi.json.",
      });
      return;
    }
    if (method !== "GET" && method !== "HEAD") {
      response.setHeader("Allow", "GET, HEAD");
      sendJson(response, 405, {
        code: "METHOD_NOT_ALLOWED",
        message: `${method} is not allowed on ${path}; the console's files are read with GET`,
      });
      return;
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      "Content-Type": file.contentType,
      "Content-Length": file.body.length,
      "Cache-Control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
    response.end(method === "HEAD" ? undefined : file.body);
  }
}
