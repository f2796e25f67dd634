/**
 * Code a config names without a directory of its own: a function's `InlineCode`, and a `.zip` given as a
 * function's `CodeUri` or a layer's `ContentUri`. Portico writes it under the project's `.portico/generated/`,
 * one directory per content digest: the same code is the same directory on every load (a reload that
 * changes nothing redeploys nothing), and a deployed project carries it inside its own directory.
 * `portico dev` removes the whole directory when it exits.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ArchiveError, LAMBDA_EMPTY_ZIP, LAMBDA_UNZIP_FAILED } from "../control/artifacts/archive-error.js";
import { extractArchive } from "../control/artifacts/archive-extract.js";
import type { RuntimeKind } from "../model/index.js";

/** `<project>/.portico/generated`: removed with `removeGeneratedCode` (the `.portico` directory is never packed). */
export function generatedCodeRoot(rootDir: string): string {
  return join(rootDir, ".portico", "generated");
}

/** Removes what this module wrote for the project, and `.portico` if that leaves it empty. */
export async function removeGeneratedCode(rootDir: string): Promise<void> {
  await rm(generatedCodeRoot(rootDir), { recursive: true, force: true });
  await rmdir(join(rootDir, ".portico")).catch(() => undefined);
}

/**
 * The file Lambda writes inline code to: `index.js` for Node.js (a CommonJS module, as CloudFormation
 * makes it), `index.py` for Python; the handler is then `index.FUNCTION`.
 */
export const INLINE_FILE_NAMES: Readonly<Partial<Record<RuntimeKind, string>>> = {
  nodejs: "index.js",
  python3: "index.py",
};

/** The directory holding `code` as the runtime's inline file. */
export async function inlineCodeDirectory(
  rootDir: string,
  runtime: RuntimeKind,
  code: string,
): Promise<string> {
  const fileName = INLINE_FILE_NAMES[runtime];
  if (fileName === undefined) throw new Error(`no inline code for the ${runtime} runtime`);
  const target = join(generatedCodeRoot(rootDir), `inline-${digest(`${fileName}\n${code}`)}`);
  if (await exists(target)) return target;
  await mkdir(generatedCodeRoot(rootDir), { recursive: true });
  const temp = await mkdtemp(`${target}.tmp-`);
  try {
    await writeFile(join(temp, fileName), code);
    // Lambda's task root has no package.json, so index.js is CommonJS there; a `"type": "module"` package
    // above the project must not make it an ES module here.
    if (runtime === "nodejs") await writeFile(join(temp, "package.json"), '{ "type": "commonjs" }\n');
    await rename(temp, target).catch(async (error: NodeJS.ErrnoException) => {
      // Another load wrote the same code first: theirs is as good.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return target;
}

/**
 * The directory `zipFile` is extracted into, safely (nothing outside it, within Lambda's size quotas).
 * A zip that cannot be read or extracted throws an ArchiveError, whose message says why.
 */
export async function extractedZipDirectory(rootDir: string, zipFile: string): Promise<string> {
  const bytes = await readFile(zipFile);
  const target = join(generatedCodeRoot(rootDir), `zip-${digest(bytes)}`);
  if (await exists(target)) return target;
  await mkdir(generatedCodeRoot(rootDir), { recursive: true });
  try {
    await extractArchive(bytes, target);
  } catch (error) {
    if (error instanceof ArchiveError && error.code === "ARCHIVE_TARGET_EXISTS" && (await exists(target)))
      return target;
    throw error;
  }
  return target;
}

/** Why a zip could not be extracted, without Lambda's words about an upload (this zip was not uploaded). */
export function zipProblem(error: unknown): string {
  const message = (error as Error).message;
  if (message.startsWith(LAMBDA_EMPTY_ZIP)) return "cannot be extracted: the zip is empty";
  return `cannot be extracted: ${message.replace(LAMBDA_UNZIP_FAILED, "").trim()}`;
}

function digest(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex").slice(0, 32);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
