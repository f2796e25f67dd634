/**
 * Forwards one client request to a service instance over a keep-alive connection, streaming the body
 * both ways (SSE and chunked answers flow as written), with the headers Cloud Run adds
 * (X-Forwarded-*, Forwarded, traceparent) and without hop-by-hop headers. The request head goes out
 * as one write and Node.js's own parser reads the answer, which is relayed read by read: the gateway
 * spends about a fifth of the CPU per request it did with undici's `Pool.request` + `pipeline`
 * (docs/benchmarks.md, "Where the service proxy's time goes").
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendText } from "../http/index.js";
import { InstanceConnections } from "./instance-connections.js";
import { connectionTokens, HOP_BY_HOP, type RequestHead, requestHead } from "./request-head.js";
import type { ConnectionUser, UpstreamConnection } from "./upstream-connection.js";

export { InstanceConnections } from "./instance-connections.js";

/** Cloud Run's wording for the answers the platform itself gives (cloudrun.md §1.9). */
export const PLATFORM_MESSAGES = {
  timeout: "The request has been terminated because it has reached the maximum request timeout.",
  connectionError:
    "The request failed because either the HTTP response was malformed or connection to the instance had an error.",
} as const;

export interface ProxyOptions {
  /** Scheme the client used to reach Portico. */
  readonly forwardedProto: string;
  /** Milliseconds the whole request may take (the service's request timeout). */
  readonly timeoutMs: number;
}

/** Keep-alive connections to the instance on `port`, at most `connections` at once. */
export function connectionPool(port: number, connections: number): InstanceConnections {
  return new InstanceConnections(port, connections);
}

/**
 * Proxies `request` to an instance through `connections`; resolves when the exchange is over. A failure
 * before the answer started becomes Cloud Run's 503 or 504; after it, the client connection is cut.
 */
export function proxyRequest(
  connections: InstanceConnections,
  request: IncomingMessage,
  response: ServerResponse,
  options: ProxyOptions,
): Promise<void> {
  return new Promise((resolve) => new Exchange(connections, request, response, options, resolve).start());
}

