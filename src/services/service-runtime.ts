/**
 * Serves one revision of a service: its revision pool and the proxy in front of it. A request waits
 * for an instance with room (starting one if needed) and gets Cloud Run's 429 when none can take it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceSpec } from "../model/index.js";
import { NO_AVAILABLE_INSTANCE, RevisionPool } from "./revision-pool.js";
import { ServiceInstance } from "./service-instance.js";
import { proxyRequest } from "./service-proxy.js";
import type { StartCommand } from "./start-command.js";

/** Receives a service's log lines, each already naming the revision and instance. */
export type ServiceLogSink = (serviceName: string, line: string) => void;

export class ServiceRuntime {
  readonly spec: ServiceSpec;
  readonly revision: string;
  readonly #pool: RevisionPool;

  constructor(spec: ServiceSpec, revision: string, command: StartCommand, logs: ServiceLogSink) {
    this.spec = spec;
    this.revision = revision;
    let instances = 0;
    this.#pool = new RevisionPool(
      {
        concurrency: spec.concurrency,
        minInstances: spec.minInstances,
        maxInstances: spec.maxInstances,
        idleTimeoutMs: spec.idleTimeoutSeconds * 1000,
      },
      () => {
        const instance = `instance-${++instances}`;
        const started = new ServiceInstance({
          service: spec.name,
          revision,
          command,
          env: spec.env,
          startupTimeoutMs: spec.startupTimeoutSeconds * 1000,
          onLog: (line) => logs(spec.name, `${revision} ${instance}: ${line}`),
        });
        // A crash fails only that instance's requests; say so, since the pool replaces it quietly.
        // (A crash before it was ready is reported as the start failure.)
        let served = false;
        started.ready.then(
          () => {
            served = true;
          },
          () => {},
        );
        void started.exited.then((exit) => {
          if (started.crashed && served) {
            const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
            logs(
              spec.name,
              `${revision} ${instance}: crashed (${how}); its requests failed with 503, it is replaced`,
            );
          }
        });
        return started;
      },
      (error) => logs(spec.name, `${revision}: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const lease = await this.#pool.acquire();
    if (lease === "unavailable") {
      const text = `${NO_AVAILABLE_INSTANCE}\n`;
      response.writeHead(429, {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Length": Buffer.byteLength(text),
      });
      response.end(text);
      return;
    }
    try {
      await proxyRequest(lease.connections, request, response, {
        forwardedProto: "http",
        timeoutMs: this.spec.timeoutSeconds * 1000,
      });
    } finally {
      lease.release();
    }
  }

  /** Starts the revision's first instance; rejects with Cloud Run's start failure if it cannot serve. */
  warmUp(): Promise<void> {
    return this.#pool.warmUp();
  }

  /** Stops the revision's instances: SIGTERM, so requests in flight can finish, then SIGKILL. */
  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** `NAME-00001-abc`: Cloud Run's revision names, numbered, with a short random suffix. */
export function revisionName(service: string, generation: number): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let suffix = "";
  for (let i = 0; i < 3; i++) suffix += letters[Math.floor(Math.random() * letters.length)];
  return `${service}-${String(generation).padStart(5, "0")}-${suffix}`;
}
