/**
 * One immutable revision of a service: the settings and start command it was deployed with, its
 * instances, and the proxy in front of them. A request waits for an instance with room (starting one if
 * needed) and gets Cloud Run's 429 when none can take it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { clientAddress, sendText } from "../http/index.js";
import type { ServiceSpec } from "../model/index.js";
import { type ServiceRequestEnd, serviceRequestEnd, type TraceSpanIds } from "../observability/channels.js";
import type { ServicePorts } from "./free-port.js";
import { proxySpans } from "./proxy-trace.js";
import { NO_AVAILABLE_INSTANCE, RevisionPool, type RevisionPoolStats } from "./revision-pool.js";
import { ServiceInstance } from "./service-instance.js";
import { proxyRequest } from "./service-proxy.js";
import type { StartCommand } from "./start-command.js";
import { proxyUpgrade, refuse } from "./upgrade-proxy.js";

/** Which revision a runtime runs: its record's name and generation. */
export interface RevisionIdentity {
  readonly name: string;
  readonly generation: number;
}

/** Receives a service's log lines, each already naming the revision and instance. */
export type ServiceLogSink = (
  serviceName: string,
  line: string,
  tags?: { readonly revision: string; readonly instance?: string },
) => void;

export class RevisionRuntime {
  readonly spec: ServiceSpec;
  /** `NAME-0000N-xyz`. */
  readonly name: string;
  readonly generation: number;
  readonly command: StartCommand;
  readonly #pool: RevisionPool;

  /** A `retired` revision (no share of the traffic) keeps no instance warm until it is activated. */
  constructor(
    spec: ServiceSpec,
    revision: RevisionIdentity,
    command: StartCommand,
    logs: ServiceLogSink,
    options: { readonly ports: ServicePorts; readonly retired?: boolean },
  ) {
    const { name } = revision;
    this.spec = spec;
    this.name = name;
    this.generation = revision.generation;
    this.command = command;
    let instances = 0;
    this.#pool = new RevisionPool(
      {
        concurrency: spec.concurrency,
        minInstances: spec.minInstances,
        maxInstances: spec.maxInstances,
        idleTimeoutMs: spec.idleTimeoutSeconds * 1000,
        retired: options.retired,
      },
      () => {
        const instance = `instance-${++instances}`;
        const started = new ServiceInstance({
          service: spec.name,
          revision: name,
          command,
          ports: options.ports,
          env: spec.env,
          startupTimeoutMs: spec.startupTimeoutSeconds * 1000,
          onLog: (line) => logs(spec.name, `${name} ${instance}: ${line}`, { revision: name, instance }),
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
              `${name} ${instance}: crashed (${how}); its requests failed with 503, it will be replaced`,
            );
          }
        });
        return started;
      },
      {
        onStartFailure: (error) =>
          logs(spec.name, `${name}: ${error instanceof Error ? error.message : String(error)}`),
        onRestartDelayed: (delayMs, failures) =>
          logs(spec.name, `${name}: restarting in ${delayMs / 1000} s (${failures} failures in a row)`),
      },
    );
  }

  /** A WebSocket (any HTTP upgrade): one long request, holding one of its instance's concurrency slots. */
  async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const lease = await this.#pool.acquire();
    if (lease === "unavailable") return refuse(socket, 429, NO_AVAILABLE_INSTANCE);
    try {
      await proxyUpgrade(lease.port, request, socket, head, {
        forwardedProto: "http",
        timeoutMs: this.spec.timeoutSeconds * 1000,
      });
    } finally {
      lease.release();
    }
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const ended = serviceRequestEnd.hasSubscribers ? requestEndReporter(this, request, response) : undefined;
    const lease = await this.#pool.acquire();
    if (lease === "unavailable") {
      sendText(response, 429, NO_AVAILABLE_INSTANCE);
      ended?.();
      return;
    }
    try {
      await proxyRequest(lease.connections, request, response, {
        forwardedProto: "http",
        timeoutMs: this.spec.timeoutSeconds * 1000,
      });
    } finally {
      lease.release();
      ended?.();
    }
  }

  /** Starts the revision's first instance; rejects with Cloud Run's start failure if it cannot serve. */
  warmUp(): Promise<void> {
    return this.#pool.warmUp();
  }

  get instanceCount(): number {
    return this.#pool.instanceCount;
  }

  get stats(): RevisionPoolStats {
    return this.#pool.stats;
  }

  /** Traffic moved away: instances stop once idle; a tag can still start them on demand. */
  retire(): void {
    this.#pool.retire();
  }

  /** Traffic came back: `minInstances` are kept warm again. */
  activate(): void {
    this.#pool.activate();
  }

  /** Stops the revision's instances once their requests finish (cut after `drainMs` when given). */
  close(drainMs?: number): Promise<void> {
    return this.#pool.close(drainMs);
  }
}

/**
 * Publishes the request's end when called. Cloud Run's `responseSize` counts the head and the body, which is what
 * the connection carried meanwhile (HTTP/1.1 answers one request at a time on a connection).
 */
function requestEndReporter(
  revision: RevisionRuntime,
  request: IncomingMessage,
  response: ServerResponse,
): () => void {
  const startedAt = performance.now();
  const socket = request.socket;
  const bytesBefore = socket.bytesWritten;
  return () => {
    serviceRequestEnd.publish({
      service: revision.spec.name,
      revision: revision.name,
      method: request.method ?? "GET",
      url: `http://${request.headers.host ?? "localhost"}${request.url ?? "/"}`,
      status: response.statusCode,
      latencyMs: performance.now() - startedAt,
      responseSize: socket.bytesWritten - bytesBefore,
      userAgent: request.headers["user-agent"] ?? "",
      remoteIp: clientAddress(request),
      ...traceOf(request),
      startedAt: performance.timeOrigin + startedAt,
      protocol: `HTTP/${request.httpVersion}`,
    } satisfies ServiceRequestEnd);
  };
}

function traceOf(request: IncomingMessage): { trace?: TraceSpanIds } {
  const trace = proxySpans.get(request);
  return trace === undefined ? {} : { trace };
}
