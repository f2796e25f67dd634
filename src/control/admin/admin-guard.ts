/**
 * Who may use the admin listener, decided from a request's head alone (before its body is read), so
 * every API behind that listener (the admin REST API, later the console, and the AWS-compatible APIs,
 * which pass the sender checks here and then prove themselves with a signature) sits behind the same
 * checks. The threat is a web page in the developer's browser: it can send a cross-site "simple" POST,
 * or rebind its own DNS name to 127.0.0.1 and read the answers.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import { PorticoError } from "../../model/index.js";

/** What the guard reads of a request: an `IncomingMessage` fits. */
export interface GuardedRequest {
  readonly method?: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  /** The address and port the connection arrived at: the listener's own. */
  readonly socket: { readonly localAddress?: string; readonly localPort?: number };
}

/** A refused request: the answer to send (`{code, message}` with this status and headers). */
export interface AdminRefusal {
  readonly status: 400 | 401 | 403 | 415 | 421;
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface AdminAccess {
  /** The address the admin listener binds to. */
  readonly host: string;
  /** The bearer token requests must carry; required when `host` is beyond loopback. */
  readonly token?: string;
}

/** Long enough that guessing it over the network is hopeless. */
const MIN_TOKEN_LENGTH = 16;
/** Visible ASCII without spaces: what fits, unchanged, after `Authorization: Bearer `. */
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;
const TOKEN_HELP = "e.g. export PORTICO_ADMIN_TOKEN=$(openssl rand -hex 32)";
/** Names a rebinding page cannot take: IP literals, and `localhost`, which browsers never ask DNS about. */
const LOOPBACK_HOSTNAMES = ["localhost", "127.0.0.1", "[::1]"];
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/**
 * A page of another site can send a write without asking first only as text/plain, form data or
 * multipart: never as these, which every browser preflights (and the admin API never approves).
 */
const WRITE_MEDIA_TYPES = new Set(["application/json", "application/zip"]);
/**
 * Fetch Metadata values that mean another origin's page sent the request. `same-site` too: a site
 * ignores ports, so a page the gateway serves at localhost:3000 is same-site with the admin API.
 */
const FOREIGN_FETCH_SITES = new Set(["cross-site", "same-site"]);

export class AdminGuard {
  readonly #tokenDigest: Buffer | undefined;

  /** Throws a PorticoError when the listener would be reachable beyond loopback without a token. */
  constructor(access: AdminAccess) {
    const token = access.token === "" ? undefined : access.token;
    if (token === undefined && !isLoopbackAddress(access.host)) {
      throw new PorticoError(
        "ADMIN_TOKEN_REQUIRED",
        `--admin-host ${access.host} opens the admin API beyond this machine, so it needs a token: set PORTICO_ADMIN_TOKEN (or --admin-token) to a secret of ${MIN_TOKEN_LENGTH} characters or more, ${TOKEN_HELP}`,
      );
    }
    if (token !== undefined && (token.length < MIN_TOKEN_LENGTH || !TOKEN_SHAPE.test(token))) {
      throw new PorticoError(
        "ADMIN_TOKEN_MALFORMED",
        `the admin token must be ${MIN_TOKEN_LENGTH} or more visible ASCII characters without spaces (it travels as "Authorization: Bearer TOKEN"); ${TOKEN_HELP}`,
      );
    }
    this.#tokenDigest = token === undefined ? undefined : digest(token);
  }

  /** The refusal for this request, or undefined when it may go on to routing. */
  check(request: GuardedRequest): AdminRefusal | undefined {
    const refusal = this.checkSender(request);
    if (refusal) return refusal;
    if (this.#tokenDigest !== undefined) {
      const tokenRefusal = this.#checkToken(request.headers.authorization);
      if (tokenRefusal) return tokenRefusal;
    }
    const method = request.method ?? "GET";
    if (WRITE_METHODS.has(method)) {
      const type = request.headers["content-type"];
      const mediaType = type?.split(";", 1)[0]?.trim().toLowerCase();
      if (mediaType === undefined || !WRITE_MEDIA_TYPES.has(mediaType)) {
        return {
          status: 415,
          code: "UNSUPPORTED_MEDIA_TYPE",
          message: `The admin API takes ${method} requests as JSON (or a zip archive, where it takes one) only: send Content-Type: application/json (got ${type === undefined ? "no Content-Type" : quote(type)}).`,
        };
      }
    }
    return undefined;
  }

