/**
 * A function's `RevisionId`: a UUID that changes with every change to the function (settings, code, permissions),
 * derived from the record so that every node and every restart shows the same one.
 */
import { createHash } from "node:crypto";
import type { FunctionRecord } from "../../model/index.js";
import { preconditionFailed } from "./aws-errors.js";

export function revisionIdOf(
  record: Pick<FunctionRecord, "name" | "version" | "key" | "modifiedAt" | "permissions">,
): string {
  const hex = createHash("sha256")
    .update(
      JSON.stringify([record.name, record.version, record.key, record.modifiedAt, record.permissions ?? {}]),
    )
    .digest("hex");
  // Shaped as a version 4 UUID, as Lambda's are.
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An update naming a RevisionId applies only to that revision (optimistic locking, as in Lambda). */
export function checkRevisionId(record: FunctionRecord, revisionId: string | undefined): void {
  if (revisionId !== undefined && revisionId !== revisionIdOf(record)) throw preconditionFailed();
}
