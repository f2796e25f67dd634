/**
 * Node.js's own HTTP/1.1 parser (llhttp, the one node:http runs on), reached through `_http_common`
 * since node:http does not export it, set up to read responses from a service instance: status,
 * headers, body (Content-Length, chunked, or until the connection closes) and the message's end.
 */
import { createRequire } from "node:module";

/** What a response parser reports, in order, for each message on a connection. */
export interface ResponseEvents {
  /** `headers` is flat: name, value, name, value... Return true when the message has no body (HEAD, 1xx). */
  onHead(statusCode: number, statusMessage: string, headers: string[], keepAlive: boolean): boolean;
  /** `chunk` lies in the connection's read buffer, which the next read overwrites: copy what is kept. */
  onBody(chunk: Buffer): void;
  onComplete(): void;
}

interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): undefined | Error;
  close(): void;
  [callback: number]: unknown;
}

interface NativeParserClass {
  new (): NativeParser;
  readonly RESPONSE: number;
  readonly kOnHeaders: number;
  readonly kOnHeadersComplete: number;
  readonly kOnBody: number;
  readonly kOnMessageComplete: number;
}

const { HTTPParser } = createRequire(import.meta.url)("_http_common") as { HTTPParser: NativeParserClass };

/** One connection's response parser: feed it what the socket reads, in order. */
export class ResponseParser {
  readonly #native = new HTTPParser();
  /** Header lines of a head too long for one callback arrive in batches first (llhttp flushes every 32). */
  #pending: string[] = [];
  #inHead = true;

  constructor(events: ResponseEvents) {
    const native = this.#native;
    native.initialize(HTTPParser.RESPONSE, {}, 0, 0);
    native[HTTPParser.kOnHeaders] = (headers: string[]) => {
      // After the head, these are a chunked body's trailers: hop-by-hop, never forwarded.
      if (this.#inHead) for (const item of headers) this.#pending.push(item);
    };
    native[HTTPParser.kOnHeadersComplete] = (
      _major: number,
      _minor: number,
      headers: string[] | undefined,
      _method: unknown,
      _url: unknown,
      statusCode: number,
      statusMessage: string,
      _upgrade: boolean,
      keepAlive: boolean,
    ): number => {
      let all = headers;
      if (all === undefined) {
        all = this.#pending;
        this.#pending = [];
      }
      this.#inHead = false;
      // 1: the message has no body; the parser then reads the next message (the final answer after a 1xx).
      return events.onHead(statusCode, statusMessage, all, keepAlive) ? 1 : 0;
    };
    native[HTTPParser.kOnBody] = (chunk: Buffer) => events.onBody(chunk);
    native[HTTPParser.kOnMessageComplete] = () => {
      this.#inHead = true;
      events.onComplete();
    };
  }

  /** Parses bytes read from the connection; returns the parse error, if any. */
  execute(data: Buffer): Error | undefined {
    const result = this.#native.execute(data);
    return typeof result === "number" ? undefined : result;
  }

  /** The connection was closed by the instance: ends a body that runs until close, or fails a cut one. */
  finish(): Error | undefined {
    return this.#native.finish() ?? undefined;
  }

  /** Frees the native parser; call outside of its callbacks. */
  close(): void {
    this.#native.close();
  }
}
