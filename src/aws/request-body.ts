/**
 * How a request body is carried in an event. HTTP APIs: UTF-8 text for textual media types, base64 for everything
 * else. REST APIs: text unless the Content-Type is one of the API's binary media types.
 */
import type { BinaryMediaTypes } from "./binary-media-types.js";

/**
 * The only non-`text/*` types HTTP APIs pass as text (third-party checks against real AWS, aws.md §0 item 10). A missing
 * Content-Type and `application/x-www-form-urlencoded` are base64: there is no binaryMediaTypes setting to change it.
 */
const TEXT_TYPES = new Set(["application/json", "application/xml", "application/javascript"]);

/** Media type without parameters, case-insensitive: `Text/HTML; charset=utf-8` is text. */
export function isTextMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const end = contentType.indexOf(";");
  const mediaType = (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
  return (mediaType.startsWith("text/") && mediaType.length > 5) || TEXT_TYPES.has(mediaType);
}

export interface EventBody {
  /** null when the request had no body bytes (v2 then omits `body`, v1 sends `null`). */
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

const NO_BODY: EventBody = Object.freeze({ body: null, isBase64Encoded: false });

export function encodeEventBody(body: Buffer | null, contentType: string | undefined): EventBody {
  if (body === null || body.length === 0) return NO_BODY;
  return isTextMediaType(contentType)
    ? { body: body.toString("utf8"), isBase64Encoded: false }
    : { body: body.toString("base64"), isBase64Encoded: true };
}

/**
 * A REST API passes every body as text (a form post and a body without a Content-Type included), unless its
 * Content-Type matches one of the API's `binaryMediaTypes`: then base64 (the AWS guide's "Content type conversions
 * in API Gateway", Lambda proxy integrations leave `contentHandling` unset).
 */
export function encodeRestEventBody(
  body: Buffer | null,
  contentType: string | undefined,
  binaryMediaTypes: BinaryMediaTypes,
): EventBody {
  if (body === null || body.length === 0) return NO_BODY;
  return binaryMediaTypes.matches(contentType)
    ? { body: body.toString("base64"), isBase64Encoded: true }
    : { body: body.toString("utf8"), isBase64Encoded: false };
}
