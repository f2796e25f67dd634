/**
 * `portico export aws|gcp [DIR] --out OUT`: the project as files a cloud deploys, written into a new or empty
 * directory (never over anything), with a warning for each thing the cloud has no equivalent for.
 */
import { readdir } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { formatWarning, loadConfig } from "../config/index.js";
import type { ExportResult } from "../export/export-result.js";
import { PorticoError, type Project } from "../model/index.js";
import { environmentOptions } from "./environment-options.js";
import { exitWithError } from "./output.js";

export interface ExportCommandOptions {
  readonly out: string;
  readonly envFile?: string;
}

export type Cloud = "aws" | "gcp";

const NEXT_STEPS: Record<Cloud, (out: string) => string> = {
  aws: (out) => `cd ${out} && sam build && sam deploy --guided`,
  gcp: (out) => `REGION=us-central1 PROJECT=my-project ${out}/deploy.sh   (after gcloud auth login)`,
};

export async function runExport(cloud: Cloud, dir: string, options: ExportCommandOptions): Promise<void> {
  try {
    const out = resolve(options.out);
    await requireEmpty(out);
    const { project, warnings } = await loadConfig(dir, environmentOptions(options));
    for (const warning of warnings) process.stderr.write(`warning: ${formatWarning(warning)}\n`);
    if (out === project.rootDir) {
      throw new PorticoError(
        "EXPORT_OUT_IS_PROJECT",
        `--out ${options.out} is the project itself: give a new directory`,
      );
    }
    const result = await exportTo(cloud, project, out);
    for (const warning of result.warnings)
      process.stderr.write(`warning: ${warning.subject}: ${warning.reason}\n`);
    const shown = relative(process.cwd(), out) || ".";
    process.stdout.write(
      `wrote ${result.files.length} files to ${shown}\nnext: ${NEXT_STEPS[cloud](shown)}\n`,
    );
  } catch (error) {
    exitWithError(error);
  }
}

async function exportTo(cloud: Cloud, project: Project, out: string): Promise<ExportResult> {
  if (cloud === "aws") return (await import("../export/aws/sam-export.js")).exportAws(project, out);
  return (await import("../export/gcp/gcp-export.js")).exportGcp(project, out);
}

/** OUT must not exist yet, or be empty: an export never mixes its files with others. */
async function requireEmpty(out: string): Promise<void> {
  const entries = await readdir(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    if (error.code === "ENOTDIR") {
      throw new PorticoError("EXPORT_OUT_NOT_EMPTY", `--out ${out} is a file: give a new or empty directory`);
    }
    throw error;
  });
  if (entries.length > 0) {
    throw new PorticoError(
      "EXPORT_OUT_NOT_EMPTY",
      `--out ${out} already holds files: give a new or empty directory (an export never overwrites)`,
    );
  }
}
