/**
 * Node.js's own HTTP/1.1 parser (llhttp, the one node:http runs on), reached through `_http_common`
 * since node:http does not export it, set up to read responses from a service instance: status,
 * headers, body (Content-Length, chunked, or until the connection closes) and the message's end.
 * `_http_common` is internal, with no stability promise: it is looked up once, when the first revision
 * is prepared, so a Node.js without it fails that deploy (at start-up, for a configured service) with
 * what to do rather than on the first request.
 * (Why not undici's Client: docs/benchmarks.md, "Why the service proxy parses with Node.js's own parser".)
 */
import { createRequire } from "node:module";
import { PorticoError } from "../model/index.js";

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

/**
 * The parser class from `_http_common` (`lookup` loads that module), checked for what this file uses;
 * throws a PorticoError saying what to do when this Node.js has none.
 */
export function loadHttpParser(
  lookup: () => unknown = () => createRequire(import.meta.url)("_http_common"),
  nodeVersion: string = process.version,
): NativeParserClass {
  let parser: unknown;
  let cause: unknown;
  try {
    parser = (lookup() as { HTTPParser?: unknown } | undefined)?.HTTPParser;
  } catch (error) {
    cause = error;
  }
  const slots = ["RESPONSE", "kOnHeaders", "kOnHeadersComplete", "kOnBody", "kOnMessageComplete"] as const;
  const usable =
    typeof parser === "function" &&
    slots.every((slot) => typeof (parser as Partial<NativeParserClass>)[slot] === "number");
  if (!usable) {
    throw new PorticoError(
      "NODE_HTTP_PARSER_MISSING",
      `Portico's service proxy reads instances' answers with Node.js's own HTTP parser (HTTPParser from ` +
        `node:_http_common), which Node.js ${nodeVersion} does not provide. Run Portico on a supported ` +
        `Node.js version: Node.js 20 (>= 20.18.1), the one Portico is built and tested on.`,
      cause === undefined ? {} : { cause },
    );
  }
  return parser as NativeParserClass;
}

let loaded: NativeParserClass | undefined;

/** The parser class, looked up on first use and checked (see loadHttpParser). */
export function httpParserClass(): NativeParserClass {
  loaded ??= loadHttpParser();
  return loaded;
}

/** One connection's response parser: feed it what the socket reads, in order. */
export class ResponseParser {
  readonly #native: NativeParser;
  /** Header lines of a head too long for one callback arrive in batches first (llhttp flushes every 32). */
  #pending: string[] = [];
  #inHead = true;

  constructor(events: ResponseEvents) {
    const HTTPParser = httpParserClass();
    const native = new HTTPParser();
    this.#native = native;
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
