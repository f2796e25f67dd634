/** FunctionRecords as a store would hold them after the Lambda API made or changed a function, for tests. */
import { createHash } from "node:crypto";
import { type FunctionAwsDetails, functionRecordBag, type NewFunction } from "../../src/aws/index.js";
import type { FunctionConfig, FunctionRecord } from "../../src/model/index.js";

/** The smallest valid zip: an archive with no entries (only its end-of-central-directory record). */
export const EMPTY_ZIP = Buffer.concat([Buffer.from("PK\x05\x06", "latin1"), Buffer.alloc(18)]);

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The record for `created`, or for a change to `previous` (one version more). */
export function functionRecord(
  made: { readonly config: FunctionConfig; readonly aws: FunctionAwsDetails; readonly zip?: Buffer },
  options: { readonly previous?: FunctionRecord; readonly modifiedAt?: string } = {},
): FunctionRecord {
  const zip = made.zip;
  const artifact = zip === undefined ? (options.previous?.code.artifact ?? null) : sha256Hex(zip);
  const digest = artifact ?? "0".repeat(64);
  return {
    name: made.config.name,
    project: null,
    version: (options.previous?.version ?? 0) + 1,
    key: sha256Hex(JSON.stringify([made.config, digest])),
    config: made.config,
    code: { artifact, path: "", digest },
    modifiedAt: options.modifiedAt ?? "2024-01-01T00:00:00.000Z",
    aws: functionRecordBag(made.aws),
    ...(options.previous?.permissions === undefined ? {} : { permissions: options.previous.permissions }),
  };
}

export function createdRecord(made: NewFunction, modifiedAt?: string): FunctionRecord {
  return functionRecord(made, modifiedAt === undefined ? {} : { modifiedAt });
}
