/**
 * Request bodies of the management APIs: JSON text, then a zod shape. A body that is not JSON, or has a member of
 * the wrong type, is refused the way each service refuses one it cannot deserialise.
 */
import type { z } from "zod";
import {
  type AwsApiError,
  type AwsService,
  badRequestException,
  invalidRequestContent,
} from "./aws-errors.js";

/** The JSON value in `raw`; an empty body is an empty object, as the SDK sends for operations without members. */
export function parseJsonBody(raw: string | Uint8Array, service: AwsService): unknown {
  const text = typeof raw === "string" ? raw : Buffer.from(raw).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw unreadable(service, (error as Error).message);
  }
}

/**
 * `body` as `shape` describes it, unknown members dropped: AWS's deserialisers ignore members they do not know,
 * so clients newer than the model keep working. JSON `null` reads as an absent member.
 */
export function readShape<S extends z.ZodType>(shape: S, body: unknown, service: AwsService): z.output<S> {
  const result = shape.safeParse(withoutNulls(body));
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const where = issue.path.length === 0 ? "the body" : issue.path.map(String).join(".");
  const expected = "expected" in issue ? `must be ${article(String(issue.expected))}` : issue.message;
  throw unreadable(service, `${where} ${expected}`);
}

function unreadable(service: AwsService, detail: string): AwsApiError {
  return service === "lambda"
    ? invalidRequestContent(`Could not parse request body into json: ${detail}`)
    : badRequestException(`Invalid request body: ${detail}`);
}

function article(type: string): string {
  if (type === "object") return "an object";
  if (type === "array") return "a list";
  if (type === "record") return "a map";
  return `a ${type}`;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) copy[key] = withoutNulls(item);
  return copy;
}
