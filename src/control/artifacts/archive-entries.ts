/**
 * Reading a zip's central directory into a checked plan: every entry named safely, typed (file, directory,
 * link), unique, and within the limits, before a single byte is written. Sizes here are the headers' claims;
 * the extractor counts the real bytes as it inflates.
 */
import { type Entry, fromBufferPromise, getFileNameLowLevel, type ZipFile } from "yauzl";
import {
  ArchiveError,
  ArtifactTooLargeError,
  LAMBDA_EMPTY_ZIP,
  LAMBDA_UNZIP_FAILED,
} from "./archive-error.js";
import type { CodeLimits } from "./code-limits.js";
import { entryPath } from "./entry-path.js";

export type EntryKind = "file" | "directory" | "link";

export interface PlannedEntry {
  /** The name as stored, for messages. */
  readonly name: string;
  /** Checked and normalised (see entry-path.ts). */
  readonly path: string;
  readonly kind: EntryKind;
  /** Any execute bit set in the Unix mode: the file is written 0755, else 0644. */
  readonly executable: boolean;
  readonly entry: Entry;
}

export interface ArchivePlan {
  readonly zipfile: ZipFile;
  /** In the zip's order, the root entry (`./`) left out. */
  readonly entries: readonly PlannedEntry[];
}

/** Unix file types, from the high half of the external attributes when the zip was made on Unix. */
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const UNIX_TYPES: ReadonlyMap<number, string> = new Map([
  [0o010000, "a FIFO"],
  [0o020000, "a character device"],
  [0o060000, "a block device"],
  [0o140000, "a socket"],
]);
/** "Version made by" host system 3: the external attributes hold a Unix mode. */
const MADE_BY_UNIX = 3;
/** Longest link target Linux accepts (PATH_MAX less the NUL). */
export const MAX_LINK_TARGET_BYTES = 4095;

export async function planArchive(zip: Buffer, limits: CodeLimits): Promise<ArchivePlan> {
  const zipfile = await readZip(() =>
    fromBufferPromise(zip, { decodeStrings: false, validateEntrySizes: false }),
  );
  if (zipfile.entryCount === 0) throw new ArchiveError("ARCHIVE_EMPTY", LAMBDA_EMPTY_ZIP);
  if (zipfile.entryCount > limits.maxEntries) {
    throw new ArchiveError(
      "ARCHIVE_TOO_MANY_ENTRIES",
      `The zip holds ${zipfile.entryCount} entries; at most ${limits.maxEntries} are allowed`,
      { status: 413 },
    );
  }
  const entries: PlannedEntry[] = [];
  const kinds = new Map<string, EntryKind>();
  let declaredBytes = 0;
  const iterator = zipfile.eachEntry();
  for (;;) {
    const next = await readZip(() => iterator.next());
    if (next.done) break;
    const planned = planEntry(next.value);
    if (planned === undefined) continue;
    claimPath(kinds, planned);
    declaredBytes += planned.entry.uncompressedSize;
    if (declaredBytes > limits.maxUnzippedBytes)
      throw new ArtifactTooLargeError("unzipped", limits.maxUnzippedBytes);
    entries.push(planned);
  }
  return { zipfile, entries };
}

/** The entry checked and typed; undefined for the archive's root directory (`./`), which adds nothing. */
function planEntry(entry: Entry): PlannedEntry | undefined {
  const name = getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  const { path, isDirectory } = entryPath(name);
  const isUnix = entry.versionMadeBy >> 8 === MADE_BY_UNIX;
  const mode = isUnix ? entry.externalFileAttributes >>> 16 : 0;
  const type = mode & S_IFMT;
  // Elsewhere (MS-DOS, NTFS) the low byte holds DOS attributes, where 0x10 marks a directory.
  const isDosDirectory = !isUnix && (entry.externalFileAttributes & 0x10) !== 0;
  let kind: EntryKind;
  if (isDirectory || type === S_IFDIR || isDosDirectory) kind = "directory";
  else if (type === S_IFLNK) kind = "link";
  else if (type === S_IFREG || type === 0) kind = "file";
  else {
    throw new ArchiveError(
      "ARCHIVE_ENTRY_UNSUPPORTED",
      `Entry ${JSON.stringify(name)} in the zip is ${UNIX_TYPES.get(type) ?? `of Unix file type 0o${type.toString(8)}`}; ` +
        "only files, directories and symbolic links can be extracted",
      { entry: name },
    );
  }
  if (path === "") {
    if (kind === "directory") return undefined;
    throw new ArchiveError("ARCHIVE_ENTRY_UNSAFE", `Entry ${JSON.stringify(name)} in the zip names no file`, {
      entry: name,
    });
  }
  if (kind !== "directory" && !entry.canDecodeFileData()) {
    throw new ArchiveError(
      "ARCHIVE_INVALID",
      `Entry ${JSON.stringify(name)} in the zip is encrypted or uses compression method ${entry.compressionMethod}; ` +
        "only stored and deflated entries can be read",
      { entry: name },
    );
  }
  if (kind === "link" && (entry.uncompressedSize === 0 || entry.uncompressedSize > MAX_LINK_TARGET_BYTES)) {
    throw new ArchiveError(
      "ARCHIVE_INVALID",
      `Entry ${JSON.stringify(name)} in the zip is a symbolic link with a target of ${entry.uncompressedSize} bytes`,
      { entry: name },
    );
  }
  return { name, path, kind, executable: kind === "file" && (mode & 0o111) !== 0, entry };
}

/**
 * Records the entry's path and the directories it implies, refusing a second claim on a path unless both are
 * directories (some tools list a directory twice; that is harmless), and a path that is a file in one entry and a
 * directory in another.
 */
function claimPath(kinds: Map<string, EntryKind>, planned: PlannedEntry): void {
  const segments = planned.path.split("/");
  for (let i = 1; i < segments.length; i++) {
    const parent = segments.slice(0, i).join("/");
    const kind = kinds.get(parent);
    if (kind === undefined) kinds.set(parent, "directory");
    else if (kind !== "directory")
      throw duplicate(planned, `lies under ${JSON.stringify(parent)}, which is a ${kind}`);
  }
  const existing = kinds.get(planned.path);
  if (existing === undefined) kinds.set(planned.path, planned.kind);
  else if (existing !== "directory" || planned.kind !== "directory") {
    throw duplicate(planned, `names ${JSON.stringify(planned.path)}, which an earlier entry already holds`);
  }
}

function duplicate(planned: PlannedEntry, why: string): ArchiveError {
  return new ArchiveError(
    "ARCHIVE_ENTRY_DUPLICATE",
    `Entry ${JSON.stringify(planned.name)} in the zip ${why}: each path may appear once`,
    { entry: planned.name },
  );
}

/**
 * Runs a read of the zip's structure, turning the library's errors (bad signatures, truncated records) into
 * ARCHIVE_INVALID with Lambda's message and the detail.
 */
export async function readZip<T>(read: () => Promise<T>, entry?: string): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw asArchiveError(error, entry);
  }
}

/** Errors of our own and of the file system pass through; anything else is the zip's fault. */
export function asArchiveError(error: unknown, entry?: string): unknown {
  if (error instanceof ArchiveError || error instanceof ArtifactTooLargeError) return error;
  if (error instanceof Error && "syscall" in error) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const where = entry === undefined ? "" : ` (entry ${JSON.stringify(entry)})`;
  return new ArchiveError("ARCHIVE_INVALID", `${LAMBDA_UNZIP_FAILED} ${detail}${where}`, {
    entry,
    cause: error,
  });
}
