/**
 * Reads a request body up to a limit without ever rejecting: a runtime may announce or send more
 * than Lambda accepts, or hang up halfway, and neither may cost Portico more than `limit` bytes.
 */
import type { IncomingMessage } from "node:http";

/** The body; `too-large` once it passes the limit (the rest is dropped); `aborted` if cut off. */
export type BoundedBody = Buffer | "too-large" | "aborted";

export function readBoundedBody(request: IncomingMessage, limit: number): Promise<BoundedBody> {
  if (Number(request.headers["content-length"]) > limit) {
    request.resume();
    return Promise.resolve("too-large");
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: BoundedBody) => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("close", onClose);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Answer now; the rest is read and dropped as it arrives.
      finish("too-large");
      request.resume();
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    // `close` before `end`: the connection went away mid-body.
    const onClose = () => finish("aborted");
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("close", onClose);
    // An aborted request also emits `error` (ECONNRESET) when someone listens; this listener stays
    // so that it never surfaces as an uncaught exception.
    request.on("error", () => {});
  });
}
