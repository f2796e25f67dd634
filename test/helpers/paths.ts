/** Absolute paths tests need, independent of the working directory (tests run from dist/test/). */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
/** Test fixtures stay in the source tree (they are not compiled). */
export const fixturesDir = join(repoRoot, "test", "fixtures");
/** Captured AWS samples, with their provenance in its README. */
export const awsFixturesDir = join(fixturesDir, "aws");
export const cliPath = join(repoRoot, "dist", "src", "cli", "main.js");
