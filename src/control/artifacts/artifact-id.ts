/** An artifact's id is the sha256 of its zip, in lowercase hex: checked before it ever forms a path. */
import { createHash } from "node:crypto";
import { PorticoError } from "../../model/index.js";

const ARTIFACT_ID = /^[0-9a-f]{64}$/;

export function isArtifactId(value: string): boolean {
  return ARTIFACT_ID.test(value);
}

/** Throws ARTIFACT_ID_INVALID (400) unless `value` is 64 lowercase hex digits. */
export function checkArtifactId(value: string): string {
  if (!isArtifactId(value)) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
    throw new PorticoError(
      "ARTIFACT_ID_INVALID",
      `${JSON.stringify(shown)} is not an artifact id: it must be a sha256 as 64 lowercase hex digits`,
    );
  }
  return value;
}

export function sha256Hex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
