/**
 * Where each directory of a project (function code, layers, service source) goes in an export: at the same
 * path relative to the project's root, so handlers and relative imports stay as they were; a directory outside
 * the root goes under `external/`. Each is copied once, even when several functions share it.
 */
import { basename, isAbsolute, join, relative, sep } from "node:path";
import { copySource } from "./copy-source.js";

/** Config files a copy of the project's root must not carry: they would shadow the export's own. */
const PROJECT_CONFIG_FILES = ["portico.yaml", "portico.yml", "template.yaml", "template.yml"];

export class CodeLayout {
  readonly #rootDir: string;
  readonly #outDir: string;
  /** Absolute source directory → its path in the export ("." for the root). */
  readonly #placed = new Map<string, string>();

  constructor(rootDir: string, outDir: string) {
    this.#rootDir = rootDir;
    this.#outDir = outDir;
  }

  /** The export-relative path (`python`, `.`, `external/lib`) that will hold `dir`. */
  place(dir: string): string {
    const known = this.#placed.get(dir);
    if (known !== undefined) return known;
    const rel = relative(this.#rootDir, dir);
    let path = rel === "" ? "." : rel.split(sep).join("/");
    const outer = [...this.#placed.keys()].find((other) => isInside(dir, other));
    // Inside a directory already placed (even one outside the root): it comes with that one's copy.
    if (outer !== undefined) path = this.#pathWithin(outer, dir);
    else if (rel.startsWith("..") || isAbsolute(rel)) {
      const taken = new Set(this.#placed.values());
      path = `external/${basename(dir)}`;
      for (let n = 2; taken.has(path); n++) path = `external/${basename(dir)}-${n}`;
    }
    this.#placed.set(dir, path);
    return path;
  }

  /** Where `dir` lands inside the copy of `outer`, a placed directory holding it. */
  #pathWithin(outer: string, dir: string): string {
    const below = relative(outer, dir).split(sep).join("/");
    const outerPath = this.#placed.get(outer) as string;
    return outerPath === "." ? below : `${outerPath}/${below}`;
  }

  /** Copies every placed directory, once: one inside another comes with its copy. Returns the files. */
  async copy(): Promise<string[]> {
    const files: string[] = [];
    const dirs = [...this.#placed.keys()];
    for (const dir of dirs) {
      const path = this.#placed.get(dir) as string;
      if (dirs.some((other) => isInside(dir, other) && path === this.#pathWithin(other, dir))) continue;
      const copied = await copySource(dir, join(this.#outDir, path), {
        skip: [this.#outDir],
        skipAtTop: path === "." ? PROJECT_CONFIG_FILES : [],
      });
      files.push(...copied.map((file) => (path === "." ? file : `${path}/${file}`)));
    }
    return files;
  }
}

function isInside(dir: string, parent: string): boolean {
  const rel = relative(parent, dir);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}