  /**
   * The checks on who sent the request (one Host naming the listener, not another site's page), which every
   * request passes. The AWS-compatible endpoints stop here: they prove the caller with a signature instead of
   * the token, and take bodies as AWS tools send them.
   */
  checkSender(request: GuardedRequest): AdminRefusal | undefined {
    const hosts = hostHeaders(request.rawHeaders);
    const own = ownHosts(request);
    if (hosts.length !== 1 || hosts[0] === "") {
      return {
        status: 400,
        code: "HOST_INVALID",
        message: `The request has ${hosts.length > 1 ? `${hosts.length} Host headers` : "no Host header"}; send exactly one, naming the admin API (${own[1]}).`,
      };
    }
    const host = (hosts[0] as string).toLowerCase();
    // With a token, the token (on the AWS paths, a signature) is the proof: a rebinding page cannot know
    // it, and a listener opened beyond loopback must answer to whatever name or address reaches it.
    if (this.#tokenDigest === undefined && !own.includes(host)) {
      return {
        status: 421,
        code: "HOST_NOT_ALLOWED",
        message: `The admin API answers only to ${own.slice(0, -1).join(", ")} or ${own.at(-1)}, not to Host ${quote(host)} (a web page may be trying DNS rebinding). Use http://${own[1]}/, or start Portico with PORTICO_ADMIN_TOKEN set to reach it by other names.`,
      };
    }
    const crossOrigin = foreignOrigin(request.headers, host);
    if (crossOrigin !== undefined) {
      return {
        status: 403,
        code: "CROSS_ORIGIN",
        message: `The admin API refuses requests sent by web pages of other sites (${crossOrigin}). Use the portico CLI or an HTTP client such as curl.`,
      };
    }
    return undefined;
  }

  #checkToken(authorization: string | undefined): AdminRefusal | undefined {
    const sent = /^bearer +(\S+) *$/i.exec(authorization ?? "")?.[1];
    const fix =
      "Send the token `portico dev` was started with as Authorization: Bearer TOKEN (the portico CLI sends PORTICO_ADMIN_TOKEN, or --admin-token).";
    if (sent === undefined) {
      return {
        status: 401,
        code: "ADMIN_TOKEN_MISSING",
        message: `The admin API needs its token. ${fix}`,
        headers: { "WWW-Authenticate": 'Bearer realm="portico-admin"' },
      };
    }
    // Digests have one length whatever was sent, so the comparison's time says nothing about the token.
    if (!timingSafeEqual(digest(sent), this.#tokenDigest as Buffer)) {
      return {
        status: 401,
        code: "ADMIN_TOKEN_INVALID",
        message: `The admin token sent is not the right one. ${fix}`,
        headers: { "WWW-Authenticate": 'Bearer realm="portico-admin", error="invalid_token"' },
      };
    }
    return undefined;
  }
}

/** `localhost`, 127.0.0.0/8 and ::1: addresses no other machine can reach. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1" || bare.startsWith("::ffff:127.");
}

/** Host names with port the listener answers to: the loopback names and the address it is bound to. */
function ownHosts(request: GuardedRequest): string[] {
  const port = request.socket.localPort ?? 0;
  const hosts = LOOPBACK_HOSTNAMES.map((name) => `${name}:${port}`);
  const address = request.socket.localAddress;
  if (address !== undefined) {
    const own = `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
    if (!hosts.includes(own)) hosts.push(own);
  }
  return hosts;
}

/** Every Host header as sent: node keeps only the first in `headers`, a second one must not hide. */
function hostHeaders(rawHeaders: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === "host") values.push((rawHeaders[i + 1] as string).trim());
  }
  return values;
}

/**
 * What shows the request came from another origin's page, or undefined: Fetch Metadata where the
 * browser sends it, else an `Origin` that is not the request's own (`null` included: sandboxed frames,
 * file pages).
 */
function foreignOrigin(headers: IncomingHttpHeaders, host: string): string | undefined {
  const site = headers["sec-fetch-site"];
  if (site !== undefined && FOREIGN_FETCH_SITES.has(site.toLowerCase())) return `Sec-Fetch-Site: ${site}`;
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  const own = [`http://${host}`, `https://${host}`];
  return own.includes(origin.toLowerCase()) ? undefined : `Origin: ${quote(origin)}`;
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/** A header value shown in a message or log line: quoted, bounded, printable. */
function quote(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, "?");
  return JSON.stringify(printable.length > 100 ? `${printable.slice(0, 100)}...` : printable);
}
