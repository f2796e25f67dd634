/**
 * What the gateway answers when Node's parser gives up on a connection (`clientError`): a request it cannot
 * parse, a head over the size limit, or a request that did not arrive in time. The answer is written straight
 * to the socket (the parser may have no request to answer through), then the connection is closed.
 */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { badRequest, type HttpResponse, requestHeaderFieldsTooLarge, requestTimeout } from "../aws/index.js";

/** A connection whose answer cannot be flushed (the client reads nothing) is destroyed after this long. */
const FLUSH_LIMIT_MS = 1_000;

/** The error `clientError` hands over: Node's parse errors carry llhttp's code and reason. */
export interface ClientError extends Error {
  readonly code?: string;
  readonly reason?: string;
}

/** The answer for a parser error, or null when the client is gone and nothing can be said. */
export function clientErrorAnswer(error: ClientError): HttpResponse | null {
  switch (error.code) {
    case "ECONNRESET":
    case "EPIPE":
      return null;
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return requestTimeout();
    case "HPE_HEADER_OVERFLOW":
      return requestHeaderFieldsTooLarge();
    default:
      return badRequest(describeParseError(error));
  }
}

/**
 * Answers on `socket` (unless a response was already begun there, which a second one would corrupt) and closes
 * it once the answer is flushed, as Node does: the rest of that request is never read, so the request handler
 * (if one is reading its body) sees it end.
 */
export function answerClientError(socket: Duplex, answer: HttpResponse | null, responseBegun: boolean): void {
  if (socket.destroyed || socket.writableEnded) return;
  if (answer === null || responseBegun || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawResponse(answer), () => socket.destroy());
  setTimeout(() => socket.destroy(), FLUSH_LIMIT_MS).unref();
}

function rawResponse(answer: HttpResponse): string {
  const body = answer.body.toString();
  let text = `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode]}\r\n`;
  for (const [name, value] of answer.headers) text += `${name}: ${value}\r\n`;
  return `${text}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** llhttp's reason (`Invalid method encountered`), in words a sender can act on. */
function describeParseError(error: ClientError): string {
  const reason = error.reason ?? error.message;
  return reason ? `malformed request (${reason.replace(/\.$/, "")})` : "malformed request";
}
