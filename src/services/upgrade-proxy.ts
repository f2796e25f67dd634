/**
 * Passes an HTTP upgrade (a WebSocket) through to an instance: the request head is sent on its own
 * connection with the forwarded headers and its Upgrade/Connection headers kept, then bytes flow both
 * ways untouched until either side closes or the request timeout ends it (Cloud Run treats a
 * WebSocket as one long request, cloudrun.md §1.7).
 */
import { type IncomingMessage, STATUS_CODES } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { forwardedHeaders } from "./forwarded-headers.js";
import { PLATFORM_MESSAGES } from "./service-proxy.js";

export interface UpgradeOptions {
  readonly forwardedProto: string;
  /** Milliseconds the connection may stay open. */
  readonly timeoutMs: number;
}

/** Resolves when both connections are closed. */
export function proxyUpgrade(
  port: number,
  request: IncomingMessage,
  client: Duplex,
  head: Buffer,
  options: UpgradeOptions,
): Promise<void> {
  return new Promise((resolve) => {
    const upstream: Socket = connect(port, "127.0.0.1");
    let connected = false;
    let open = 2;
    const closed = () => {
      if (--open === 0) {
        clearTimeout(timer);
        resolve();
      }
    };
    const timer = setTimeout(() => {
      client.destroy();
      upstream.destroy();
    }, options.timeoutMs);
    upstream.once("close", closed);
    client.once("close", closed);
    upstream.on("error", () => {
      if (!connected) refuse(client, 503, PLATFORM_MESSAGES.connectionError);
      else client.destroy();
    });
    client.on("error", () => upstream.destroy());
    upstream.once("connect", () => {
      connected = true;
      upstream.setNoDelay(true);
      upstream.write(requestHead(request, options.forwardedProto));
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
}

function requestHead(request: IncomingMessage, proto: string): string {
  const headers = forwardedHeaders(request, proto);
  headers.connection = "Upgrade";
  if (request.headers.upgrade) headers.upgrade = request.headers.upgrade;
  let head = `${request.method} ${request.url} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value) ? value : [value]) head += `${name}: ${item}\r\n`;
  }
  return `${head}\r\n`;
}

/** An HTTP answer on a connection that was never handed to a server response. */
export function refuse(client: Duplex, status: number, message: string): void {
  const text = `${message}\n`;
  const reason = STATUS_CODES[status] ?? "Error";
  client.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
