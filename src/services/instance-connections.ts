/**
 * Keep-alive connections to one service instance: one exchange per connection at a time, up to a
 * limit (the instance's concurrency), idle ones reused most-recent first and closed before the
 * instance would close them. `close` waits for the exchanges in flight; `destroy` cuts them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ConnectionExchange } from "./connection-exchange.js";
import type { ProxyOptions } from "./proxy-exchange.js";
import type { InstanceUpstream } from "./service-proxy.js";
import { UpstreamConnection } from "./upstream-connection.js";

/** How often idle connections are checked against their idle time. */
const SWEEP_MS = 500;

type Waiter = (connection: UpstreamConnection | undefined) => void;

export class InstanceConnections implements InstanceUpstream {
  readonly #port: number;
  readonly #limit: number;
  /** Idle connections, the most recently used last. */
  readonly #idle: UpstreamConnection[] = [];
  readonly #all = new Set<UpstreamConnection>();
  readonly #waiters: Waiter[] = [];
  #inFlight = 0;
  #state: "open" | "closing" | "destroyed" = "open";
  #closed: Promise<void> | undefined;
  #onDrained: (() => void) | undefined;
  readonly #sweeper: NodeJS.Timeout;

  constructor(port: number, limit: number) {
    this.#port = port;
    this.#limit = Math.max(1, limit);
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
    this.#sweeper.unref();
  }

  forward(request: IncomingMessage, response: ServerResponse, options: ProxyOptions): Promise<void> {
    return new Promise((resolve) =>
      new ConnectionExchange(this, request, response, options, resolve).start(),
    );
  }

  /**
   * A connection for one exchange: at once when one is idle or another may be opened, later when all
   * are busy; undefined once closed. Every connection handed out must be given back with `release`.
   */
  acquire(): UpstreamConnection | Promise<UpstreamConnection | undefined> | undefined {
    if (this.#state !== "open") return undefined;
    const connection = this.#idle.pop() ?? (this.#all.size < this.#limit ? this.#open() : undefined);
    if (connection) {
      this.#inFlight++;
      return connection;
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The exchange is done with `connection`; it is kept for the next one when `reusable`. */
  release(connection: UpstreamConnection, reusable: boolean): void {
    this.#inFlight--;
    connection.detach();
    if (reusable && !connection.isClosed && this.#state !== "destroyed") {
      connection.served++;
      const waiter = this.#waiters.shift();
      if (waiter) {
        this.#inFlight++;
        waiter(connection);
      } else if (this.#state === "open") {
        connection.idleSince = performance.now();
        this.#idle.push(connection);
      } else connection.destroy();
    } else {
      connection.destroy();
      this.#serveWaiter();
    }
    if (this.#inFlight === 0 && this.#waiters.length === 0) this.#onDrained?.();
  }

  /** Stops taking exchanges; resolves once those in flight are done and every connection is closed. */
  close(): Promise<void> {
    if (this.#state === "open") {
      this.#state = "closing";
      this.#closed = new Promise<void>((resolve) => {
        this.#onDrained = () => {
          this.#onDrained = undefined;
          this.#shutDown();
          resolve();
        };
        if (this.#inFlight === 0 && this.#waiters.length === 0) this.#onDrained();
      });
    }
    return this.#closed ?? Promise.resolve();
  }

  /** Closes every connection now: exchanges in flight fail (Cloud Run's 503, or a cut answer). */
  destroy(): Promise<void> {
    if (this.#state !== "destroyed") {
      this.#state = "destroyed";
      this.#shutDown();
      for (const waiter of this.#waiters.splice(0)) waiter(undefined);
      this.#onDrained?.();
    }
    return Promise.resolve();
  }

  #open(): UpstreamConnection {
    const connection = new UpstreamConnection(this.#port, (closed) => this.#forget(closed));
    this.#all.add(connection);
    return connection;
  }

  /** A closed connection leaves the pool; a waiting exchange may open a new one in its place. */
  #forget(connection: UpstreamConnection): void {
    if (!this.#all.delete(connection)) return;
    const index = this.#idle.indexOf(connection);
    if (index >= 0) this.#idle.splice(index, 1);
  }

  #serveWaiter(): void {
    if (this.#waiters.length === 0 || this.#state === "destroyed" || this.#all.size >= this.#limit) return;
    this.#inFlight++;
    (this.#waiters.shift() as Waiter)(this.#open());
  }

  #shutDown(): void {
    clearInterval(this.#sweeper);
    for (const connection of [...this.#all]) connection.destroy();
  }

  #sweep(): void {
    const now = performance.now();
    for (const connection of [...this.#idle]) {
      if (now - connection.idleSince >= connection.idleMs) connection.destroy();
    }
  }
}
