/**
 * The checks RFC 9112 asks of a server before it acts on a request's target and Host, which Node's parser leaves
 * to the application: exactly one Host (§3.2), an HTTP/1.x version (a request line without one parses as
 * HTTP/0.9), and an absolute-form target (`GET http://host/path`), whose authority stands in for Host (§3.2.2).
 */
import type { IncomingMessage } from "node:http";

/** The parts of a request these checks read and rewrite. */
export type RequestLine = Pick<
  IncomingMessage,
  "httpVersionMajor" | "httpVersion" | "url" | "headers" | "rawHeaders"
>;

/**
 * Why the request must be refused with 400, or undefined when it may go on. An absolute-form request is
 * rewritten as if it had come in origin form: its url becomes the path and query, and its Host the target's
 * authority, which the gateway routes by and services receive.
 */
export function checkRequestTarget(request: RequestLine): string | undefined {
  if (request.httpVersionMajor !== 1) {
    return request.httpVersionMajor === 0
      ? "the request line has no HTTP version (send `GET /path HTTP/1.1`)"
      : `HTTP/${request.httpVersion} is not spoken here (send HTTP/1.1)`;
  }
  const raw = request.rawHeaders;
  let hostAt = -1;
  for (let i = 0; i < raw.length; i += 2) {
    if (!isHostName(raw[i] as string)) continue;
    if (hostAt >= 0) return "more than one Host header (send one)";
    hostAt = i;
  }
  const url = request.url ?? "/";
  if (url.charCodeAt(0) === SLASH || url === "*") return undefined;
  const target = absoluteForm(url);
  if (target === null) return `the request target \`${url}\` is neither a path nor an absolute URL`;
  request.url = target.originForm;
  request.headers.host = target.authority;
  if (hostAt >= 0) raw[hostAt + 1] = target.authority;
  else raw.push("Host", target.authority);
  return undefined;
}

const SLASH = 0x2f;

/** `scheme://authority/path?query` (a fragment is never sent); userinfo is not part of the host. */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?([^/?#@]+)([^#]*)$/i;

/** The authority and the origin-form target (path and query, `/` for an empty path) of an absolute URL, or null. */
export function absoluteForm(url: string): { authority: string; originForm: string } | null {
  const match = ABSOLUTE_FORM.exec(url);
  if (match === null) return null;
  const rest = match[2] as string;
  return { authority: match[1] as string, originForm: rest.charCodeAt(0) === SLASH ? rest : `/${rest}` };
}

function isHostName(name: string): boolean {
  return name.length === 4 && (name === "Host" || name === "host" || name.toLowerCase() === "host");
}
