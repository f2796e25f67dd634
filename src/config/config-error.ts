/** The error a project's configuration raises: every problem found, each naming the file, key and reason. */
import { basename } from "node:path";
import { PorticoError } from "../model/index.js";

export interface ConfigIssue {
  /** Dotted key path (`functions.getItem.timeout`, `Resources.Fn.Properties.Timeout`); "" for the whole file. */
  readonly key: string;
  readonly reason: string;
  /** A likely fix ("did you mean `memory`?"). */
  readonly hint?: string;
  /** 1-based position, known for YAML syntax errors. */
  readonly line?: number;
  readonly column?: number;
}

/** Something Portico accepted but could not honour exactly (an intrinsic it cannot resolve locally). */
export interface ConfigWarning {
  readonly file: string;
  readonly key: string;
  readonly reason: string;
}

export class ConfigError extends PorticoError {
  /** Absolute path of the file at fault (the project directory when no config file was found). */
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[]) {
    super("CONFIG_INVALID", formatIssues(file, issues));
    this.name = "ConfigError";
    this.file = file;
    this.issues = issues;
  }
}

/** One line per issue: `portico.yaml: functions.getItem.timeout: must be ...`. */
function formatIssue(file: string, issue: ConfigIssue): string {
  const name = basename(file);
  const where =
    issue.line === undefined
      ? name
      : `${name}:${issue.line}${issue.column === undefined ? "" : `:${issue.column}`}`;
  const hint = issue.hint === undefined ? "" : ` (${issue.hint})`;
  return issue.key === ""
    ? `${where}: ${issue.reason}${hint}`
    : `${where}: ${issue.key}: ${issue.reason}${hint}`;
}

/** One line for a warning, worded as issues are: `env.json: getItem.UNDECLARED: is not declared ...`. */
export function formatWarning(warning: ConfigWarning): string {
  return formatIssue(warning.file, { key: warning.key, reason: warning.reason });
}

function formatIssues(file: string, issues: readonly ConfigIssue[]): string {
  if (issues.length === 1) return formatIssue(file, issues[0] as ConfigIssue);
  const lines = issues.map((issue) => `  ${formatIssue(file, issue)}`);
  return [`${basename(file)} has ${issues.length} problems:`, ...lines].join("\n");
}

/** `["apis", "items", "routes", "GET /a"]` → `apis.items.routes["GET /a"]`; indices as `[0]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(segment)))
      out += out === "" ? String(segment) : `.${String(segment)}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}
