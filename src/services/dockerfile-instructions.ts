/**
 * A Dockerfile as a list of instructions, read with Docker's rules: parser directives (`# escape=`),
 * comments, line continuations (comment and blank lines inside them dropped), case-insensitive
 * keywords, and heredoc bodies (`RUN <<EOF`) that are not instructions.
 */
import { PorticoError } from "../model/index.js";
import { splitRawWords } from "./dockerfile-words.js";

export interface Instruction {
  /** Upper-cased: `CMD`. */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined, trimmed. */
  readonly args: string;
  /** 1-based line the instruction starts on. */
  readonly line: number;
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN_DIRECTIVES = new Set(["syntax", "escape", "check"]);
const COMMENT = /^\s*#/;
const HEREDOC = /^<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/;
const HEREDOC_KEYWORDS = new Set(["RUN", "COPY", "ADD"]);

/** The instructions of a Dockerfile, with the escape character its `# escape=` directive chose. */
export function readInstructions(
  text: string,
  file: string,
): { escapeChar: string; instructions: Instruction[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let escapeChar = "\\";
  let index = 0;
  // Parser directives come first; any other line (even an unknown directive) ends them.
  const seen = new Set<string>();
  for (; index < lines.length; index++) {
    const match = DIRECTIVE.exec(lines[index] as string);
    const name = match?.[1]?.toLowerCase();
    if (!match || name === undefined || !KNOWN_DIRECTIVES.has(name) || seen.has(name)) break;
    seen.add(name);
    if (name !== "escape") continue;
    const value = match[2] as string;
    if (value !== "\\" && value !== "`")
      throw dockerfileError(file, index + 1, `invalid escape character '${value}'`);
    escapeChar = value;
  }
  const continuation = new RegExp(`${escapeChar === "\\" ? "\\\\" : escapeChar}[ \\t]*$`);
  const isSkipped = (line: string) => COMMENT.test(line) || line.trim() === "";
  const instructions: Instruction[] = [];
  while (index < lines.length) {
    const first = lines[index++] as string;
    const line = index;
    if (isSkipped(first)) continue;
    let joined = first.trimStart();
    let continues = continuation.test(joined);
    joined = joined.replace(continuation, "");
    // Comment and blank lines inside a continued instruction are dropped, as Docker does.
    while (continues && index < lines.length) {
      const next = lines[index++] as string;
      if (isSkipped(next)) continue;
      continues = continuation.test(next);
      joined += next.replace(continuation, "");
    }
    const match = /^(\S+)\s*([\s\S]*)$/.exec(joined.trim());
    // A lone continuation character with nothing after it.
    if (!match) continue;
    const keyword = (match[1] as string).toUpperCase();
    const args = (match[2] as string).trim();
    instructions.push({ keyword, args, line });
    if (HEREDOC_KEYWORDS.has(keyword)) index = skipHeredocs(lines, index, args, escapeChar);
  }
  return { escapeChar, instructions };
}

/** Skips the bodies of `<<EOF` heredocs started by this instruction, so they are not read as instructions. */
function skipHeredocs(lines: readonly string[], index: number, args: string, escapeChar: string): number {
  let next = index;
  for (const word of splitRawWords(args, escapeChar)) {
    const match = HEREDOC.exec(word);
    if (!match) continue;
    const stripTabs = match[1] === "-";
    const terminator = match[3] as string;
    while (next < lines.length) {
      const line = lines[next++] as string;
      if ((stripTabs ? line.replace(/^\t+/, "") : line) === terminator) break;
    }
  }
  return next;
}

/** A Dockerfile Portico cannot read, located by file and line, with the way around it. */
export function dockerfileError(file: string, line: number, reason: string): PorticoError {
  return new PorticoError(
    "SERVICE_DOCKERFILE_INVALID",
    `${file}:${line}: ${reason}. Fix the Dockerfile, or set \`command:\` for the service in portico.yaml.`,
  );
}
