/** Whether a path lies in a directory (or is the directory itself). */
import { isAbsolute, relative } from "node:path";

export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return !rel.startsWith("..") && !isAbsolute(rel);
}
