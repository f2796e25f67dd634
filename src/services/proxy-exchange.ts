/**
 * What every upstream does for one proxied request, whatever reads the instance's answer: the request
 * timeout, the answer's head without hop-by-hop headers, relaying what was read in as few writes as
 * possible (a small answer is one `writeHead` + `end`) with backpressure, and Cloud Run's 503/504 when
 * the exchange fails before anything was relayed. An upstream subclasses it to send the request and feed
 * it the answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendText } from "../http/index.js";
import { connectionTokens, HOP_BY_HOP } from "./request-head.js";

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

/** Methods a client may repeat without changing the outcome (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

export abstract class ProxyExchange {
  protected readonly request: IncomingMessage;
  protected readonly response: ServerResponse;
  readonly #done: () => void;
  readonly #timer: NodeJS.Timeout;
  /** The exchange is over, relayed whole or failed: later events are ignored. */
  protected finished = false;
  #timedOut = false;
  /** The answer's head arrived; until then a failure can still be answered with 503 or 504. */
  protected answered = false;
  /** The answer was read to its end. */
  protected complete = false;
  /** Parsed but not yet relayed: the head, then body chunks. */
  #status = 0;
  #statusMessage = "";
  #headers: string[] | undefined;
  #chunks: Buffer[] = [];

  constructor(request: IncomingMessage, response: ServerResponse, timeoutMs: number, done: () => void) {
    this.request = request;
    this.response = response;
    this.#done = done;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.fail();
    }, timeoutMs);
    // The client went away before the answer ended: stop the instance's work on it too.
    response.once("close", () => this.fail());
  }

  /** A request that can be sent again after its connection broke before any answer (RFC 9110 §9.2.2). */
  protected get isRepeatable(): boolean {
    return IDEMPOTENT.has(this.request.method as string);
  }

  /** Sends the request to the instance. */
  abstract start(): void;

  /** The upstream is done with this exchange: its connection is kept for another when `reusable`. */
  protected abstract release(reusable: boolean): void;

  /** The client is slower than the instance: stop reading the answer until `response` drains. */
  protected abstract pauseUntilDrained(): void;

  /** The instance's `Keep-Alive` header, for an upstream that manages idle connections itself. */
  protected keepAliveHint(_value: string): void {}

  /** The final answer's head (`headers` flat: name, value...); relayed by the next `relay`. */
  protected head(status: number, statusMessage: string, headers: readonly string[]): void {
    const relayed: string[] = [];
    let connection: string | undefined;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i] as string;
      const value = headers[i + 1] as string;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower)) {
        if (lower === "connection") connection = connection === undefined ? value : `${connection},${value}`;
        else if (lower === "keep-alive") this.keepAliveHint(value);
        continue;
      }
      relayed.push(name, value);
    }
    const dropped = connectionTokens(connection);
    this.answered = true;
    this.#status = status;
    this.#statusMessage = statusMessage;
    this.#headers = dropped ? withoutNames(relayed, dropped) : relayed;
  }

  /** A piece of the answer's body, kept until the next `relay`: the caller must not reuse its memory. */
  protected body(chunk: Buffer): void {
    if (!this.complete) this.#chunks.push(chunk);
  }

  /** Relays what was read since the last call: one write for a head and body that came together. */
  protected relay(): void {
    if (this.finished) return;
    const response = this.response;
    const chunks = this.#chunks;
    try {
      const headers = this.#headers;
      if (headers !== undefined) {
        this.#headers = undefined;
        response.writeHead(this.#status, this.#statusMessage, headers);
        if (chunks.length === 0 && !this.complete) response.flushHeaders();
      }
      if (chunks.length > 0) this.#chunks = [];
      if (this.complete) {
        const last = chunks.pop();
        for (const chunk of chunks) response.write(chunk);
        this.#finish(true);
        response.end(last);
        return;
      }
      let flowing = true;
      for (const chunk of chunks) flowing = response.write(chunk);
      if (!flowing) this.pauseUntilDrained();
    } catch {
      // The answer could not be relayed (a header Node.js refuses): as malformed as it gets.
      this.fail();
    }
  }

  /** Ends the exchange without a complete answer: 504 or 503 when nothing was relayed yet, else a cut. */
  protected fail(): void {
    if (this.finished) return;
    this.#finish(false);
    const response = this.response;
    if (response.headersSent || response.destroyed) {
      response.destroy();
      return;
    }
    if (this.#timedOut) sendText(response, 504, PLATFORM_MESSAGES.timeout);
    else sendText(response, 503, PLATFORM_MESSAGES.connectionError);
  }

  #finish(reusable: boolean): void {
    this.finished = true;
    clearTimeout(this.#timer);
    this.release(reusable);
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
