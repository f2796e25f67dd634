/** Readers for the fields both Lambda proxy response formats share, and the MappedResponse the mappers return. */
import { canonicalHeaderName } from "./header-case.js";
import type { HttpResponse } from "./http-types.js";

/**
 * Either the response to send, or why the payload is malformed. The gateway answers a malformed payload with
 * `internalServerError()` and writes `reason` to the function's log, where its author will look.
 */
export type MappedResponse =
  | { readonly ok: true; readonly response: HttpResponse }
  | { readonly ok: false; readonly reason: string };

export type HeaderList = Array<readonly [name: string, value: string]>;

/** Thrown by the readers below and caught by the mappers, which turn it into `{ ok: false, reason }`. */
export class MalformedResponseError extends Error {}

/** Runs `read(result)` and turns a MalformedResponseError into `{ ok: false, reason }`. */
export function mapStrictly(
  read: (result: Record<string, unknown>) => HttpResponse,
  result: Record<string, unknown>,
): MappedResponse {
  try {
    return { ok: true, response: read(result) };
  } catch (error) {
    if (error instanceof MalformedResponseError) return { ok: false, reason: error.message };
    throw error;
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Short description of a wrong value for a log line: `200.5`, `"200"`, `an array`. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  return String(value);
}

export function readStatusCode(value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599) return value;
  throw new MalformedResponseError(`statusCode must be an integer from 100 to 599, got ${describe(value)}`);
}

/** Absent or null → null; a JSON object → itself; anything else is malformed. */
export function readOptionalObject(field: string, value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (isJsonObject(value)) return value;
  throw new MalformedResponseError(`${field} must be an object, got ${describe(value)}`);
}

/** Absent or null → null; an array → itself; anything else is malformed. */
export function readOptionalArray(field: string, value: unknown): readonly unknown[] | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value;
  throw new MalformedResponseError(`${field} must be an array, got ${describe(value)}`);
}

/**
 * The gateway frames the response itself (aws.md §4.3: it sets Content-Length and Connection), so a function's
 * copies are dropped rather than risk a wrong length on the wire.
 */
const FRAMING_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

// The checks node:http applies when writing, done here so a bad header fails the mapping, not the socket.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/** Appends one header under its canonical name. Numbers and booleans are stringified; null means "not set". */
export function appendHeader(headers: HeaderList, field: string, name: string, value: unknown): void {
  if (value === null) return;
  const text = typeof value === "number" || typeof value === "boolean" ? String(value) : value;
  if (typeof text !== "string") {
    throw new MalformedResponseError(`${field}.${name} must be a string, got ${describe(value)}`);
  }
  if (!TOKEN.test(name)) {
    throw new MalformedResponseError(`${field} has an invalid header name ${describe(name)}`);
  }
  if (INVALID_VALUE_CHAR.test(text)) {
    throw new MalformedResponseError(`${field}.${name} has a character not allowed in a header value`);
  }
  if (FRAMING_HEADERS.has(name.toLowerCase())) return;
  headers.push([canonicalHeaderName(name), text]);
}

/** Reads a name → single value map such as `headers`. */
export function appendHeaderMap(headers: HeaderList, field: string, value: unknown): void {
  const map = readOptionalObject(field, value);
  if (map === null) return;
  for (const name in map) appendHeader(headers, field, name, map[name]);
}

/** What HTTP APIs send for a response that has a statusCode but names no type (observed, aws.md §0 item 5). */
export const HTTP_API_DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
/** What REST APIs send in that case (aws.md §0 item 5, §4.2). */
export const REST_API_DEFAULT_CONTENT_TYPE = "application/json";

/** Adds `Content-Type: contentType` unless the function named a type itself. */
export function ensureContentType(headers: HeaderList, contentType: string): void {
  for (const [name] of headers) {
    if (name.length === 12 && name.toLowerCase() === "content-type") return;
  }
  headers.push(["Content-Type", contentType]);
}

/** `isBase64Encoded`: absent or null is false; anything but a boolean is malformed. */
export function readIsBase64Encoded(isBase64Encoded: unknown): boolean {
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== "boolean") {
    throw new MalformedResponseError(`isBase64Encoded must be a boolean, got ${describe(isBase64Encoded)}`);
  }
  return isBase64Encoded === true;
}

/** The value of the first Content-Type in `headers`, if any. */
export function contentTypeOf(headers: HeaderList): string | undefined {
  for (const [name, value] of headers) {
    if (name.length === 12 && name.toLowerCase() === "content-type") return value;
  }
  return undefined;
}

/** `body` (absent or null → empty), decoded from base64 when `isBase64Encoded` is true. */
export function readBody(body: unknown, isBase64Encoded: unknown): Buffer | string {
  readIsBase64Encoded(isBase64Encoded);
  if (body === undefined || body === null) return "";
  if (typeof body !== "string") {
    throw new MalformedResponseError(
      `body must be a string, got ${describe(body)} (JSON.stringify it first)`,
    );
  }
  return isBase64Encoded === true ? Buffer.from(body, "base64") : body;
}
