/**
 * Resolving a path inside a directory tree the way the kernel would, following symbolic links, but refusing any
 * step above the tree's root: a link that leaves the tree is found however it is chained (`a -> .`, `b -> a/..`).
 */
import { lstat, readlink } from "node:fs/promises";
import { join } from "node:path";

/** Links followed in one resolution before giving up, as Linux's ELOOP (40). */
const MAX_LINK_HOPS = 40;

/**
 * The path, relative to `root` ("" for the root), that `relPath` (relative to `root`, "/"-separated) leads to;
 * undefined when it leaves the tree, goes through an absolute link, or loops. Missing components are taken as
 * they are written, so a dangling link resolves to where its target would be.
 */
export async function resolveInTree(root: string, relPath: string): Promise<string | undefined> {
  if (relPath.startsWith("/")) return undefined;
  const pending = relPath.split("/");
  const resolved: string[] = [];
  let hops = 0;
  let missing = false;
  while (pending.length > 0) {
    const segment = pending.shift() as string;
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (resolved.length === 0) return undefined;
      resolved.pop();
      missing = false; // what is left of the path may exist, and hold links
      continue;
    }
    if (!missing) {
      const stats = await lstatIfPresent(join(root, ...resolved, segment));
      if (stats === undefined) missing = true;
      else if (stats.isSymbolicLink()) {
        if (++hops > MAX_LINK_HOPS) return undefined;
        const target = await readlink(join(root, ...resolved, segment));
        if (target.startsWith("/")) return undefined;
        pending.unshift(...target.split("/"));
        continue;
      }
    }
    resolved.push(segment);
  }
  return resolved.join("/");
}

async function lstatIfPresent(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}
