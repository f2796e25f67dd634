/**
 * Extracting a zip into a directory, safely: nothing lands outside it, links stay inside it, and the real inflated
 * bytes are counted against the limit as they come (a zip bomb with lying headers is stopped there). The tree is
 * built in a temporary directory beside the target and renamed into place, so no one sees it half written.
 *
 * Symbolic links are kept when they resolve inside the tree (node_modules/.bin, lib64 -> lib) and refused
 * otherwise; they are made after every file, so no file is ever written through one.
 */
import { createWriteStream } from "node:fs";
import { chmod, mkdir, mkdtemp, rename, rm, stat, symlink } from "node:fs/promises";
import { basename, dirname, join, posix } from "node:path";
import { type Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32 } from "node:zlib";
import type { ZipFile } from "yauzl";
import {
  asArchiveError,
  MAX_LINK_TARGET_BYTES,
  type PlannedEntry,
  planArchive,
  readZip,
} from "./archive-entries.js";
import { ArchiveError, ArtifactTooLargeError } from "./archive-error.js";
import { type CodeLimits, codeLimits } from "./code-limits.js";
import { resolveInTree } from "./tree-path.js";

export interface ExtractOptions {
  /** Lambda's quotas unless overridden. */
  readonly limits?: Partial<CodeLimits>;
}

export interface ExtractSummary {
  readonly files: number;
  readonly directories: number;
  readonly links: number;
  /** Bytes written: files' content and links' targets. */
  readonly bytes: number;
}

const FILE_MODE = 0o644;
const EXECUTABLE_MODE = 0o755;
const DIRECTORY_MODE = 0o755;

/** Extracts `zip` into `target`, which must not exist yet (its parent must). */
export async function extractArchive(
  zip: Buffer,
  target: string,
  options: ExtractOptions = {},
): Promise<ExtractSummary> {
  const limits = codeLimits(options.limits);
  if (zip.length > limits.maxZipBytes) throw new ArtifactTooLargeError("zipped", limits.maxZipBytes);
  if (await exists(target)) throw targetExists(target);
  const plan = await planArchive(zip, limits);
  const temp = await mkdtemp(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    const summary = await writeTree(plan.zipfile, plan.entries, temp, limits);
    await chmod(temp, DIRECTORY_MODE);
    await rename(temp, target).catch((error: NodeJS.ErrnoException) => {
      throw error.code === "ENOTEMPTY" || error.code === "EEXIST" ? targetExists(target) : error;
    });
    return summary;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

async function writeTree(
  zipfile: ZipFile,
  entries: readonly PlannedEntry[],
  root: string,
  limits: CodeLimits,
): Promise<ExtractSummary> {
  const budget = { bytes: 0, max: limits.maxUnzippedBytes };
  const made = new Set<string>();
  const ensureDirectory = async (path: string) => {
    if (path === "." || made.has(path)) return;
    await mkdir(join(root, path), { recursive: true, mode: DIRECTORY_MODE });
    for (let dir = path; dir !== "." && !made.has(dir); dir = posix.dirname(dir)) made.add(dir);
  };
  const links: { planned: PlannedEntry; target: string }[] = [];
  let files = 0;
  for (const planned of entries) {
    if (planned.kind === "directory") {
      await ensureDirectory(planned.path);
      continue;
    }
    await ensureDirectory(posix.dirname(planned.path));
    const data = await readZip(() => zipfile.openReadStreamPromise(planned.entry), planned.name);
    if (planned.kind === "link") {
      links.push({ planned, target: await readLinkTarget(data, planned, budget) });
      continue;
    }
    const file = join(root, planned.path);
    await writeEntry(data, planned, budget, createWriteStream(file, { flags: "wx" }));
    await chmod(file, planned.executable ? EXECUTABLE_MODE : FILE_MODE);
    files++;
  }
  for (const { planned, target } of links) {
    await symlink(target, join(root, planned.path));
  }
  for (const { planned, target } of links) {
    // Joined as written: posix.join would fold `a/..` before `a` is known to be a link.
    const parent = posix.dirname(planned.path);
    const resolved = await resolveInTree(root, parent === "." ? target : `${parent}/${target}`);
    if (resolved === undefined) {
      throw new ArchiveError(
        "ARCHIVE_LINK_OUTSIDE",
        `Entry ${JSON.stringify(planned.name)} in the zip is a symbolic link to ${JSON.stringify(target)}, which ` +
          "leads outside the archive: links must point inside it; replace this one with the file it points to",
        { entry: planned.name },
      );
    }
  }
  return { files, directories: made.size, links: links.length, bytes: budget.bytes };
}

/** Bytes inflated so far, against the limit, shared by every entry of one extraction. */
interface Budget {
  bytes: number;
  readonly max: number;
}

/**
 * Streams one entry to `sink`, counting its real bytes against the budget (stopping as soon as they exceed it,
 * whatever the headers said) and checking its size and CRC-32 at the end. `maxBytes` stops one entry early.
 */
async function writeEntry(
  data: Readable,
  planned: PlannedEntry,
  budget: Budget,
  sink: Writable,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<void> {
  const { entry } = planned;
  let bytes = 0;
  let crc = 0;
  const meter = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      bytes += chunk.length;
      budget.bytes += chunk.length;
      if (budget.bytes > budget.max) throw new ArtifactTooLargeError("unzipped", budget.max);
      if (bytes > maxBytes) throw damaged(planned, `holds more than ${maxBytes} bytes`);
      crc = crc32(chunk, crc);
      yield chunk;
    }
  };
  try {
    await pipeline(data, meter, sink);
  } catch (error) {
    throw asArchiveError(error, planned.name);
  }
  if (bytes !== entry.uncompressedSize) {
    throw damaged(planned, `holds ${bytes} bytes where its header says ${entry.uncompressedSize}`);
  }
  if (crc !== entry.crc32) throw damaged(planned, "fails its CRC-32 check");
}

function damaged(planned: PlannedEntry, why: string): ArchiveError {
  return new ArchiveError(
    "ARCHIVE_INVALID",
    `Entry ${JSON.stringify(planned.name)} in the zip is damaged: it ${why}`,
    {
      entry: planned.name,
    },
  );
}

/** A link's target is its entry's content, at most PATH_MAX bytes. */
async function readLinkTarget(data: Readable, planned: PlannedEntry, budget: Budget): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeEntry(data, planned, budget, sink, MAX_LINK_TARGET_BYTES);
  const target = Buffer.concat(chunks).toString("utf8");
  if (target.includes("\0")) {
    throw new ArchiveError(
      "ARCHIVE_INVALID",
      `Entry ${JSON.stringify(planned.name)} in the zip is a symbolic link whose target holds a NUL character`,
      { entry: planned.name },
    );
  }
  return target;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

function targetExists(target: string): ArchiveError {
  return new ArchiveError("ARCHIVE_TARGET_EXISTS", `Cannot extract into ${target}: it already exists`, {
    isUserError: false,
  });
}
