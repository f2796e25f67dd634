/** The client's IP address as logs and forwarded headers show it (IPv4-mapped IPv6 unwrapped). */
import type { IncomingMessage } from "node:http";

export function clientAddress(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? "127.0.0.1";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
