/** Collects the issues and warnings found while reading a file, so all of them are reported together. */
import { ConfigError, type ConfigWarning, formatKeyPath } from "./config-error.js";
import { inFileOrder, type PathIssue, toConfigIssue } from "./schema-check.js";

type Path = readonly PropertyKey[];

export class IssueLog {
  readonly #file: string;
  readonly #raw: unknown;
  // Keyed by key and reason: a shared `Globals` entry would otherwise repeat once per resource using it.
  readonly #issues = new Map<string, PathIssue>();
  readonly #warnings = new Map<string, ConfigWarning>();

  /** `raw` is the file as parsed, whose key order puts issues in file order. */
  constructor(file: string, raw: unknown) {
    this.#file = file;
    this.#raw = raw;
  }

  add(path: Path, reason: string, hint?: string): undefined {
    const issue = hint === undefined ? { path, reason } : { path, reason, hint };
    this.#issues.set(`${formatKeyPath(path)}\n${reason}`, issue);
    return undefined;
  }

  /** Adds schema issues, placing each path (relative to what was checked) with `locate`. */
  addAll(issues: readonly PathIssue[], locate: (path: Path) => Path): undefined {
    for (const issue of issues) this.add(locate(issue.path), issue.reason, issue.hint);
    return undefined;
  }

  warn(path: Path, reason: string): void {
    const key = formatKeyPath(path);
    this.#warnings.set(`${key}\n${reason}`, { file: this.#file, key, reason });
  }

  get warnings(): readonly ConfigWarning[] {
    return [...this.#warnings.values()];
  }

  throwIfAny(): void {
    if (this.#issues.size === 0) return;
    const issues = inFileOrder([...this.#issues.values()], this.#raw);
    throw new ConfigError(
      this.#file,
      issues.map((issue) => toConfigIssue(issue)),
    );
  }
}
