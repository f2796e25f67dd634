/** The identity of a function version or a revision: equal keys mean the same settings and the same code. */
import { createHash } from "node:crypto";

export function recordKey(config: object, codeDigest: string): string {
  return createHash("sha256").update(canonicalJson(config)).update("\n").update(codeDigest).digest("hex");
}

/** JSON with object keys sorted, so two equal configs hash alike whatever order their keys were set in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
