/** Loopback ports for the benchmark's own servers: a free one to listen on, and a wait until one accepts. */
import { connect, createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** A port the OS reports free on 127.0.0.1 (another program could still take it first: a rare race). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:`port` accepts a TCP connection, retrying every `intervalMs`. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  gaveUp: () => boolean = () => false,
  intervalMs = 10,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (gaveUp()) throw new Error(`nothing will listen on port ${port}`);
    if (performance.now() > deadline)
      throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
