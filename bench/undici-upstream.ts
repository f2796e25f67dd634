/**
 * The service proxy's upstream on undici instead of Node.js's internal parser, for the services
 * benchmark to compare the two (`npm run bench -- --services --undici`): the instance's connections as
 * an undici `Pool` (one `Client` per connection, pipelining 1), driven by `dispatch` with a raw
 * handler. undici writes the request and streams its body, its llhttp parser reads the answer, and the
 * proxy's own exchange (src/services/proxy-exchange.ts, as in Portico) relays it once per read.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Dispatcher, Pool } from "undici";
import { clientAddress } from "../src/http/index.js";
import { newTraceparent } from "../src/observability/tracing/trace-context.js";
import { ProxyExchange, type ProxyOptions } from "../src/services/proxy-exchange.js";
import { connectionTokens, forwarded, forwardedFor, isPassedOn } from "../src/services/request-head.js";
import type { InstanceUpstream } from "../src/services/service-proxy.js";

/** Without a `Keep-Alive: timeout=N` hint from the instance, an idle connection is closed after this. */
const DEFAULT_IDLE_MS = 4_000;

export class UndiciUpstream implements InstanceUpstream {
  readonly #pool: Pool;

  constructor(port: number, connections: number) {
    this.#pool = new Pool(`http://127.0.0.1:${port}`, {
      connections: Math.max(1, connections),
      pipelining: 1,
      // The request timeout is the exchange's own, over the whole request.
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: DEFAULT_IDLE_MS,
      keepAliveTimeoutThreshold: 1_000,
    });
  }

  forward(request: IncomingMessage, response: ServerResponse, options: ProxyOptions): Promise<void> {
    return new Promise((resolve) =>
      new UndiciExchange(this.#pool, request, response, options, resolve).start(),
    );
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  destroy(): Promise<void> {
    return this.#pool.destroy();
  }
}

/** Errors of a connection that broke under a request, as opposed to one that could not be opened. */
const BROKEN_CONNECTION = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);

class UndiciExchange extends ProxyExchange implements Dispatcher.DispatchHandler {
  readonly #pool: Pool;
  readonly #options: Dispatcher.DispatchOptions;
  #abort: ((error: Error) => void) | undefined;
  #resume: (() => void) | undefined;
  #paused = false;
  #relayScheduled = false;
  /** A stale keep-alive connection is replaced once, for a request that can be sent again. */
  #mayRetry: boolean;
  readonly #relayNow = () => {
    this.#relayScheduled = false;
    this.relay();
  };

  constructor(
    pool: Pool,
    request: IncomingMessage,
    response: ServerResponse,
    options: ProxyOptions,
    done: () => void,
  ) {
    super(request, response, options.timeoutMs, done);
    this.#pool = pool;
    const { headers, hasBody } = requestHeaderList(request, options.forwardedProto);
    this.#mayRetry = !hasBody && this.isRepeatable;
    this.#options = {
      method: request.method as Dispatcher.HttpMethod,
      path: request.url as string,
      headers,
      body: hasBody ? request : null,
    };
  }

  start(): void {
    this.#pool.dispatch(this.#options, this);
  }

  onConnect(abort: (error?: Error) => void): void {
    this.#abort = abort;
    if (this.finished) abort(new Error("the exchange is over"));
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    // Interim answers (1xx) are the instance's own business.
    if (status < 200 || this.finished) return true;
    const headers: string[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) headers[i] = (raw[i] as Buffer).toString("latin1");
    this.head(status, statusText, headers);
    this.#resume = resume;
    this.#scheduleRelay();
    return true;
  }

  onData(chunk: Buffer): boolean {
    // `chunk` is a view of the socket's own read, which is not reused: kept as it is.
    this.body(chunk);
    this.#scheduleRelay();
    return !this.#paused;
  }

  onComplete(): void {
    this.complete = true;
    this.#scheduleRelay();
  }

  onError(error: Error): void {
    if (this.finished) return;
    const code = (error as NodeJS.ErrnoException).code;
    if (this.#mayRetry && !this.answered && code !== undefined && BROKEN_CONNECTION.has(code)) {
      // A connection kept alive may have been closed by the instance just as the request went out.
      this.#mayRetry = false;
      this.#abort = undefined;
      this.start();
      return;
    }
    this.#abort = undefined;
    this.fail();
  }

  /** Everything one read brought is parsed before the microtask runs: it is relayed in one go. */
  #scheduleRelay(): void {
    if (this.#relayScheduled) return;
    this.#relayScheduled = true;
    queueMicrotask(this.#relayNow);
  }

  protected override pauseUntilDrained(): void {
    this.#paused = true;
    this.response.once("drain", () => {
      this.#paused = false;
      this.#resume?.();
    });
  }

  protected override release(reusable: boolean): void {
    // A complete answer leaves the connection to undici; anything else cuts it.
    if (reusable) return;
    const abort = this.#abort;
    this.#abort = undefined;
    abort?.(new Error("the exchange ended before its answer"));
  }
}

/**
 * The headers `requestHead` (src/services/request-head.ts) writes, as undici takes them: flat (name,
 * value...), without the framing headers undici writes itself.
 */
function requestHeaderList(request: IncomingMessage, proto: string): { headers: string[]; hasBody: boolean } {
  const { headers } = request;
  const dropped = connectionTokens(headers.connection);
  const raw = request.rawHeaders;
  const list: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (isPassedOn(name.toLowerCase(), dropped)) list.push(name, raw[i + 1] as string);
  }
  const client = clientAddress(request);
  const host = headers.host;
  list.push("x-forwarded-for", forwardedFor(request, client), "x-forwarded-proto", proto);
  if (host) list.push("x-forwarded-host", host);
  list.push("forwarded", forwarded(request, client, proto));
  if (!headers.traceparent) list.push("traceparent", newTraceparent());
  const chunked = headers["transfer-encoding"] !== undefined;
  return { headers: list, hasBody: chunked || (headers["content-length"] ?? "0") !== "0" };
}
