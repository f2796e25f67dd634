/** Talks to a running Portico's admin API (`portico dev` or `portico up`) for the commands that change it. */
import { type ClientRequest, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { PorticoError } from "../model/index.js";

export const DEFAULT_SERVER = "http://127.0.0.1:3001";

export interface AdminClientOptions {
  readonly server: string;
  /** Sent as a bearer token (from --admin-token or PORTICO_ADMIN_TOKEN). */
  readonly adminToken?: string;
}

export type AdminMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Sends one request; answers the parsed JSON body, or throws a PorticoError carrying the server's message. */
export async function adminRequest<T>(
  options: AdminClientOptions,
  method: AdminMethod,
  path: string,
  body?: object,
): Promise<T> {
  // Writes are JSON even without a body: the admin API refuses any other write, as a web page's would be.
  const payload = method === "GET" ? undefined : Buffer.from(body === undefined ? "" : JSON.stringify(body));
  return send<T>(options, method, path, payload, "application/json");
}

/**
 * Uploads an archive (`application/zip`) in chunks, calling `onProgress` with the bytes sent so far, and answers
 * the parsed JSON body as adminRequest does.
 */
export function adminUpload<T>(
  options: AdminClientOptions,
  method: "PUT" | "POST",
  path: string,
  zip: Buffer,
  onProgress: (sent: number) => void = () => {},
): Promise<T> {
  return send<T>(options, method, path, zip, "application/zip", onProgress);
}

const CHUNK_BYTES = 256 * 1024;

function send<T>(
  options: AdminClientOptions,
  method: AdminMethod,
  path: string,
  body: Buffer | undefined,
  contentType: string,
  onProgress: (sent: number) => void = () => {},
): Promise<T> {
  const url = new URL(path, options.server.endsWith("/") ? options.server : `${options.server}/`);
  const headers: Record<string, string | number> = {};
  if (options.adminToken) headers.authorization = `Bearer ${options.adminToken}`;
  if (body !== undefined) {
    headers["content-type"] = contentType;
    headers["content-length"] = body.length;
  }
  const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, { method, headers });
  const answer = new Promise<T>((resolve, reject) => {
    let answered = false;
    // A server refusing the body (413) may close while it is still being sent: its answer is what counts.
    request.on(
      "error",
      (error: NodeJS.ErrnoException) =>
        answered ||
        reject(
          new PorticoError(
            "SERVER_UNREACHABLE",
            `cannot reach a Portico server at ${options.server} (${error.code ?? error.message}); start one with \`portico up\` or \`portico dev\`, or point --server at it`,
          ),
        ),
    );
    request.on("response", (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        try {
          resolve(parseAnswer<T>(options.server, response.statusCode ?? 0, Buffer.concat(chunks).toString()));
        } catch (error) {
          reject(error);
        }
      });
    });
  });
  void writeBody(request, body, onProgress);
  return answer;
}

/** Writes the body a chunk at a time, waiting for the socket to take each, so progress follows the network. */
async function writeBody(
  request: ClientRequest,
  body: Buffer | undefined,
  onProgress: (sent: number) => void,
) {
  if (body === undefined) return request.end();
  for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) {
    const chunk = body.subarray(offset, offset + CHUNK_BYTES);
    if (!request.write(chunk)) await new Promise((resolve) => request.once("drain", resolve));
    if (request.destroyed) return;
    onProgress(Math.min(body.length, offset + chunk.length));
  }
  request.end();
}

function parseAnswer<T>(server: string, status: number, text: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PorticoError(
      "SERVER_ANSWER_INVALID",
      `${server} answered ${status} without JSON; is it a Portico admin API?`,
    );
  }
  if (status < 200 || status >= 300) {
    const message = (parsed as { message?: unknown }).message;
    throw new PorticoError("SERVER_REFUSED", typeof message === "string" ? message : `HTTP ${status}`);
  }
  return parsed as T;
}
