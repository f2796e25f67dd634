/**
 * Copies a project's source into an export, as `portico deploy` would pack it: `.gitignore` and `.porticoignore`
 * honoured, version control, Portico's own state and installed dependencies left out, and so is the export
 * itself when it lies inside.
 */
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { IgnoreRules } from "../control/artifacts/project-ignore.js";

/** Installed or compiled from what is copied: the target's build (`sam build`, buildpacks) makes them anew. */
const REBUILT = new Set(["node_modules", "__pycache__"]);

export interface CopyOptions {
  /** Absolute paths never copied (the output directory, when it is inside the source). */
  readonly skip?: readonly string[];
  /** Names left out of the top directory only (a portico.yaml that would shadow the export's own config). */
  readonly skipAtTop?: readonly string[];
}

/** Copies `from` into `to` (created); returns the files copied, relative to `to`, "/"-separated. */
export async function copySource(from: string, to: string, options: CopyOptions = {}): Promise<string[]> {
  const copied: string[] = [];
  const skip = new Set(options.skip ?? []);
  const walk = async (dir: string, rules: IgnoreRules): Promise<void> => {
    const rel = relative(from, dir).split(sep).join("/");
    const here = await rules.within(dir, rel);
    await mkdir(join(to, rel), { recursive: true });
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const entryRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (
        skip.has(path) ||
        REBUILT.has(entry.name) ||
        (rel === "" && options.skipAtTop?.includes(entry.name))
      )
        continue;
      if (here.ignores(entryRel, entry.isDirectory())) continue;
      if (entry.isDirectory()) await walk(path, here);
      else if (entry.isFile()) {
        await copyFile(path, join(to, entryRel));
        copied.push(entryRel);
      }
    }
  };
  await walk(from, IgnoreRules.none);
  return copied;
}
