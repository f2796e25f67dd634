/** Maps a payload format 2.0 Lambda result to the HTTP response an HTTP API sends (aws.md §4.1). */
import type { HttpResponse } from "./http-types.js";
import {
  appendHeader,
  appendHeaderMap,
  describe,
  ensureContentType,
  type HeaderList,
  HTTP_API_DEFAULT_CONTENT_TYPE,
  isJsonObject,
  MalformedResponseError,
  type MappedResponse,
  mapStrictly,
  readBody,
  readOptionalArray,
  readStatusCode,
} from "./response-fields.js";

/**
 * Only a JSON object with a `statusCode` key is read as a response. Anything else (another object, an array,
 * a number, `null`, even invalid JSON) is sent as a 200 `application/json` body verbatim, a JSON string unquoted
 * first (observed against real AWS; the docs only promise this for valid JSON).
 */
export function mapResponseV2(payload: Buffer): MappedResponse {
  const text = payload.toString("utf8");
  let result: unknown;
  try {
    result = JSON.parse(text);
  } catch {
    return asJsonBody(text);
  }
  if (typeof result === "string") return asJsonBody(result);
  if (!isJsonObject(result) || !Object.hasOwn(result, "statusCode")) return asJsonBody(text);
  return mapStrictly(readResponse, result);
}

function asJsonBody(body: string): MappedResponse {
  return { ok: true, response: { statusCode: 200, headers: [["Content-Type", "application/json"]], body } };
}

function readResponse(result: Record<string, unknown>): HttpResponse {
  const statusCode = readStatusCode(result.statusCode);
  const headers: HeaderList = [];
  appendHeaderMap(headers, "headers", result.headers);
  const cookies = readOptionalArray("cookies", result.cookies);
  if (cookies !== null) {
    // Each cookie becomes its own Set-Cookie line: cookies cannot be comma-joined like other headers.
    for (const cookie of cookies) {
      if (typeof cookie !== "string") {
        throw new MalformedResponseError(`cookies must hold strings, got ${describe(cookie)}`);
      }
      appendHeader(headers, "cookies", "Set-Cookie", cookie);
    }
  }
  ensureContentType(headers, HTTP_API_DEFAULT_CONTENT_TYPE);
  return { statusCode, headers, body: readBody(result.body, result.isBase64Encoded) };
}
