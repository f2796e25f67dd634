/**
 * Ports for service instances (their `PORT`): one the OS reports free, never one already handed to
 * another live instance of the same owner (the platform), since an instance may take a while to bind the
 * port it got.
 */
import { createServer } from "node:net";
import { PorticoError } from "../model/index.js";

const MAX_ATTEMPTS = 20;

export class ServicePorts {
  readonly #reserved = new Set<number>();

  /** A free TCP port, reserved until `release`. */
  async reserve(): Promise<number> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const port = await freePort();
      if (!this.#reserved.has(port)) {
        this.#reserved.add(port);
        return port;
      }
    }
    throw new PorticoError("SERVICE_NO_FREE_PORT", `no free TCP port after ${MAX_ATTEMPTS} attempts`, {
      isUserError: false,
    });
  }

  release(port: number): void {
    this.#reserved.delete(port);
  }
}

/**
 * Binds port 0 on every interface (where the app will listen: Cloud Run wants 0.0.0.0:$PORT), reads
 * the port and closes. Another program could still take the port before the instance binds it (the
 * instance then usually logs EADDRINUSE and exits, failing its start), the race every
 * pick-a-free-port scheme has.
 */
export function freePort(): Promise<number> {
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
