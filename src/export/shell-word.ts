/** Quoting for the shell lines an export writes. */

/** `word` as `/bin/sh` reads it back as one word. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
