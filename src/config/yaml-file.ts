/** Reads one YAML config file into plain data; syntax errors become a ConfigError naming line and column. */
import { readFile } from "node:fs/promises";
import { type CollectionTag, parseDocument, type ScalarTag, type YAMLError } from "yaml";
import { ConfigError, type ConfigIssue } from "./config-error.js";

export async function readYamlFile(
  file: string,
  customTags: readonly (ScalarTag | CollectionTag)[] = [],
): Promise<unknown> {
  return parseYaml(file, await readConfigText(file), customTags);
}

/** The text of a file the configuration is read from; a missing or unreadable one is a ConfigError. */
export async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [{ key: "", reason: `cannot be read: ${(error as Error).message}` }]);
  }
}

export function parseYaml(
  file: string,
  text: string,
  customTags: readonly (ScalarTag | CollectionTag)[] = [],
): unknown {
  // `merge` lets users share settings with anchors and `<<:` as CloudFormation and compose files do.
  const doc = parseDocument(text, { customTags: [...customTags], merge: true, prettyErrors: true });
  // Warnings (an unknown `!Tag`) would silently change meaning, so they count as errors too.
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) throw new ConfigError(file, problems.map(toIssue));
  return doc.toJS({ maxAliasCount: 1000 });
}

function toIssue(problem: YAMLError): ConfigIssue {
  // `prettyErrors` appends " at line L, column C:" and a code frame; the position goes in its own fields.
  const what = problem.name === "YAMLWarning" ? "YAML" : "YAML syntax error";
  const reason = `${what}: ${problem.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}`;
  const start = problem.linePos?.[0];
  return start === undefined ? { key: "", reason } : { key: "", reason, line: start.line, column: start.col };
}
