/**
 * The AWS Lambda Runtime API (2018-06-01) for one instance, on its own loopback port, so any runtime
 * client (a `provided` bootstrap, aws-lambda-ric, a Rust or Go runtime) works unchanged.
 *
 *   GET  /2018-06-01/runtime/invocation/next           long-poll for the next event
 *   POST /2018-06-01/runtime/invocation/{id}/response  the function's result
 *   POST /2018-06-01/runtime/invocation/{id}/error     the function's error
 *   POST /2018-06-01/runtime/init/error                initialisation failed
 *
 * The runtime's calls are checked against one state field with the transitions of AWS's runtime
 * interface emulator (RIE): a call out of turn is answered `403 InvalidStateTransition`, a reply for
 * another request `400 InvalidRequestID`, a body over Lambda's 6 MB limit `413 RequestEntityTooLarge`,
 * as Lambda answers them. Nothing a runtime sends or drops makes this server throw.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listen, readLimitedBody, sendJson } from "../../http/index.js";
import { RuntimeProtocolError } from "../function-instance.js";
import type { InstanceReply, Invocation } from "../invocation.js";
import { MAX_RESPONSE_BYTES, responseTooLarge } from "../lambda-errors.js";

const PREFIX = "/2018-06-01/runtime/";
const REPLY_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

/**
 * A runtime needs one connection for `next` and one to post a reply; the cap keeps a runtime that
 * opens connections in a loop from using up Portico's file descriptors.
 */
const MAX_CONNECTIONS = 16;

export type InitResult = { ok: true } | { ok: false; errorType: string; payload: Buffer };

/**
 * RIE's runtime states. `Ready`: the runtime has asked for work (it may be serving an invocation);
 * `InvocationResponse`/`InvocationErrorResponse`: a reply's body is being read; `ResponseSent`: the
 * reply is in, and the runtime has not asked for more yet.
 */
type RuntimeState =
  | "Started"
  | "InitError"
  | "Ready"
  | "InvocationResponse"
  | "InvocationErrorResponse"
  | "ResponseSent"
  | "Closed";

/** The transitions each state allows (RIE's `core/states.go`); any other call is out of turn. */
const TRANSITIONS: Record<RuntimeState, readonly RuntimeState[]> = {
  Started: ["Ready", "InitError"],
  InitError: [],
  Ready: ["Ready", "InvocationResponse", "InvocationErrorResponse"],
  InvocationResponse: [],
  InvocationErrorResponse: [],
  ResponseSent: ["Ready"],
  Closed: [],
};

/** The names RIE puts in its InvalidStateTransition messages. */
const STATE_NAMES: Record<RuntimeState, string> = {
  Started: "Started",
  InitError: "InitError",
  Ready: "Ready",
  InvocationResponse: "InvocationResponse",
  InvocationErrorResponse: "InvocationErrorResponse",
  ResponseSent: "RuntimeResponseSentState",
  Closed: "Closed",
};

interface PendingInvocation {
  readonly invocation: Invocation;
  readonly resolve: (reply: InstanceReply) => void;
  readonly reject: (error: RuntimeProtocolError) => void;
}

