/** Query-string decoding shared by both payload formats; only how duplicates are folded differs. */
import { parse } from "node:querystring";

/** Decoded name → every value in order (`+` is a space, as API Gateway decodes it). */
export type QueryValues = Readonly<Record<string, string | readonly string[]>>;

/**
 * Parses `rawQueryString` (no `?`); null when it holds no parameter. Malformed percent escapes are kept as
 * sent instead of failing the request. The result has no prototype, so names like `constructor` are plain keys.
 */
export function parseQueryParameters(rawQueryString: string): QueryValues | null {
  if (rawQueryString === "") return null;
  const parsed = parse(rawQueryString, "&", "=", { maxKeys: 0 });
  for (const _ in parsed) return parsed as QueryValues;
  return null;
}
