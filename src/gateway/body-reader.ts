/**
 * Reads an API request's body into one Buffer for its Lambda event, within API Gateway's payload quota and the
 * gateway's budget of bytes held at once: a declared Content-Length is reserved before any byte is read, a
 * chunked body as it arrives. A body refused part way is left to flow by unread, so the answer can still be sent.
 */
import type { IncomingMessage } from "node:http";
import { readLimitedBody } from "../http/index.js";
import { type BodyHold, heldForBody } from "./body-budget.js";

/** API Gateway's payload quota (HTTP and REST APIs). */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The body (null when empty), or why there is none: over the quota, over the budget, or the client went away
 * (or was cut for sending too slowly) before it was complete.
 */
export type BodyRead = Buffer | null | "too-large" | "over-budget" | "aborted";

/** Whether the request declares a body at all: most (GETs) do not, and skip the stream machinery. */
export function hasBody(request: IncomingMessage): boolean {
  const { headers } = request;
  return headers["transfer-encoding"] !== undefined || (headers["content-length"] ?? "0") !== "0";
}

export function readBody(request: IncomingMessage, hold: BodyHold): Promise<BodyRead> | BodyRead {
  // Node's parser has checked that a Content-Length is digits; a chunked body declares none.
  const declared = Number(request.headers["content-length"] ?? 0) || 0;
  if (declared > MAX_REQUEST_BODY_BYTES) return "too-large";
  if (!hold.growTo(heldForBody(declared))) return "over-budget";
  return readLimitedBody(request, MAX_REQUEST_BODY_BYTES, (size) => hold.growTo(heldForBody(size))).then(
    (read) => (read === "refused" ? "over-budget" : read.length === 0 ? null : read),
  );
}
