/** Reading a service's source directory: absent files are answers (undefined, false), not errors. */
import { readdir, readFile, stat } from "node:fs/promises";

/** The file's text, or undefined when there is no such file. */
export async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

export async function isFile(path: string): Promise<boolean> {
  return (await statIfPresent(path))?.isFile() ?? false;
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await statIfPresent(path))?.isDirectory() ?? false;
}

/** Names of the regular files directly in `dir` (not in its subdirectories). */
export async function fileNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

async function statIfPresent(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}
