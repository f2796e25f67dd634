/**
 * A stable digest of a directory's content (relative paths, file types, execute bits, file bytes, link targets),
 * so two deploys can tell whether a function's code changed. Timestamps, owners and other mode bits are left out:
 * they do not change what runs.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { PorticoError } from "../../model/index.js";
import { resolveInTree } from "./tree-path.js";

/**
 * The sha256 (hex) of the tree at `sub` (relative, "/"-separated; "" for `dir` itself) inside `dir`. `sub` may go
 * through links inside `dir`, never out of it.
 */
export async function digestTree(dir: string, sub = ""): Promise<string> {
  const resolved = sub.startsWith("/") ? undefined : await resolveInTree(dir, sub);
  const start = resolved === undefined ? undefined : join(dir, resolved);
  if (
    start === undefined ||
    !(await lstat(start).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw new PorticoError(
      "CODE_DIRECTORY_NOT_FOUND",
      `${JSON.stringify(sub)} is not a directory inside the code (${dir})`,
    );
  }
  const hash = createHash("sha256");
  await digestDirectory(hash, start, "");
  return hash.digest("hex");
}

/** Each record is NUL-separated fields ending in NUL, so no file name can forge another record. */
async function digestDirectory(hash: Hash, dir: string, prefix: string): Promise<void> {
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const path = join(dir, name);
    const rel = prefix === "" ? name : `${prefix}/${name}`;
    const stats = await lstat(path);
    if (stats.isDirectory()) {
      hash.update(`d\0${rel}\0`);
      await digestDirectory(hash, path, rel);
    } else if (stats.isSymbolicLink()) {
      hash.update(`l\0${rel}\0${await readlink(path)}\0`);
    } else if (stats.isFile()) {
      const mode = (stats.mode & 0o111) !== 0 ? "755" : "644";
      hash.update(`f\0${rel}\0${mode}\0${await fileDigest(path)}\0`);
    }
    // Sockets and FIFOs are not code: extraction never makes them, so they cannot tell two deploys apart.
  }
}

async function fileDigest(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
