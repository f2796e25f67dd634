/**
 * Packing a project directory into the zip `portico deploy` uploads. The same content always gives the same bytes
 * (sorted entries, fixed timestamps, modes reduced to 0644/0755), so the same project twice is the same artifact
 * and nothing is redeployed. Ignored files (project-ignore.ts) stay out; node_modules stays in unless ignored,
 * since functions need their dependencies.
 */
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { type Readable, Transform } from "node:stream";
import { ZipFile } from "yazl";
import { PorticoError } from "../../model/index.js";
import { isInside } from "../path-inside.js";
import { ArtifactTooLargeError } from "./archive-error.js";
import { type CodeLimits, codeLimits } from "./code-limits.js";
import { IgnoreRules } from "./project-ignore.js";
import { resolveInTree } from "./tree-path.js";

export interface PackProgress {
  /** Bytes of file content packed so far. */
  readonly bytes: number;
  /** Bytes of file content to pack in all. */
  readonly totalBytes: number;
}

export interface PackOptions {
  /** Called as file content is read, to draw a progress bar. */
  readonly onProgress?: (progress: PackProgress) => void;
  /** Lambda's quotas unless overridden: a project over them is refused before it is uploaded. */
  readonly limits?: Partial<CodeLimits>;
}

export interface PackedProject {
  readonly zip: Buffer;
  /** Regular files packed. */
  readonly files: number;
  /** Bytes of their content. */
  readonly bytes: number;
}

type PackEntry =
  | {
      readonly kind: "file";
      readonly rel: string;
      readonly path: string;
      readonly size: number;
      readonly executable: boolean;
    }
  | { readonly kind: "link"; readonly rel: string; readonly target: string }
  | { readonly kind: "directory"; readonly rel: string };

/** The earliest time a zip can hold (DOS time starts in 1980), in local time as DOS times are. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const COMMON = { mtime: FIXED_MTIME, forceDosTimestamp: true } as const;

export async function packProject(dir: string, options: PackOptions = {}): Promise<PackedProject> {
  const limits = codeLimits(options.limits);
  const root = await projectRoot(dir);
  const entries: PackEntry[] = [];
  await walk(root, "", await IgnoreRules.none.within(root, ""), entries);
  if (entries.length > limits.maxEntries) {
    throw new PorticoError(
      "PROJECT_TOO_MANY_FILES",
      `${dir} holds ${entries.length} files and directories to deploy; at most ${limits.maxEntries} are allowed ` +
        "(leave some out with .porticoignore)",
      { status: 413 },
    );
  }
  let totalBytes = 0;
  let files = 0;
  for (const entry of entries) {
    if (entry.kind !== "file") continue;
    totalBytes += entry.size;
    files++;
  }
  if (totalBytes > limits.maxUnzippedBytes)
    throw new ArtifactTooLargeError("unzipped", limits.maxUnzippedBytes);
  const zip = await writeZip(entries, totalBytes, options.onProgress);
  if (zip.length > limits.maxZipBytes) throw new ArtifactTooLargeError("zipped", limits.maxZipBytes);
  return { zip, files, bytes: totalBytes };
}

async function projectRoot(dir: string): Promise<string> {
  try {
    const root = await realpath(dir);
    if ((await lstat(root)).isDirectory()) return root;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  throw new PorticoError("PROJECT_NOT_FOUND", `${dir} is not a directory`);
}

/** Appends what `dir` (at `rel` from the root) holds, depth first, names sorted, to `entries`. */
async function walk(root: string, rel: string, rules: IgnoreRules, entries: PackEntry[]): Promise<void> {
  const dir = join(root, rel);
  const before = entries.length;
  for (const name of (await readdir(dir)).sort()) {
    const childRel = rel === "" ? name : `${rel}/${name}`;
    const path = join(dir, name);
    const stats = await lstat(path);
    if (rules.ignores(childRel, stats.isDirectory())) continue;
    if (stats.isDirectory()) {
      await walk(root, childRel, await rules.within(path, childRel), entries);
    } else if (stats.isFile()) {
      entries.push({
        kind: "file",
        rel: childRel,
        path,
        size: stats.size,
        executable: (stats.mode & 0o111) !== 0,
      });
    } else if (stats.isSymbolicLink()) {
      entries.push({ kind: "link", rel: childRel, target: await linkTarget(root, childRel, path) });
    }
    // Sockets, FIFOs and devices (a dev server's socket, say) are not code and cannot be zipped: left out.
  }
  // An empty directory is kept as one, since code may expect it to exist.
  if (entries.length === before && rel !== "") entries.push({ kind: "directory", rel });
}

/**
 * The link's target as it will be stored: relative, and leading inside the project (an absolute target inside
 * the project is made relative). Anything else is refused: the server could not resolve it.
 */
async function linkTarget(root: string, rel: string, path: string): Promise<string> {
  let target = await readlink(path);
  if (isAbsolute(target) && isInside(target, root)) {
    target = relative(dirname(path), target).split(sep).join("/") || ".";
  }
  const parent = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "";
  if (
    !isAbsolute(target) &&
    (await resolveInTree(root, parent === "" ? target : `${parent}/${target}`)) !== undefined
  ) {
    return target;
  }
  throw new PorticoError(
    "PROJECT_LINK_OUTSIDE",
    `${rel} is a symbolic link to ${target}, outside the project: a deployed project must hold what it uses; ` +
      "copy the target into the project, or leave the link out with .porticoignore",
  );
}

/** Zips the entries in their order, with fixed times and modes, counting file bytes for `onProgress`. */
function writeZip(
  entries: readonly PackEntry[],
  totalBytes: number,
  onProgress: PackOptions["onProgress"],
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zipfile = new ZipFile();
    const fail = (error: Error) => {
      (zipfile.outputStream as Readable).destroy();
      reject(error);
    };
    let bytes = 0;
    // yazl listens for no errors on a stream it is handed: a file that cannot be read is reported here.
    const counted = (path: string) => {
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          onProgress?.({ bytes, totalBytes });
          done(null, chunk);
        },
      });
      counter.on("error", fail);
      return createReadStream(path)
        .on("error", (error) => counter.destroy(error))
        .pipe(counter);
    };
    for (const entry of entries) {
      if (entry.kind === "file") {
        const mode = entry.executable ? 0o100755 : 0o100644;
        zipfile.addReadStreamLazy(entry.rel, { ...COMMON, mode }, (done) => done(null, counted(entry.path)));
      } else if (entry.kind === "link") {
        zipfile.addBuffer(Buffer.from(entry.target), entry.rel, {
          ...COMMON,
          mode: 0o120777,
          compress: false,
        });
      } else {
        zipfile.addEmptyDirectory(entry.rel, { ...COMMON, mode: 0o40755 });
      }
    }
    zipfile.end();
    const chunks: Buffer[] = [];
    zipfile.on("error", fail);
    zipfile.outputStream.on("error", fail);
    zipfile.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zipfile.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}
