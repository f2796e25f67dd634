/**
 * One proxied request on Portico's own keep-alive connections: the request head goes out as one write,
 * the body streams after it, and the connection's parser (Node.js's llhttp) feeds the answer back read
 * by read.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { InstanceConnections } from "./instance-connections.js";
import { ProxyExchange, type ProxyOptions } from "./proxy-exchange.js";
import { type RequestHead, requestHead } from "./request-head.js";
import type { ConnectionUser, UpstreamConnection } from "./upstream-connection.js";

export class ConnectionExchange extends ProxyExchange implements ConnectionUser {
  readonly #connections: InstanceConnections;
  readonly #head: RequestHead;
  #connection: UpstreamConnection | undefined;
  /** The request body has been sent whole (or there is none): the connection can carry another request. */
  #bodySent: boolean;
  /** A stale keep-alive connection is replaced once, for a request that can be sent again. */
  #mayRetry: boolean;
  #informational = false;
  #protocolSwitched = false;
  #keepAlive = false;

  constructor(
    connections: InstanceConnections,
    request: IncomingMessage,
    response: ServerResponse,
    options: ProxyOptions,
    done: () => void,
  ) {
    super(request, response, options.timeoutMs, done);
    this.#connections = connections;
    this.#head = requestHead(request, options.forwardedProto);
    this.#bodySent = !this.#head.hasBody;
    this.#mayRetry = !this.#head.hasBody && this.isRepeatable;
  }

  start(): void {
    const connection = this.#connections.acquire();
    if (connection === undefined) this.fail();
    else if (connection instanceof Promise) {
      void connection.then((ready) => (ready ? this.#send(ready) : this.fail()));
    } else this.#send(connection);
  }

  #send(connection: UpstreamConnection): void {
    if (this.finished) {
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
    const request = this.request;
    const chunked = this.#head.chunked;
    const resume = () => request.resume();
    request.on("data", (chunk: Buffer) => {
      if (this.finished || chunk.length === 0) return;
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
      if (this.finished) return;
      if (chunked) socket.write("0\r\n\r\n", "latin1");
      this.#bodySent = true;
    });
  }

  onHead(status: number, statusMessage: string, headers: string[], keepAlive: boolean): boolean {
    if (this.complete || this.answered) {
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
    this.head(status, statusMessage, headers);
    this.#keepAlive = keepAlive;
    // A HEAD answer has no body, whatever its Content-Length says.
    return this.request.method === "HEAD";
  }

  onBody(chunk: Buffer): void {
    // The chunk lies in the connection's read buffer, which the next read overwrites.
    if (!this.complete) this.body(Buffer.from(chunk));
  }

  onComplete(): void {
    if (this.#informational) this.#informational = false;
    else if (this.answered) this.complete = true;
  }

  onRead(): void {
    if (this.finished) return;
    if (this.#protocolSwitched) {
      (this.#connection as UpstreamConnection).destroy(new Error("the instance switched protocols unasked"));
      return;
    }
    this.relay();
  }

  onFailure(): void {
    const connection = this.#connection as UpstreamConnection;
    this.#connection = undefined;
    if (this.#mayRetry && !this.answered && !this.finished && connection.served > 0) {
      // A connection kept alive may have been closed by the instance just as the request went out.
      this.#mayRetry = false;
      this.#connections.release(connection, false);
      this.start();
      return;
    }
    this.#connections.release(connection, false);
    this.fail();
  }

  protected override pauseUntilDrained(): void {
    const connection = this.#connection as UpstreamConnection;
    connection.pause();
    this.response.once("drain", () => {
      if (this.#connection === connection) connection.resume();
    });
  }

  protected override keepAliveHint(value: string): void {
    const match = /timeout=(\d+)/i.exec(value);
    if (match && this.#connection) {
      this.#connection.idleMs = Math.max(Number(match[1]) * 1000 - 1000, 500);
    }
  }

  protected override release(reusable: boolean): void {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) this.#connections.release(connection, reusable && this.#keepAlive && this.#bodySent);
  }
}
