/**
 * Maps a payload format 1.0 Lambda result to the HTTP response an HTTP API sends (aws.md §4.2), and a REST API's
 * Lambda proxy result, which has the same shape, to the response a REST API sends: the two differ in the
 * Content-Type they default to, the order of values a name has in both header maps, and when a base64 body is
 * decoded.
 */
import { type BinaryMediaTypes, firstAcceptedType, NO_BINARY_MEDIA_TYPES } from "./binary-media-types.js";
import { canonicalHeaderName } from "./header-case.js";
import type { HttpResponse } from "./http-types.js";
import {
  appendHeader,
  appendHeaderMap,
  contentTypeOf,
  describe,
  ensureContentType,
  type HeaderList,
  HTTP_API_DEFAULT_CONTENT_TYPE,
  isJsonObject,
  type MappedResponse,
  mapStrictly,
  REST_API_DEFAULT_CONTENT_TYPE,
  readBody,
  readIsBase64Encoded,
  readOptionalArray,
  readOptionalObject,
  readStatusCode,
} from "./response-fields.js";

interface ResponseRulesV1 {
  readonly defaultContentType: string;
  /** For a name in both `headers` and `multiValueHeaders`: send its multi values before its single value. */
  readonly multiValuesFirst: boolean;
  /** Whether a body the function marked `isBase64Encoded` is decoded, given the response's headers. */
  readonly decodesBase64: (headers: HeaderList) => boolean;
}

/** The single value first, then the multi values (observed); `text/plain` by default (observed). */
const HTTP_API_RULES: ResponseRulesV1 = {
  defaultContentType: HTTP_API_DEFAULT_CONTENT_TYPE,
  multiValuesFirst: false,
  decodesBase64: () => true,
};

const readHttpApiResponse = (result: Record<string, unknown>) => readResponse(result, HTTP_API_RULES);

/** Unlike 2.0, anything but a JSON object with a valid `statusCode` is malformed (a 500 for the client). */
export function mapResponseV1(payload: Buffer): MappedResponse {
  return mapProxyResponse(payload, readHttpApiResponse);
}

/**
 * A REST API's Lambda proxy result: malformed in the same cases as 1.0 (a 502 for the client). REST orders the
 * multi values first (observed) and defaults to `application/json` (aws.md §4.2). A body marked
 * `isBase64Encoded` is decoded only when the request's first Accept type or the response's Content-Type is one of
 * the API's binary media types; otherwise the client gets the base64 text as the function wrote it (the AWS
 * guide's "Content type conversions in API Gateway").
 */
export function mapResponseRest(
  payload: Buffer,
  accept?: string,
  binaryMediaTypes: BinaryMediaTypes = NO_BINARY_MEDIA_TYPES,
): MappedResponse {
  const acceptsBinary = binaryMediaTypes.matches(firstAcceptedType(accept));
  const rules: ResponseRulesV1 = {
    defaultContentType: REST_API_DEFAULT_CONTENT_TYPE,
    multiValuesFirst: true,
    decodesBase64: (headers) => acceptsBinary || binaryMediaTypes.matches(contentTypeOf(headers)),
  };
  return mapProxyResponse(payload, (result) => readResponse(result, rules));
}

function mapProxyResponse(
  payload: Buffer,
  read: (result: Record<string, unknown>) => HttpResponse,
): MappedResponse {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString("utf8"));
  } catch {
    return { ok: false, reason: "the response is not valid JSON" };
  }
  if (!isJsonObject(result)) {
    return { ok: false, reason: `the response must be a JSON object, got ${describe(result)}` };
  }
  return mapStrictly(read, result);
}

function readResponse(result: Record<string, unknown>, rules: ResponseRulesV1): HttpResponse {
  const statusCode = readStatusCode(result.statusCode);
  const headers: HeaderList = [];
  const multiValueHeaders = readOptionalObject("multiValueHeaders", result.multiValueHeaders);
  if (multiValueHeaders === null) {
    appendHeaderMap(headers, "headers", result.headers);
  } else {
    appendMergedHeaders(
      headers,
      readOptionalObject("headers", result.headers),
      multiValueHeaders,
      rules.multiValuesFirst,
    );
  }
  ensureContentType(headers, rules.defaultContentType);
  const decode = readIsBase64Encoded(result.isBase64Encoded) && rules.decodesBase64(headers);
  return { statusCode, headers, body: readBody(result.body, decode) };
}

/** Names in both maps keep their values together, single value first unless `multiValuesFirst`. */
function appendMergedHeaders(
  headers: HeaderList,
  single: Record<string, unknown> | null,
  multi: Record<string, unknown>,
  multiValuesFirst: boolean,
): void {
  // canonical name → names in `multi` with that spelling, so a `headers` entry finds its multi values.
  const multiNames = new Map<string, string[]>();
  for (const name in multi) {
    const key = canonicalHeaderName(name);
    const names = multiNames.get(key);
    if (names === undefined) multiNames.set(key, [name]);
    else names.push(name);
  }
  if (single !== null) {
    for (const name in single) {
      const key = canonicalHeaderName(name);
      const names = multiNames.get(key);
      if (!multiValuesFirst) appendHeader(headers, "headers", name, single[name]);
      if (names !== undefined) {
        for (const multiName of names) appendValues(headers, multiName, multi[multiName]);
        multiNames.delete(key);
      }
      if (multiValuesFirst) appendHeader(headers, "headers", name, single[name]);
    }
  }
  for (const names of multiNames.values()) {
    for (const multiName of names) appendValues(headers, multiName, multi[multiName]);
  }
}

function appendValues(headers: HeaderList, name: string, value: unknown): void {
  const values = readOptionalArray(`multiValueHeaders.${name}`, value);
  if (values === null) return;
  for (const item of values) appendHeader(headers, "multiValueHeaders", name, item);
}
