/** What a route of the admin API is: a handler answering status, JSON body and headers, or throwing a PorticoError. */
import type { IncomingMessage, ServerResponse } from "node:http";

export type AdminMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type AdminParams = Record<string, string | undefined>;

/** A body sent as text with its own content type, not as JSON. */
export class AdminText {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

export type AdminAnswer = readonly [status: number, body: object, headers?: Readonly<Record<string, string>>];

export type AdminHandler = (
  request: IncomingMessage,
  params: AdminParams,
  query: URLSearchParams,
  /** For a route that streams its answer itself: it then answers undefined. */
  response: ServerResponse,
) => Promise<AdminAnswer | undefined> | AdminAnswer | undefined;

/** Adds a route; each resource's module registers its own. */
export type AdminRoute = (method: AdminMethod, path: string, handler: AdminHandler) => void;
