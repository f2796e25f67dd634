/** Talks to a running Portico's admin API (`portico dev` or `portico up`) for the commands that change it. */
import { PorticoError } from "../model/index.js";

export const DEFAULT_SERVER = "http://127.0.0.1:3001";

export interface AdminClientOptions {
  readonly server: string;
  /** Sent as a bearer token (from --admin-token or PORTICO_ADMIN_TOKEN). */
  readonly adminToken?: string;
}

/** Sends one request; answers the parsed JSON body, or throws a PorticoError carrying the server's message. */
export async function adminRequest<T>(
  options: AdminClientOptions,
  method: "GET" | "POST" | "PATCH",
  path: string,
  body?: object,
): Promise<T> {
  const url = new URL(path, options.server.endsWith("/") ? options.server : `${options.server}/`);
  const headers: Record<string, string> = {};
  if (options.adminToken) headers.authorization = `Bearer ${options.adminToken}`;
  // Writes are JSON even without a body: the admin API refuses any other write, as a web page's would be.
  if (method !== "GET") headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    throw new PorticoError(
      "SERVER_UNREACHABLE",
      `cannot reach a Portico server at ${options.server} (${reason}); start one with \`portico dev\`, or point --server at it`,
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PorticoError(
      "SERVER_ANSWER_INVALID",
      `${options.server} answered ${response.status} without JSON; is it a Portico admin API?`,
    );
  }
  if (!response.ok) {
    const message = (parsed as { message?: unknown }).message;
    throw new PorticoError(
      "SERVER_REFUSED",
      typeof message === "string" ? message : `HTTP ${response.status}`,
    );
  }
  return parsed as T;
}
