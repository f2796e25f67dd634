/**
 * A raw TCP connection to a server, for requests no HTTP client would send (two Host headers, no HTTP version,
 * a body trickled byte by byte) and for watching exactly what comes back and when the server closes.
 */
import { connect, type Socket } from "node:net";

export interface RawConnection {
  readonly socket: Socket;
  /** Everything the server sent so far. */
  reply(): string;
  /** Resolves once `pattern` has arrived; rejects if the connection closes first or `timeoutMs` passes. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the milliseconds from connecting until the server closed; rejects after `timeoutMs`. */
  readonly closed: Promise<number>;
}

export function rawConnection(port: number, timeoutMs = 15_000): RawConnection {
  const socket = connect(port, "127.0.0.1");
  const openedAt = Date.now();
  let received = "";
  const listeners = new Set<() => void>();
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString("latin1");
    for (const listener of listeners) listener();
  });
  // A reset after the answer is a close like any other here.
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `the server did not close the connection within ${timeoutMs} ms; got ${JSON.stringify(received)}`,
        ),
      );
    }, timeoutMs);
    socket.once("close", () => {
      clearTimeout(timer);
      for (const listener of listeners) listener();
      resolve(Date.now() - openedAt);
    });
  });
  closed.catch(() => {});
  return {
    socket,
    reply: () => received,
    closed,
    waitFor: (pattern, waitMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(received)) done(resolve);
          else if (socket.destroyed)
            done(() => reject(new Error(`closed before ${pattern}: ${JSON.stringify(received)}`)));
        };
        const timer = setTimeout(
          () =>
            done(() => reject(new Error(`no ${pattern} within ${waitMs} ms: ${JSON.stringify(received)}`))),
          waitMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Sends `text` on a new connection and resolves with the reply once the server has closed the connection. */
export async function exchange(
  port: number,
  text: string,
  timeoutMs?: number,
): Promise<{ reply: string; closedAfterMs: number }> {
  const connection = rawConnection(port, timeoutMs);
  connection.socket.write(text);
  const closedAfterMs = await connection.closed;
  return { reply: connection.reply(), closedAfterMs };
}

/** The status code of a raw HTTP/1.1 reply's first response. */
export function statusOf(reply: string): number {
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(reply)?.[1] ?? 0);
}

/** The body of a raw reply's first response, parsed as JSON. */
export function jsonBodyOf(reply: string): unknown {
  const start = reply.indexOf("\r\n\r\n");
  return JSON.parse(reply.slice(start + 4));
}
