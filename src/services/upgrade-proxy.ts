/**
 * Passes an HTTP upgrade (a WebSocket) through to an instance: the request head is sent on its own
 * connection with the forwarded headers and its Upgrade/Connection headers kept, then bytes flow both
 * ways untouched until either side closes or the request timeout ends it (Cloud Run treats a
 * WebSocket as one long request, cloudrun.md §1.7).
 */
import { type IncomingMessage, STATUS_CODES } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { requestHead } from "./request-head.js";
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
      upstream.write(upgradeHead(request, options.forwardedProto));
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
}

/** The request head with its forwarded headers, keeping what asks for the upgrade. */
function upgradeHead(request: IncomingMessage, proto: string): string {
  const { text } = requestHead(request, proto);
  const upgrade = request.headers.upgrade ? `upgrade: ${request.headers.upgrade}\r\n` : "";
  // requestHead ends with the blank line; the upgrade headers go before it.
  return `${text.slice(0, -2)}connection: Upgrade\r\n${upgrade}\r\n`;
}

/** An HTTP answer on a connection that was never handed to a server response. */
export function refuse(client: Duplex, status: number, message: string): void {
  const text = `${message}\n`;
  const reason = STATUS_CODES[status] ?? "Error";
  client.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
