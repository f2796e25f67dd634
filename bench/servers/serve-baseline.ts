/** How a baseline server runs: on an ephemeral loopback port it prints, until SIGTERM or SIGINT. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export function serveBaseline(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1", () => {
    process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/\n`);
  });
  const stop = () => server.close(() => process.exit(0)).closeAllConnections();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
