/**
 * Portico itself, as an API's Cloud Run image installs it: this installation's built code, its package.json
 * and its lockfile (so `npm ci` installs the very versions it runs with). Portico is not on npm.
 */
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Portico's package directory: this file is dist/src/export/gcp/portico-runtime.js in it. */
const PACKAGE_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** Where, in an API's directory, the runtime goes (the Dockerfile copies it from there). */
export const RUNTIME_DIR = "portico-runtime";

/** Writes the runtime into `dir`; resolves with whether it has a lockfile (`npm ci`) or not (`npm install`). */
export async function copyPorticoRuntime(dir: string): Promise<{ readonly locked: boolean }> {
  await mkdir(dir, { recursive: true });
  const manifest = JSON.parse(await readFile(join(PACKAGE_ROOT, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  // `prepare` builds from TypeScript, which the runtime does not carry: the code is built already.
  delete manifest.scripts;
  await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const lockfile = join(PACKAGE_ROOT, "package-lock.json");
  const locked = existsSync(lockfile);
  if (locked) await cp(lockfile, join(dir, "package-lock.json"));
  await cp(join(PACKAGE_ROOT, "dist", "src"), join(dir, "dist", "src"), {
    recursive: true,
    // Source maps only help whoever debugs Portico itself; they double the size.
    filter: (path) => !path.endsWith(".map"),
  });
  return { locked };
}
