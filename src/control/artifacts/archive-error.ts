/** Errors about code archives: each names the entry at fault and carries a stable code the APIs map to an answer. */
import { PorticoError } from "../../model/index.js";

export type ArchiveErrorCode =
  /** Not a zip, or a damaged one (bad CRC, sizes that disagree with the data, unknown compression). */
  | "ARCHIVE_INVALID"
  /** A zip with no entries. */
  | "ARCHIVE_EMPTY"
  /** A name that would land outside the target: `..`, absolute, drive letter, backslash, NUL. */
  | "ARCHIVE_ENTRY_UNSAFE"
  /** The same path twice, or a path that is both a file and a directory. */
  | "ARCHIVE_ENTRY_DUPLICATE"
  /** A device, FIFO or socket entry. */
  | "ARCHIVE_ENTRY_UNSUPPORTED"
  /** A symbolic link that points outside the archive (or through `..` past its root). */
  | "ARCHIVE_LINK_OUTSIDE"
  /** More entries than the limit allows. */
  | "ARCHIVE_TOO_MANY_ENTRIES"
  /** The target directory of an extraction already exists. */
  | "ARCHIVE_TARGET_EXISTS";

export interface ArchiveErrorOptions {
  readonly entry?: string;
  readonly status?: number;
  readonly isUserError?: boolean;
  readonly cause?: unknown;
}

export class ArchiveError extends PorticoError {
  declare readonly code: ArchiveErrorCode;
  /** The entry's name as stored in the zip, when one entry is at fault. */
  readonly entry: string | undefined;

  constructor(code: ArchiveErrorCode, message: string, options: ArchiveErrorOptions = {}) {
    super(code, message, options);
    this.name = "ArchiveError";
    this.entry = options.entry;
  }
}

/** Which of Lambda's size quotas was passed: the zip as uploaded, or its content once extracted. */
export type SizeLimitKind = "zipped" | "unzipped";

/**
 * Code over a size quota (HTTP 413). The message is Lambda's own for the unzipped quota; the Lambda API adapter
 * maps `limit` to Lambda's exception (`RequestEntityTooLargeException` for zipped, `InvalidParameterValueException`
 * for unzipped).
 */
export class ArtifactTooLargeError extends PorticoError {
  declare readonly code: "ARTIFACT_TOO_LARGE";
  readonly limit: SizeLimitKind;
  /** The quota, in bytes. */
  readonly maxBytes: number;

  constructor(limit: SizeLimitKind, maxBytes: number) {
    const what = limit === "zipped" ? "Zipped" : "Unzipped";
    super("ARTIFACT_TOO_LARGE", `${what} size must be smaller than ${maxBytes} bytes`, { status: 413 });
    this.name = "ArtifactTooLargeError";
    this.limit = limit;
    this.maxBytes = maxBytes;
  }
}

/** Lambda's words for a zip it cannot read, kept so the Lambda API can answer as Lambda does. */
export const LAMBDA_UNZIP_FAILED =
  "Could not unzip uploaded file. Please check your file, then try to upload again.";
/** Lambda's words for a zip with no entries. */
export const LAMBDA_EMPTY_ZIP = "Uploaded file must be a non-empty zip";
