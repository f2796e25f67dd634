/**
 * Records as JSON text, the form every durable store keeps. A value JSON would change on the way (a Date, a Map,
 * NaN, an undefined array slot) is refused at commit, so what is read back is always what was written.
 */
import { PorticoError, type RecordWrite } from "../../model/index.js";

/** A record held something JSON cannot keep as it is. */
export class RecordNotJsonError extends PorticoError {
  readonly kind: string;
  readonly recordName: string;
  /** Where in the record, as `.config.environment.KEY` or `[2]` ("" for the record itself). */
  readonly path: string;

  constructor(kind: string, recordName: string, path: string, what: string) {
    super(
      "STORE_RECORD_NOT_JSON",
      `The ${kind} record ${JSON.stringify(recordName)} cannot be stored: ${what} at ${path || "its root"} ` +
        "does not survive JSON.",
      { isUserError: false },
    );
    this.name = "RecordNotJsonError";
    this.kind = kind;
    this.recordName = recordName;
    this.path = path;
  }
}

/**
 * The record `write` sets, as JSON text (null for a deletion). Properties whose value is undefined are left
 * out, as JSON does: reading them back still gives undefined.
 */
export function recordToJson(write: RecordWrite): string | null {
  if (write.record === null) return null;
  let json: string;
  try {
    json = JSON.stringify(write.record);
  } catch (error) {
    // A cycle or a BigInt.
    throw new RecordNotJsonError(write.kind, write.name, "", (error as Error).message);
  }
  const problem = findNonJson(write.record, "");
  if (problem) throw new RecordNotJsonError(write.kind, write.name, problem.path, problem.what);
  return json;
}

interface Problem {
  readonly path: string;
  readonly what: string;
}

/** The first place in `value` that JSON would not keep as it is; `value` has no cycles (it was stringified). */
function findNonJson(value: unknown, path: string): Problem | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : { path, what: String(value) };
    case "object":
      break;
    default:
      return { path, what: `a ${typeof value}` };
  }
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const at = `${path}[${index}]`;
      if (!(index in value) || value[index] === undefined) return { path: at, what: "an empty slot" };
      const problem = findNonJson(value[index], at);
      if (problem) return problem;
    }
    return undefined;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    return { path, what: `a ${value.constructor?.name ?? "non-plain"} object` };
  }
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const problem = findNonJson(item, `${path}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}