export class RuntimeApiServer {
  readonly #server: Server;
  #state: RuntimeState = "Started";
  /** The runtime's `next` request, held open until there is an invocation for it. */
  #poll: ServerResponse | undefined;
  /** An invocation waiting for the runtime's next `next`. */
  #queued: PendingInvocation | undefined;
  /** The invocation the runtime is serving. */
  #inFlight: PendingInvocation | undefined;
  #resolveInit: (result: InitResult) => void = () => {};
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
    this.#server.maxConnections = MAX_CONNECTIONS;
  }

  async listen(): Promise<string> {
    return `127.0.0.1:${await listen(this.#server, 0, "127.0.0.1")}`;
  }

  /**
   * Hands an invocation to the runtime; resolves with its response or error, or rejects with
   * RuntimeProtocolError when the runtime drops the connection before its reply is complete.
   */
  invoke(invocation: Invocation): Promise<InstanceReply> {
    return new Promise((resolve, reject) => {
      const pending = { invocation, resolve, reject };
      if (this.#state === "Closed") {
        reject(new RuntimeProtocolError("the runtime's API endpoint is closed"));
      } else if (this.#queued || this.#inFlight) {
        reject(new RuntimeProtocolError("the runtime is still serving another invocation"));
      } else if (this.#poll) {
        this.#deliver(this.#poll, pending);
      } else {
        this.#queued = pending;
      }
    });
  }

  close(): void {
    this.#state = "Closed";
    this.#poll = undefined;
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
      void this.#initError(request, response);
      return;
    }
    const match = REPLY_PATH.exec(url);
    if (request.method === "POST" && match) {
      const kind = match[2] === "response" ? "InvocationResponse" : "InvocationErrorResponse";
      void this.#reply(request, response, decodeRequestId(match[1] as string), kind);
      return;
    }
    sendJson(response, 404, { errorMessage: `Unknown Runtime API path ${url}`, errorType: "NotFound" });
  }

  /** Moves to `to` if the current state allows it; otherwise answers 403 as Lambda does. */
  #transition(to: RuntimeState, response: ServerResponse): boolean {
    if (TRANSITIONS[this.#state].includes(to)) {
      this.#state = to;
      return true;
    }
    sendJson(response, 403, {
      errorMessage: `State transition from ${STATE_NAMES[this.#state]} to ${STATE_NAMES[to]} failed for runtime. Error: State transition is not allowed`,
      errorType: "InvalidStateTransition",
    });
    return false;
  }

  #next(response: ServerResponse): void {
    const wasStarted = this.#state === "Started";
    if (!this.#transition("Ready", response)) return;
    if (wasStarted) this.#resolveInit({ ok: true });
    const queued = this.#queued;
    if (queued) {
      this.#queued = undefined;
      this.#deliver(response, queued);
      return;
    }
    // One poll waits at a time: a newer one takes the place of an older one still open.
    const older = this.#poll;
    this.#poll = response;
    if (older) {
      sendJson(older, 403, {
        errorMessage:
          "Another /runtime/invocation/next request took the place of this one: a runtime asks for one invocation at a time.",
        errorType: "InvalidStateTransition",
      });
    }
    // A runtime that hangs up while polling gets nothing delivered into the void.
    response.once("close", () => {
      if (this.#poll === response) this.#poll = undefined;
    });
  }

  #deliver(response: ServerResponse, pending: PendingInvocation): void {
    if (this.#poll === response) this.#poll = undefined;
    this.#inFlight = pending;
    const { invocation } = pending;
    const headers: Record<string, string | number> = {
      "Content-Type": "application/json",
      "Lambda-Runtime-Aws-Request-Id": invocation.requestId,
      "Lambda-Runtime-Deadline-Ms": invocation.deadlineMs,
      "Lambda-Runtime-Invoked-Function-Arn": invocation.invokedFunctionArn,
    };
    if (invocation.traceId) headers["Lambda-Runtime-Trace-Id"] = invocation.traceId;
    if (invocation.tenantId !== undefined) headers["Lambda-Runtime-Aws-Tenant-Id"] = invocation.tenantId;
    if (invocation.clientContext)
      headers["Lambda-Runtime-Client-Context"] = JSON.stringify(invocation.clientContext);
    if (invocation.cognitoIdentity) {
      headers["Lambda-Runtime-Cognito-Identity"] = JSON.stringify(invocation.cognitoIdentity);
    }
    response.writeHead(200, headers);
    response.end(invocation.payload);
  }

  async #reply(
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
    kind: "InvocationResponse" | "InvocationErrorResponse",
  ): Promise<void> {
    if (!this.#transition(kind, response)) return discard(request);
    const pending = this.#inFlight;
    if (!pending || pending.invocation.requestId !== requestId) {
      this.#state = "Ready";
      sendJson(response, 400, { errorMessage: "Invalid request ID", errorType: "InvalidRequestID" });
      return discard(request);
    }
    const body = await readRuntimeBody(request);
    if (this.#state === "Closed") return;
    this.#state = "ResponseSent";
    this.#inFlight = undefined;
    if (body === "aborted") {
      pending.reject(
        new RuntimeProtocolError(
          `the runtime's connection closed before its ${kind === "InvocationResponse" ? "response" : "error"} for request ${requestId} was complete`,
        ),
      );
      return;
    }
    if (body === "too-large") {
      payloadTooLarge(response);
      pending.resolve(responseTooLarge());
      return;
    }
    sendJson(response, 202, { status: "OK" });
    if (kind === "InvocationResponse") pending.resolve({ type: "success", payload: body });
    else pending.resolve({ type: "error", errorType: functionErrorType(request), payload: body });
  }

  async #initError(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!this.#transition("InitError", response)) return discard(request);
    const errorType = functionErrorType(request);
    const body = await readRuntimeBody(request);
    if (this.#state === "Closed") return;
    if (body === "too-large") payloadTooLarge(response);
    else if (body !== "aborted") sendJson(response, 202, { status: "OK" });
    // The error type came in the header; a body that was cut off or too large gives way to a note.
    const payload =
      body === "aborted" || body === "too-large"
        ? Buffer.from(JSON.stringify({ errorType, errorMessage: INIT_ERROR_LOST[body] }))
        : body;
    this.#resolveInit({ ok: false, errorType, payload });
  }
}

const INIT_ERROR_LOST = {
  aborted: "The runtime's connection closed before its init error report was complete.",
  "too-large": `The runtime's init error report was over the ${MAX_RESPONSE_BYTES}-byte limit.`,
};

function functionErrorType(request: IncomingMessage): string {
  const errorType = request.headers["lambda-runtime-function-error-type"];
  return typeof errorType === "string" && errorType !== "" ? errorType : "Runtime.Unknown";
}

function payloadTooLarge(response: ServerResponse): void {
  sendJson(response, 413, {
    errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    errorType: "RequestEntityTooLarge",
  });
}

/** A request whose body is not wanted: its bytes are read and dropped, never kept. */
function discard(request: IncomingMessage): void {
  request.resume();
}

function decodeRequestId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    // Not valid percent-encoding: no invocation has that id, which the caller reports.
    return encoded;
  }
}

/** A body the runtime posts, up to Lambda's limit; one announced as larger is refused unread. */
function readRuntimeBody(request: IncomingMessage): Promise<Buffer | "too-large" | "aborted"> {
  if (Number(request.headers["content-length"]) > MAX_RESPONSE_BYTES) {
    request.resume();
    return Promise.resolve("too-large");
  }
  return readLimitedBody(request, MAX_RESPONSE_BYTES);
}
