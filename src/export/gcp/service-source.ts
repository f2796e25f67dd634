/**
 * A service's source in the export (`OUT/NAME/`), started the way Portico starts it: Cloud Run builds a
 * Dockerfile when there is one, else Google's buildpacks, which honour a Procfile `web:` line first
 * (cloudrun.md §3.4). Portico's own choice (an explicit `command`, a Procfile, package.json `start`, the
 * Dockerfile's CMD, `python3 app.py`...) is made to win over the build's: as a Procfile for buildpacks, as the
 * container's command over a Dockerfile's.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServiceSpec } from "../../model/index.js";
import { resolveStartCommand, type StartCommand } from "../../services/index.js";
import { copySource } from "../copy-source.js";
import type { ExportWarning } from "../export-result.js";
import { shellWord } from "../shell-word.js";

export interface ServiceSource {
  /** A command line for the manifest to run instead of the image's entrypoint; undefined: the image's own. */
  readonly command: string | undefined;
  readonly warnings: readonly ExportWarning[];
}

/** Copies the service's source into `OUT/NAME/` (nothing for an image) and says how the image must start. */
export async function exportServiceSource(service: ServiceSpec, outDir: string): Promise<ServiceSource> {
  if (service.image !== null) return { command: service.command ?? undefined, warnings: [] };
  const dir = join(outDir, service.name);
  await copySource(service.sourceDir, dir, { skip: [outDir] });
  // The Functions Framework buildpack starts a function (deploy.sh builds with GOOGLE_FUNCTION_TARGET).
  if (service.functionTarget !== null && service.command === null)
    return { command: undefined, warnings: [] };
  let start: StartCommand;
  try {
    start = await resolveStartCommand(service.sourceDir, service.command ?? undefined);
  } catch (error) {
    const reason = `has no start command Portico can find (${error instanceof Error ? error.message : String(error)}); Cloud Run's buildpacks will look for their own`;
    return { command: undefined, warnings: [{ subject: `service ${service.name}`, reason }] };
  }
  const hasDockerfile = existsSync(join(dir, "Dockerfile"));
  if (start.origin === "Dockerfile") return { command: undefined, warnings: [] };
  const line = start.shell ?? (start.argv ?? []).map(shellWord).join(" ");
  if (hasDockerfile) return { command: line, warnings: [] };
  if (start.origin !== "Procfile") await writeFile(join(dir, "Procfile"), `web: ${line}\n`);
  return { command: undefined, warnings: [] };
}
