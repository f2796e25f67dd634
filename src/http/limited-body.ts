/**
 * Reads a request body into one Buffer without ever rejecting, up to `limit` bytes and as far as
 * `admit` allows for the size so far (a budget). A body refused part way is left to flow by unread,
 * so an answer can still be sent; a client that goes away mid-body costs nothing more.
 */
import type { IncomingMessage } from "node:http";

/** The body, or why there is none: over the limit, refused by `admit`, or cut off before its end. */
export type LimitedBody = Buffer | "too-large" | "refused" | "aborted";

export function readLimitedBody(
  request: IncomingMessage,
  limit: number,
): Promise<Exclude<LimitedBody, "refused">>;
export function readLimitedBody(
  request: IncomingMessage,
  limit: number,
  admit: (size: number) => boolean,
): Promise<LimitedBody>;
export function readLimitedBody(
  request: IncomingMessage,
  limit: number,
  admit: (size: number) => boolean = () => true,
): Promise<LimitedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (body: LimitedBody) => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("close", onClose);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return settle("too-large");
      if (!admit(size)) return settle("refused");
      chunks.push(chunk);
    };
    const onEnd = () => settle(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    // `close` before `end`: the connection ended (the client left, or was cut for being slow) mid-body.
    const onClose = () => settle("aborted");
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("close", onClose);
    // An aborted request also emits `error` (ECONNRESET) when someone listens; this listener stays
    // so that it never surfaces as an uncaught exception.
    request.on("error", () => {});
  });
}
