/** Maps a payload format 1.0 Lambda result to the HTTP response an HTTP API sends (aws.md §4.2). */
import { canonicalHeaderName } from "./header-case.js";
import type { HttpResponse } from "./http-types.js";
import {
  appendHeader,
  appendHeaderMap,
  describe,
  ensureContentType,
  type HeaderList,
  isJsonObject,
  type MappedResponse,
  mapStrictly,
  readBody,
  readOptionalArray,
  readOptionalObject,
  readStatusCode,
} from "./response-fields.js";

/** Unlike 2.0, anything but a JSON object with a valid `statusCode` is malformed (a 500 for the client). */
export function mapResponseV1(payload: Buffer): MappedResponse {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString("utf8"));
  } catch {
    return { ok: false, reason: "the response is not valid JSON" };
  }
  if (!isJsonObject(result)) {
    return { ok: false, reason: `the response must be a JSON object, got ${describe(result)}` };
  }
  return mapStrictly(readResponse, result);
}

function readResponse(result: Record<string, unknown>): HttpResponse {
  const statusCode = readStatusCode(result.statusCode);
  const headers: HeaderList = [];
  const multiValueHeaders = readOptionalObject("multiValueHeaders", result.multiValueHeaders);
  if (multiValueHeaders === null) {
    appendHeaderMap(headers, "headers", result.headers);
  } else {
    appendMergedHeaders(headers, readOptionalObject("headers", result.headers), multiValueHeaders);
  }
  ensureContentType(headers);
  return { statusCode, headers, body: readBody(result.body, result.isBase64Encoded) };
}

/** For a name in both maps, HTTP APIs send the single value first, then the multi values (observed). */
function appendMergedHeaders(
  headers: HeaderList,
  single: Record<string, unknown> | null,
  multi: Record<string, unknown>,
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
      appendHeader(headers, "headers", name, single[name]);
      const key = canonicalHeaderName(name);
      const names = multiNames.get(key);
      if (names === undefined) continue;
      for (const multiName of names) appendValues(headers, multiName, multi[multiName]);
      multiNames.delete(key);
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
