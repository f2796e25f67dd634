/**
 * The directory a SAM function's code is served from: its `CodeUri` directory, its `CodeUri` zip extracted,
 * or its `InlineCode` written out as Lambda writes it (`index.js`, `index.py`).
 */
import type { RuntimeKind } from "../model/index.js";
import { extractedZipDirectory, inlineCodeDirectory, zipProblem } from "./generated-code.js";
import type { IssueLog } from "./issue-log.js";
import { isZipPath } from "./sam-schemas.js";

type Path = readonly PropertyKey[];

export interface CodeSource {
  /** Absolute: a directory, or a .zip file. */
  readonly CodeUri: string;
  readonly InlineCode?: string | undefined;
}

/** The code directory, or undefined once the reason is in `log`. */
export async function samCodeDirectory(
  source: CodeSource,
  runtime: RuntimeKind,
  rootDir: string,
  locate: (path: Path) => Path,
  log: IssueLog,
): Promise<string | undefined> {
  // SAM takes InlineCode over CodeUri (which Globals or the default may give).
  if (source.InlineCode !== undefined) return inlineCodeDirectory(rootDir, runtime, source.InlineCode);
  if (!isZipPath(source.CodeUri)) return source.CodeUri;
  try {
    return await extractedZipDirectory(rootDir, source.CodeUri);
  } catch (error) {
    return log.add(locate(["CodeUri"]), zipProblem(error));
  }
}
