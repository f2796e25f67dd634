/**
 * The part of Docker's shell lexer that ENV, ARG, WORKDIR, COPY and FROM need: words split on
 * unquoted whitespace, quotes and escapes removed, `$VAR` and `${VAR}` (with `:-`, `-`, `:+`, `+`,
 * `:?`, `?`) expanded. CMD and ENTRYPOINT are not expanded: Docker leaves that to the shell at run time.
 */

/** The value of a variable, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

/** A word Docker's lexer would refuse; the Dockerfile reader adds the file and line. */
export class WordSyntaxError extends Error {}

/** A run of text; `splits` is false inside quotes and for escaped characters (whitespace there is kept). */
interface Piece {
  readonly text: string;
  readonly splits: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Splits on unquoted whitespace, keeping quotes and escapes in each word (Docker's parser-stage split). */
export function splitRawWords(text: string, escapeChar: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote === null && /\s/.test(ch)) {
      if (word !== "") words.push(word);
      word = "";
      continue;
    }
    word += ch;
    if (ch === escapeChar && quote !== "'" && i + 1 < text.length) {
      word += text[++i];
    } else if (quote === null && (ch === '"' || ch === "'")) {
      quote = ch;
    } else if (ch === quote) {
      quote = null;
    }
  }
  if (word !== "") words.push(word);
  return words;
}

/** One word with quotes removed and variables expanded; whitespace is kept (Docker's `ProcessWord`). */
export function expandWord(text: string, lookup: Lookup, escapeChar: string): string {
  return new Lexer(text, lookup, escapeChar)
    .read(null)
    .map((piece) => piece.text)
    .join("");
}

/** Words split on unquoted whitespace (including inside unquoted expansions), each expanded (`ProcessWords`). */
export function expandWords(text: string, lookup: Lookup, escapeChar: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (const piece of new Lexer(text, lookup, escapeChar).read(null)) {
    if (!piece.splits) {
      word += piece.text;
      inWord ||= piece.text !== "";
      continue;
    }
    for (const ch of piece.text) {
      if (!/\s/.test(ch)) {
        word += ch;
        inWord = true;
      } else if (inWord) {
        words.push(word);
        word = "";
        inWord = false;
      }
    }
  }
  if (inWord) words.push(word);
  return words;
}

class Lexer {
  readonly #text: string;
  readonly #lookup: Lookup;
  readonly #escape: string;
  #pos = 0;

  constructor(text: string, lookup: Lookup, escapeChar: string) {
    this.#text = text;
    this.#lookup = lookup;
    this.#escape = escapeChar;
  }

  /** Pieces up to `stop` (consumed) or the end of the text. */
  read(stop: string | null): Piece[] {
    const pieces: Piece[] = [];
    while (this.#pos < this.#text.length) {
      const ch = this.#text[this.#pos++] as string;
      if (ch === stop) return pieces;
      if (ch === "'") pieces.push({ text: this.#singleQuoted(), splits: false });
      else if (ch === '"') pieces.push({ text: this.#doubleQuoted(), splits: false });
      else if (ch === this.#escape) {
        // An escape at the very end is dropped, as Docker does.
        if (this.#pos < this.#text.length)
          pieces.push({ text: this.#text[this.#pos++] as string, splits: false });
      } else if (ch === "$") pieces.push({ text: this.#dollar(), splits: true });
      else pieces.push({ text: ch, splits: true });
    }
    if (stop !== null) throw new WordSyntaxError(`missing '${stop}' in ${this.#text}`);
    return pieces;
  }

  #singleQuoted(): string {
    const end = this.#text.indexOf("'", this.#pos);
    if (end < 0)
      throw new WordSyntaxError(`unexpected end of statement while looking for matching single-quote`);
    const text = this.#text.slice(this.#pos, end);
    this.#pos = end + 1;
    return text;
  }

  #doubleQuoted(): string {
    let text = "";
    while (this.#pos < this.#text.length) {
      const ch = this.#text[this.#pos++] as string;
      if (ch === '"') return text;
      if (ch === "$") {
        text += this.#dollar();
      } else if (ch === this.#escape) {
        // Inside double quotes only `"`, `$` and the escape itself can be escaped; other escapes stay.
        const next = this.#text[this.#pos];
        if (next === '"' || next === "$" || next === this.#escape) {
          text += next;
          this.#pos++;
        } else {
          text += ch;
        }
      } else {
        text += ch;
      }
    }
    throw new WordSyntaxError(`unexpected end of statement while looking for matching double-quote`);
  }

  /** After a `$`: the expanded variable, or a literal `$` when no name follows. */
  #dollar(): string {
    const next = this.#text[this.#pos];
    if (next === "{") {
      this.#pos++;
      return this.#braced();
    }
    if (next === undefined || !NAME_START.test(next)) return "$";
    return this.#lookup(this.#name()) ?? "";
  }

  #name(): string {
    const start = this.#pos;
    while (this.#pos < this.#text.length && NAME_CHAR.test(this.#text[this.#pos] as string)) this.#pos++;
    return this.#text.slice(start, this.#pos);
  }

  /** `${NAME}` or `${NAME<modifier>WORD}`; the opening brace is already consumed. */
  #braced(): string {
    const name = this.#name();
    if (name === "") throw new WordSyntaxError(`bad substitution in ${this.#text}`);
    const value = this.#lookup(name);
    if (this.#text[this.#pos] === "}") {
      this.#pos++;
      return value ?? "";
    }
    const colon = this.#text[this.#pos] === ":";
    if (colon) this.#pos++;
    const modifier = this.#text[this.#pos++];
    if (modifier !== "-" && modifier !== "+" && modifier !== "?") {
      throw new WordSyntaxError(
        `unsupported substitution in ${this.#text} (Portico reads \${VAR}, :-, -, :+, +, :?, ?)`,
      );
    }
    const word = this.read("}")
      .map((piece) => piece.text)
      .join("");
    // With a colon, an empty value counts as unset (POSIX).
    const isSet = value !== undefined && (!colon || value !== "");
    if (modifier === "-") return isSet ? (value as string) : word;
    if (modifier === "+") return isSet ? word : "";
    if (!isSet) throw new WordSyntaxError(`${name}: ${word || "is not set"}`);
    return value as string;
  }
}
