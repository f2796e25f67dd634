/**
 * Gates a test holds and opens: a fixture app calls `GET /NAME` on this loopback server when a request
 * reaches it, and the call is answered only once the test opens gate NAME. The test thus knows when a
 * request arrived, and decides when it may go on, without sleeping.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Arrival {
  /** The query the app sent with its call (what it wants the test to know). */
  readonly query: URLSearchParams;
}

interface Gate {
  open: boolean;
  readonly arrivals: Arrival[];
  readonly held: ServerResponse[];
  readonly waiting: Array<() => void>;
}

export class GateServer {
  readonly #server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://gate");
    const gate = this.#gate(url.pathname.slice(1));
    gate.arrivals.push({ query: url.searchParams });
    for (const wake of gate.waiting.splice(0)) wake();
    if (gate.open) response.end("open");
    else gate.held.push(response);
  });
  readonly #gates = new Map<string, Gate>();
  #port = 0;

  /** Listens on an ephemeral loopback port. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** The `gate=` value the fixture app is given in a request's query. */
  ref(name: string): string {
    return `${this.#port}/${name}`;
  }

  /** Resolves with the first `count` calls to gate `name`, once they have all arrived. */
  arrivals(name: string, count = 1, timeoutMs = 10_000): Promise<readonly Arrival[]> {
    const gate = this.#gate(name);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (gate.arrivals.length < count) return false;
        clearTimeout(timer);
        resolve(gate.arrivals.slice(0, count));
        return true;
      };
      const timer = setTimeout(() => {
        gate.waiting.splice(gate.waiting.indexOf(wake), 1);
        reject(new Error(`gate ${name}: ${gate.arrivals.length} of ${count} calls after ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = () => {
        if (!check()) gate.waiting.push(wake);
      };
      wake();
    });
  }

  /** Answers every call held at gate `name`, and every later one at once. */
  open(name: string): void {
    const gate = this.#gate(name);
    gate.open = true;
    for (const response of gate.held.splice(0)) response.end("open");
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #gate(name: string): Gate {
    let gate = this.#gates.get(name);
    if (!gate) {
      gate = { open: false, arrivals: [], held: [], waiting: [] };
      this.#gates.set(name, gate);
    }
    return gate;
  }
}
