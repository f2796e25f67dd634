/** The path a zip entry names, checked so that no name can reach outside the directory it is extracted into. */
import { ArchiveError } from "./archive-error.js";

export interface EntryPath {
  /** Segments joined by "/": none empty, ".", or ".."; "" for the root itself (an entry named `./`). */
  readonly path: string;
  /** The name ends with "/": the entry is a directory whatever its mode says. */
  readonly isDirectory: boolean;
}

/**
 * Checks and normalises an entry name. Backslashes count as separators (zips written by some Windows tools use
 * them), so `..\evil` is caught as the `..` it means; `.` and empty segments are dropped (`./a//b` is `a/b`).
 */
export function entryPath(name: string): EntryPath {
  const unsafe = (why: string) =>
    new ArchiveError(
      "ARCHIVE_ENTRY_UNSAFE",
      `Entry ${JSON.stringify(name)} in the zip ${why}: entry names must be relative paths inside the archive; ` +
        "build the zip from inside the code's directory",
      { entry: name },
    );
  if (name.includes("\0")) throw unsafe("contains a NUL character");
  const slashed = name.replaceAll("\\", "/");
  if (slashed.startsWith("/")) throw unsafe("is an absolute path");
  if (/^[A-Za-z]:/.test(slashed)) throw unsafe("starts with a drive letter");
  const segments: string[] = [];
  for (const segment of slashed.split("/")) {
    if (segment === "..") throw unsafe('climbs out of its directory with ".."');
    if (segment !== "" && segment !== ".") segments.push(segment);
  }
  return { path: segments.join("/"), isDirectory: slashed.endsWith("/") };
}
