/**
 * Ports for service instances (their `PORT`): one the OS reports free, never one already handed to
 * another live instance of this process, since an instance may take a while to bind the port it got.
 */
import { createServer } from "node:net";
import { PorticoError } from "../model/index.js";

const reserved = new Set<number>();
const MAX_ATTEMPTS = 20;

/** A free TCP port, reserved until `releasePort`. */
export async function reservePort(): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = await freePort();
    if (!reserved.has(port)) {
      reserved.add(port);
      return port;
    }
  }
  throw new PorticoError("SERVICE_NO_FREE_PORT", `no free TCP port after ${MAX_ATTEMPTS} attempts`, {
    isUserError: false,
  });
}

export function releasePort(port: number): void {
  reserved.delete(port);
}

/**
 * Binds port 0 on every interface (where the app will listen: Cloud Run wants 0.0.0.0:$PORT), reads
 * the port and closes. Another program could still take the port before the instance binds it (the
 * instance then usually logs EADDRINUSE and exits, failing its start), the race every
 * pick-a-free-port scheme has.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}
