/**
 * The AWS Lambda Runtime API (2018-06-01) for one instance, on its own loopback port, so any runtime
 * client (a `provided` bootstrap, aws-lambda-ric, a Rust or Go runtime) works unchanged.
 *
 *   GET  /2018-06-01/runtime/invocation/next           long-poll for the next event
 *   POST /2018-06-01/runtime/invocation/{id}/response  the function's result
 *   POST /2018-06-01/runtime/invocation/{id}/error     the function's error
 *   POST /2018-06-01/runtime/init/error                initialisation failed
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listen, sendJson } from "../../http/index.js";
import type { InstanceReply, Invocation } from "../invocation.js";
import { MAX_RESPONSE_BYTES } from "../lambda-errors.js";

const PREFIX = "/2018-06-01/runtime/";

export type InitResult = { ok: true } | { ok: false; errorType: string; payload: Buffer };

interface InFlight {
  readonly invocation: Invocation;
  readonly resolve: (reply: InstanceReply) => void;
}

export class RuntimeApiServer {
  readonly #server: Server;
  #waitingRuntime: ServerResponse | undefined;
  #queued: InFlight | undefined;
  #inFlight: InFlight | undefined;
  #resolveInit: ((result: InitResult) => void) | undefined;
  /** Settles on the runtime's first `next` (ready) or on `init/error`. */
  readonly initialized: Promise<InitResult>;

  constructor() {
    this.initialized = new Promise((resolve) => {
      this.#resolveInit = resolve;
    });
    this.#server = createServer((request, response) => this.#route(request, response));
    // The runtime long-polls `next` for as long as the instance lives.
    this.#server.requestTimeout = 0;
    this.#server.headersTimeout = 0;
    this.#server.keepAliveTimeout = 0;
  }

  async listen(): Promise<string> {
    return `127.0.0.1:${await listen(this.#server, 0, "127.0.0.1")}`;
  }

  /** Hands an invocation to the runtime; resolves with its response or error. */
  invoke(invocation: Invocation): Promise<InstanceReply> {
    return new Promise((resolve) => {
      const inFlight = { invocation, resolve };
      if (this.#waitingRuntime) this.#deliver(this.#waitingRuntime, inFlight);
      else this.#queued = inFlight;
    });
  }

  close(): void {
    this.#server.closeAllConnections();
    this.#server.close();
  }

  #route(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? "";
    if (request.method === "GET" && url === `${PREFIX}invocation/next`) {
      this.#next(response);
      return;
    }
    if (request.method === "POST" && url === `${PREFIX}init/error`) {
      void readBody(request).then((body) => {
        const errorType = request.headers["lambda-runtime-function-error-type"];
        this.#resolveInit?.({
          ok: false,
          errorType: String(errorType ?? "Runtime.Unknown"),
          payload: body.bytes,
        });
        accepted(response);
      });
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (request.method === "POST" && match) {
      void this.#reply(
        request,
        response,
        decodeURIComponent(match[1] as string),
        match[2] as "response" | "error",
      );
      return;
    }
    sendJson(response, 404, { errorMessage: `Unknown Runtime API path ${url}`, errorType: "NotFound" });
  }

  #next(response: ServerResponse): void {
    this.#resolveInit?.({ ok: true });
    this.#resolveInit = undefined;
    const queued = this.#queued;
    if (queued) {
      this.#queued = undefined;
      this.#deliver(response, queued);
    } else {
      this.#waitingRuntime = response;
    }
  }

  #deliver(response: ServerResponse, inFlight: InFlight): void {
    this.#waitingRuntime = undefined;
    this.#inFlight = inFlight;
    const { invocation } = inFlight;
    const headers: Record<string, string | number> = {
      "Content-Type": "application/json",
      "Lambda-Runtime-Aws-Request-Id": invocation.requestId,
      "Lambda-Runtime-Deadline-Ms": invocation.deadlineMs,
      "Lambda-Runtime-Invoked-Function-Arn": invocation.invokedFunctionArn,
    };
    if (invocation.traceId) headers["Lambda-Runtime-Trace-Id"] = invocation.traceId;
    if (invocation.clientContext)
      headers["Lambda-Runtime-Client-Context"] = JSON.stringify(invocation.clientContext);
    if (invocation.cognitoIdentity) {
      headers["Lambda-Runtime-Cognito-Identity"] = JSON.stringify(invocation.cognitoIdentity);
    }
    response.writeHead(200, headers);
    response.end(invocation.payload);
  }

  async #reply(request: IncomingMessage, response: ServerResponse, id: string, kind: "response" | "error") {
    const inFlight = this.#inFlight;
    if (!inFlight || inFlight.invocation.requestId !== id) {
      await readBody(request);
      sendJson(response, 400, { errorMessage: "Invalid request ID", errorType: "InvalidRequestID" });
      return;
    }
    const body = await readBody(request);
    this.#inFlight = undefined;
    if (body.tooLarge) {
      sendJson(response, 413, {
        errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        errorType: "RequestEntityTooLarge",
      });
      const payload = Buffer.from(
        JSON.stringify({
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          errorType: "Function.ResponseSizeTooLarge",
        }),
      );
      inFlight.resolve({ type: "error", errorType: "Function.ResponseSizeTooLarge", payload });
      return;
    }
    accepted(response);
    if (kind === "response") {
      inFlight.resolve({ type: "success", payload: body.bytes });
    } else {
      const errorType = request.headers["lambda-runtime-function-error-type"];
      inFlight.resolve({
        type: "error",
        errorType: String(errorType ?? "Runtime.Unknown"),
        payload: body.bytes,
      });
    }
  }
}

async function readBody(request: IncomingMessage): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), tooLarge: size > MAX_RESPONSE_BYTES };
}

function accepted(response: ServerResponse): void {
  sendJson(response, 202, { status: "OK" });
}
