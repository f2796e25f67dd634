/**
 * Which files of a project stay out of its archive, with git's rules: `.gitignore` in any directory, patterns
 * relative to it, deeper files overriding shallower ones, and `.porticoignore` beside each, in the same syntax,
 * overriding `.gitignore`. Version control, build output and Portico's own state are always left out.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";

/** Skipped at any depth, whatever the ignore files say. */
export const ALWAYS_SKIPPED: ReadonlySet<string> = new Set([".git", ".portico", ".aws-sam"]);

const IGNORE_FILES = [".gitignore", ".porticoignore"] as const;

interface Layer {
  /** The directory the patterns belong to, relative to the project root ("" for the root). */
  readonly base: string;
  readonly matcher: Ignore;
}

export class IgnoreRules {
  readonly #layers: readonly Layer[];

  private constructor(layers: readonly Layer[]) {
    this.#layers = layers;
  }

  static readonly none = new IgnoreRules([]);

  /** These rules plus those of the ignore files in `dir` (absolute), at `rel` from the root. */
  async within(dir: string, rel: string): Promise<IgnoreRules> {
    const texts = await Promise.all(IGNORE_FILES.map((name) => readIfPresent(join(dir, name))));
    if (texts.every((text) => text === undefined)) return this;
    const matcher = ignore();
    for (const text of texts) if (text !== undefined) matcher.add(text);
    return new IgnoreRules([...this.#layers, { base: rel, matcher }]);
  }

  /** Whether `rel` (relative to the root, "/"-separated) is left out. Its parents are taken as not left out. */
  ignores(rel: string, isDirectory: boolean): boolean {
    const name = rel.slice(rel.lastIndexOf("/") + 1);
    if (ALWAYS_SKIPPED.has(name)) return true;
    for (let i = this.#layers.length - 1; i >= 0; i--) {
      const { base, matcher } = this.#layers[i] as Layer;
      const relative = base === "" ? rel : rel.slice(base.length + 1);
      const result = matcher.test(isDirectory ? `${relative}/` : relative);
      if (result.ignored) return true;
      if (result.unignored) return false;
    }
    return false;
  }
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR") return undefined;
    throw error;
  }
}
