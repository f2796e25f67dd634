/**
 * One keep-alive HTTP/1.1 connection to a service instance, carrying one exchange at a time: it writes
 * what the exchange sends, parses what comes back, and reports each step to the exchange. Parsed data
 * is handed over once per read, so a small answer (head and body in one read) is relayed in one write.
 */
import { connect, type Socket } from "node:net";
import { type ResponseEvents, ResponseParser } from "./http-response-parser.js";

/** The exchange a connection is serving. */
export interface ConnectionUser extends ResponseEvents {
  /** Everything one read brought has been parsed: relay it. */
  onRead(): void;
  /** The connection broke (closed, reset, unparsable answer) while serving this user. */
  onFailure(error: Error): void;
}

const READ_BUFFER_BYTES = 64 * 1024;

/** Without a `Keep-Alive: timeout=N` hint from the instance, an idle connection is closed after this. */
const DEFAULT_IDLE_MS = 4_000;

export class UpstreamConnection {
  readonly socket: Socket;
  readonly #parser: ResponseParser;
  #user: ConnectionUser | undefined;
  #error: Error | undefined;
  #closed = false;
  #paused = false;
  readonly #onClose: (connection: UpstreamConnection) => void;
  /** Exchanges completed on this connection: when a reused one fails at once, it may have gone stale. */
  served = 0;
  /** How long it may stay idle: a little less than the instance keeps it, so the instance never closes it first. */
  idleMs = DEFAULT_IDLE_MS;
  idleSince = 0;

  constructor(port: number, onClose: (connection: UpstreamConnection) => void) {
    this.#onClose = onClose;
    this.#parser = new ResponseParser({
      onHead: (status, message, headers, keepAlive) =>
        this.#user ? this.#user.onHead(status, message, headers, keepAlive) : this.#unsolicited(),
      onBody: (chunk) => this.#user?.onBody(chunk),
      onComplete: () => this.#user?.onComplete(),
    });
    // Reads land in one buffer per connection and go straight to the parser, without the stream
    // machinery of 'data' events; body chunks are copied out of it (ResponseEvents.onBody).
    const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const socket = connect({
      host: "127.0.0.1",
      port,
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (bytes: number) => {
          const user = this.#user;
          const error = this.#parser.execute(readBuffer.subarray(0, bytes));
          if (error) this.destroy(error);
          else user?.onRead();
          // false stops reading until resume(): the client is slower than the instance.
          return !this.#paused;
        },
      },
    });
    this.socket = socket;
    socket.on("end", () => {
      // A body that runs until the connection closes ends here; a cut one is a parse error.
      const user = this.#user;
      const error = this.#parser.finish();
      if (error) this.destroy(error);
      else user?.onRead();
      socket.destroy();
    });
    socket.on("error", (error) => {
      this.#error ??= error;
    });
    socket.on("close", () => this.#close());
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** From now on, what the connection reads goes to `user`. */
  attach(user: ConnectionUser): void {
    this.#user = user;
  }

  detach(): void {
    this.#user = undefined;
    if (this.#paused) this.resume();
  }

  /** Stops reading after the current read, until `resume`. */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.socket.resume();
  }

  /** Closes the connection; the user attached, if any, is told of `error`. */
  destroy(error: Error = new Error("the connection to the instance was closed")): void {
    this.#error ??= error;
    this.socket.destroy();
    this.#close();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const user = this.#user;
    this.#user = undefined;
    // The native parser is freed once the current parse, if any, has unwound.
    setImmediate(() => this.#parser.close());
    this.#onClose(this);
    user?.onFailure(this.#error ?? new Error("the instance closed the connection"));
  }

  /** An answer no request asked for: the connection cannot be trusted any more. */
  #unsolicited(): boolean {
    this.#error ??= new Error("the instance sent an answer no request asked for");
    this.socket.destroy();
    return true;
  }
}
