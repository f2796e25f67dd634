/** `portico dev` on a project of services, and requests to a service by its `NAME.localhost` host. */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { send, type TestResponse } from "./http-client.js";
import { PorticoProcess } from "./portico-process.js";

export interface ServiceDev {
  readonly portico: PorticoProcess;
  readonly port: number;
  /** GET `path` on service `name`, through the gateway. */
  request(
    name: string,
    path: string,
    options?: { timeoutMs?: number; headers?: Record<string, string> },
  ): Promise<TestResponse>;
}

/** `portico dev DIR` on free ports; resolves once every service's first instance listens. */
export async function startServiceDev(dir: string): Promise<ServiceDev> {
  const portico = new PorticoProcess(["dev", dir, "--port", "0", "--admin-port", "0"]);
  try {
    // Under load (tests run in parallel), starting every service's first instance takes a while.
    const [, found] = await portico.waitFor(/Service \[[a-z0-9-]+\] Service URL: http:\/\/[^:/]+:(\d+)\//, {
      timeoutMs: 30_000,
    });
    await portico.waitFor(/Watching for changes/, { timeoutMs: 30_000 });
    const port = Number(found);
    return {
      portico,
      port,
      request: (name, path, options = {}) =>
        send({
          port,
          path,
          headers: { host: `${name}.localhost:${port}`, ...options.headers },
          timeoutMs: options.timeoutMs,
        }),
    };
  } catch (error) {
    await portico.stop();
    throw error;
  }
}

/** Resolves once nothing accepts connections on `port` (a listener closing sends no event: this polls). */
export async function waitForPortClosed(port: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await accepts(port)) {
    if (Date.now() > deadline) assert.fail(`port ${port} still accepts connections after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
