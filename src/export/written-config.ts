/**
 * The project's portico.yaml as written: variable values with their `${env:NAME}` references unresolved, which
 * an export keeps as references (template parameters, a Cloud Run service's environment).
 */
import { basename } from "node:path";
import { readYamlFile } from "../config/yaml-file.js";
import type { Project } from "../model/index.js";

type Json = Record<string, unknown>;

/** The parsed file (aliases and merge keys resolved), or undefined when the project is a SAM template. */
export async function readWrittenConfig(project: Project): Promise<Json | undefined> {
  if (!basename(project.configFile).startsWith("portico.")) return undefined;
  const data = await readYamlFile(project.configFile);
  return data !== null && typeof data === "object" ? (data as Json) : {};
}
