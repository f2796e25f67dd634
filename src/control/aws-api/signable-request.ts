/**
 * The request as its client signed it, rebuilt from what node received: the method, the path and
 * query as sent, and the signed headers with every value each was sent with.
 */
import { HttpRequest } from "@smithy/core/protocols";

/** What the verifier reads of a request besides its body: an `IncomingMessage` fits. */
export interface SignedRequest {
  readonly method?: string;
  /** Path and query, as received (origin form). */
  readonly url?: string;
  /** Every header as sent: a header sent twice is signed as both values. */
  readonly rawHeaders: readonly string[];
}

/** The request as the client signed it: its method, path and query as sent, the signed headers only. */
export function signableRequest(
  request: SignedRequest,
  headerValues: ReadonlyMap<string, readonly string[]>,
  signedHeaders: readonly string[],
  body: Uint8Array,
): HttpRequest {
  const url = request.url ?? "/";
  const queryStart = url.indexOf("?");
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    // Several values are signed as one, comma-joined (node would join them with ", ").
    const values = headerValues.get(name);
    if (values !== undefined) headers[name] = values.map((value) => value.trim()).join(",");
  }
  return new HttpRequest({
    method: request.method ?? "GET",
    protocol: "http:",
    hostname: headers.host ?? "",
    // Still percent-encoded: non-S3 services sign the path encoded twice, and the signer encodes it once more.
    path: queryStart === -1 ? url : url.slice(0, queryStart),
    query: queryStart === -1 ? {} : parseQuery(url.slice(queryStart + 1)),
    headers,
    body,
  });
}

/** Header name (lower case) → every value sent, in order. */
export function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    const known = values.get(name);
    if (known) known.push(value);
    else values.set(name, [value]);
  }
  return values;
}

/** The query decoded (the signer encodes it again, its own way); `a` alone is `a=`, as AWS signs it. */
function parseQuery(query: string): Record<string, string | string[]> {
  const parameters: Record<string, string | string[]> = Object.create(null);
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? "" : decode(pair.slice(equals + 1));
    const known = parameters[key];
    if (known === undefined) parameters[key] = value;
    else if (Array.isArray(known)) known.push(value);
    else parameters[key] = [known, value];
  }
  return parameters;
}

/** Percent-decoding that keeps a malformed escape as sent: its signature will not match, and says so. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
