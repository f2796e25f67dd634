/** Request bodies of the admin API: small JSON documents, and zip archives up to Lambda's upload limit. */
import type { IncomingMessage } from "node:http";
import { readLimitedBody } from "../../http/index.js";
import { PorticoError } from "../../model/index.js";
import { LAMBDA_CODE_LIMITS } from "../artifacts/index.js";

/** JSON bodies are small documents. */
const MAX_JSON_BYTES = 1024 * 1024;

export async function readJson(request: IncomingMessage): Promise<unknown> {
  const body = await readBody(request, MAX_JSON_BYTES, "The request body is larger than 1 MiB.");
  const text = body.toString("utf8");
  try {
    return JSON.parse(text === "" ? "{}" : text);
  } catch {
    throw new PorticoError("BAD_REQUEST", "The request body is not valid JSON.");
  }
}

/** A zip archive, refused with 413 past Lambda's 50 MB before more of it is read. */
export async function readZip(request: IncomingMessage): Promise<Buffer> {
  const max = LAMBDA_CODE_LIMITS.maxZipBytes;
  const tooLarge = `The archive is larger than ${max} bytes (Lambda's limit for a zipped deployment package): leave out what the code does not need (.porticoignore) or shrink its dependencies.`;
  const declared = Number(request.headers["content-length"]);
  if (declared > max) throw new PorticoError("ARTIFACT_TOO_LARGE", tooLarge, { status: 413 });
  const zip = await readBody(request, max, tooLarge);
  if (zip.length === 0) {
    throw new PorticoError("ARCHIVE_EMPTY", "The request has no body: send the project as a zip archive.");
  }
  return zip;
}

async function readBody(request: IncomingMessage, maxBytes: number, tooLarge: string): Promise<Buffer> {
  const body = await readLimitedBody(request, maxBytes);
  if (body === "too-large") throw new PorticoError("BODY_TOO_LARGE", tooLarge, { status: 413 });
  if (body === "aborted") throw new PorticoError("BODY_ABORTED", "The request body was cut off.");
  return body;
}