/** Methods a client may repeat without changing the outcome (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

class Exchange implements ConnectionUser {
  readonly #connections: InstanceConnections;
  readonly #request: IncomingMessage;
  readonly #response: ServerResponse;
  readonly #head: RequestHead;
  readonly #done: () => void;
  readonly #timer: NodeJS.Timeout;
  #connection: UpstreamConnection | undefined;
  #finished = false;
  #timedOut = false;
  /** The request body has been sent whole (or there is none): the connection can carry another request. */
  #bodySent: boolean;
  /** A stale keep-alive connection is replaced once, for a request that can be sent again. */
  #mayRetry: boolean;
  /** The answer's head arrived; until then a failure can still be answered with 503 or 504. */
  #answered = false;
  #informational = false;
  #protocolSwitched = false;
  /** Parsed but not yet relayed: the head, then body chunks. */
  #status = 0;
  #statusMessage = "";
  #headers: string[] | undefined;
  #chunks: Buffer[] = [];
  #complete = false;
  #keepAlive = false;

  constructor(
    connections: InstanceConnections,
    request: IncomingMessage,
    response: ServerResponse,
    options: ProxyOptions,
    done: () => void,
  ) {
    this.#connections = connections;
    this.#request = request;
    this.#response = response;
    this.#head = requestHead(request, options.forwardedProto);
    this.#done = done;
    this.#bodySent = !this.#head.hasBody;
    this.#mayRetry = !this.#head.hasBody && IDEMPOTENT.has(request.method as string);
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#fail();
    }, options.timeoutMs);
    // The client went away before the answer ended: stop the instance's work on it too.
    response.once("close", () => this.#fail());
  }

  start(): void {
    const connection = this.#connections.acquire();
    if (connection === undefined) this.#fail();
    else if (connection instanceof Promise) {
      void connection.then((ready) => (ready ? this.#send(ready) : this.#fail()));
    } else this.#send(connection);
  }

  #send(connection: UpstreamConnection): void {
    if (this.#finished) {
      this.#connections.release(connection, true);
      return;
    }
    this.#connection = connection;
    connection.attach(this);
    const { socket } = connection;
    socket.write(this.#head.text, "latin1");
    if (this.#head.hasBody) this.#sendBody(socket);
  }

  /** Streams the request body as it arrives, pausing the client while the instance is slow to read. */
  #sendBody(socket: UpstreamConnection["socket"]): void {
    const request = this.#request;
    const chunked = this.#head.chunked;
    const resume = () => request.resume();
    request.on("data", (chunk: Buffer) => {
      if (this.#finished || chunk.length === 0) return;
      let flowing: boolean;
      if (chunked) {
        // Chunked framing: a zero-length chunk would end the body, hence the check above.
        socket.cork();
        socket.write(`${chunk.length.toString(16)}\r\n`, "latin1");
        socket.write(chunk);
        flowing = socket.write("\r\n", "latin1");
        socket.uncork();
      } else flowing = socket.write(chunk);
      if (!flowing) {
        request.pause();
        socket.once("drain", resume);
      }
    });
    request.once("end", () => {
      if (this.#finished) return;
      if (chunked) socket.write("0\r\n\r\n", "latin1");
      this.#bodySent = true;
    });
  }

  onHead(status: number, statusMessage: string, headers: string[], keepAlive: boolean): boolean {
    if (this.#complete || this.#answered) {
      // A second answer to one request: the connection is out of step.
      this.#keepAlive = false;
      return true;
    }
    if (status < 200) {
      // 100 Continue and other interim answers are the instance's own business; 101 was never asked for.
      if (status === 101) this.#protocolSwitched = true;
      else this.#informational = true;
      return true;
    }
    const relayed: string[] = [];
    let connection: string | undefined;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i] as string;
      const value = headers[i + 1] as string;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower)) {
        if (lower === "connection") connection = connection === undefined ? value : `${connection},${value}`;
        else if (lower === "keep-alive") this.#readIdleHint(value);
        continue;
      }
      relayed.push(name, value);
    }
    const dropped = connectionTokens(connection);
    this.#answered = true;
    this.#status = status;
    this.#statusMessage = statusMessage;
    this.#headers = dropped ? withoutNames(relayed, dropped) : relayed;
    this.#keepAlive = keepAlive;
    // A HEAD answer has no body, whatever its Content-Length says.
    return this.#request.method === "HEAD";
  }

  onBody(chunk: Buffer): void {
    if (!this.#complete) this.#chunks.push(Buffer.from(chunk));
  }

  onComplete(): void {
    if (this.#informational) this.#informational = false;
    else if (this.#answered) this.#complete = true;
  }

  /** Relays what the last read brought: one write for a head and body that came together. */
  onRead(): void {
    if (this.#finished) return;
    if (this.#protocolSwitched) {
      (this.#connection as UpstreamConnection).destroy(new Error("the instance switched protocols unasked"));
      return;
    }
    const response = this.#response;
    const chunks = this.#chunks;
    try {
      const headers = this.#headers;
      if (headers !== undefined) {
        this.#headers = undefined;
        response.writeHead(this.#status, this.#statusMessage, headers);
        if (chunks.length === 0 && !this.#complete) response.flushHeaders();
      }
      if (chunks.length > 0) this.#chunks = [];
      if (this.#complete) {
        const last = chunks.pop();
        for (const chunk of chunks) response.write(chunk);
        this.#finish(this.#keepAlive && this.#bodySent);
        response.end(last);
        return;
      }
      let flowing = true;
      for (const chunk of chunks) flowing = response.write(chunk);
      if (!flowing) this.#pauseUntilDrained();
    } catch {
      // The answer could not be relayed (a header Node.js refuses): as malformed as it gets.
      this.#fail();
    }
  }

  onFailure(): void {
    const connection = this.#connection as UpstreamConnection;
    this.#connection = undefined;
    if (this.#mayRetry && !this.#answered && !this.#finished && connection.served > 0) {
      // A connection kept alive may have been closed by the instance just as the request went out.
      this.#mayRetry = false;
      this.#connections.release(connection, false);
      this.start();
      return;
    }
    this.#connections.release(connection, false);
    this.#fail();
  }

  #pauseUntilDrained(): void {
    const connection = this.#connection as UpstreamConnection;
    connection.pause();
    this.#response.once("drain", () => {
      if (this.#connection === connection) connection.resume();
    });
  }

  #readIdleHint(value: string): void {
    const match = /timeout=(\d+)/i.exec(value);
    if (match && this.#connection) {
      this.#connection.idleMs = Math.max(Number(match[1]) * 1000 - 1000, 500);
    }
  }

  /** Ends the exchange without a complete answer: 504 or 503 when nothing was relayed yet, else a cut. */
  #fail(): void {
    if (this.#finished) return;
    this.#finish(false);
    const response = this.#response;
    if (response.headersSent || response.destroyed) {
      response.destroy();
      return;
    }
    if (this.#timedOut) sendText(response, 504, PLATFORM_MESSAGES.timeout);
    else sendText(response, 503, PLATFORM_MESSAGES.connectionError);
  }

  #finish(reusable: boolean): void {
    this.#finished = true;
    clearTimeout(this.#timer);
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) this.#connections.release(connection, reusable);
    this.#done();
  }
}

/** The flat header list without the headers named in `names` (lower-cased). */
function withoutNames(headers: string[], names: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!names.has((headers[i] as string).toLowerCase()))
      kept.push(headers[i] as string, headers[i + 1] as string);
  }
  return kept;
}
