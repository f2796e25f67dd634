/**
 * One page of a listing (ListFunctions' `Marker`/`MaxItems`, the v2 API's `nextToken`/`maxResults`). The token
 * is opaque to clients: the base64url of the position after the page, so any node continues any other's listing.
 */

export interface Page<T> {
  readonly items: readonly T[];
  /** The token for the next page, or undefined on the last one. */
  readonly next: string | undefined;
}

/** The page starting at `token` (the first page without one), or undefined when `token` is not one of ours. */
export function pageOf<T>(
  items: readonly T[],
  token: string | undefined,
  limit: number,
): Page<T> | undefined {
  let start = 0;
  if (token !== undefined) {
    const decoded = Buffer.from(token, "base64url").toString("utf8");
    if (!/^\d+$/.test(decoded)) return undefined;
    start = Number(decoded);
    if (start > items.length) return undefined;
  }
  const end = Math.min(items.length, start + Math.max(1, Math.floor(limit)));
  return {
    items: items.slice(start, end),
    next: end < items.length ? Buffer.from(String(end)).toString("base64url") : undefined,
  };
}
