/**
 * A function's code as text files, for the console's editor, as the Lambda console's inline editor shows a package:
 * only while the package is small enough to edit (3 MB, Lambda's limit), and only its text files. An edit names
 * files the listing gave; nothing else can be written.
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { utf8Text } from "../http/index.js";
import { PorticoError } from "../model/index.js";

/** Lambda's console edits a package inline only up to 3 MB. */
const MAX_EDITABLE_BYTES = 3 * 1024 * 1024;
/** What an editor has no business showing: dependencies, caches, version control. */
const SKIPPED = new Set(["node_modules", ".git", "__pycache__", ".portico", ".aws-sam", ".venv"]);

export interface CodeFile {
  /** Relative to the code's directory, with `/`. */
  readonly path: string;
  readonly text: string;
}

export interface FunctionCode {
  readonly files: readonly CodeFile[];
  /** False when the package is too large to edit here (`reason` says so): `files` is then empty. */
  readonly editable: boolean;
  readonly reason?: string;
}

/** The text files under `dir` (not following links), or none, with the reason, past the size limit. */
export async function readFunctionCode(dir: string): Promise<FunctionCode> {
  const files: CodeFile[] = [];
  let bytes = 0;
  for (const path of await regularFiles(dir)) {
    bytes += (await stat(path)).size;
    if (bytes > MAX_EDITABLE_BYTES) {
      return {
        files: [],
        editable: false,
        reason:
          "The deployment package is larger than 3 MB: edit its code where it is built, then deploy it (as Lambda's console does, Portico edits only smaller packages).",
      };
    }
    const content = await readFile(path);
    // A NUL is valid UTF-8, but no text file an editor should open holds one.
    const text = content.includes(0) ? undefined : utf8Text(content);
    if (text !== undefined) files.push({ path: relative(dir, path).split(sep).join("/"), text });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, editable: true };
}

/** Writes `changes` (path → text) into `dir`; each path must be one of its files `readFunctionCode` lists. */
export async function writeFunctionCode(
  dir: string,
  changes: Readonly<Record<string, string>>,
): Promise<void> {
  const code = await readFunctionCode(dir);
  if (!code.editable) throw new PorticoError("CODE_NOT_EDITABLE", code.reason as string, { status: 409 });
  const known = new Set(code.files.map((file) => file.path));
  const unknown = Object.keys(changes).filter((path) => !known.has(path));
  if (unknown.length > 0) {
    throw new PorticoError(
      "CODE_FILE_UNKNOWN",
      `${unknown.map((path) => JSON.stringify(path)).join(", ")} ${unknown.length === 1 ? "is not one" : "are not"} of the function's text files: change only files that GET .../code lists.`,
    );
  }
  for (const [path, text] of Object.entries(changes)) await writeFile(join(dir, ...path.split("/")), text);
}

async function regularFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await regularFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}
