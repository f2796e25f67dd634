/**
 * Entity tags of records, for the admin API's ETag and If-Match: a write that names the tag it read fails with
 * 409 when the record changed meanwhile, instead of silently undoing someone else's change.
 */
import { createHash } from "node:crypto";
import { PorticoError } from "../../model/index.js";

export function etagOf(record: object): string {
  return `"${createHash("sha256").update(JSON.stringify(record)).digest("base64url").slice(0, 22)}"`;
}

/** Throws 409 unless `ifMatch` (an If-Match header, absent or `*` for any) matches `record`'s tag. */
export function checkIfMatch(what: string, record: object, ifMatch: string | undefined): void {
  if (ifMatch === undefined || ifMatch.trim() === "*") return;
  const tag = etagOf(record);
  const sent = ifMatch.split(",").map((each) => each.trim().replace(/^W\//, ""));
  if (sent.includes(tag)) return;
  throw new PorticoError(
    "PRECONDITION_FAILED",
    `${what} changed since it was read (ETag now ${tag}, If-Match ${ifMatch}): read it again, then retry the change.`,
    { status: 409 },
  );
}
