/**
 * `portico deploy`: a project uploaded as a zip is stored by content, loaded from its extracted copy, and
 * deployed whole. Every function is started once before the change is committed, so a handler that cannot
 * load refuses the deploy and the version serving now stays.
 */
import { isAbsolute, relative } from "node:path";
import { formatWarning, loadConfig } from "../config/index.js";
import { type CodeRef, PorticoError, type Project } from "../model/index.js";
import { digestTree } from "./artifacts/index.js";
import { codeDirectories, deployProject, type ProjectDeployment } from "./commands/index.js";
import type { Platform } from "./platform.js";

export interface UploadedDeployment extends ProjectDeployment {
  readonly project: string;
  /** sha256 of the archive. */
  readonly artifact: string;
  /** What the config asked for that Portico accepted but cannot honour exactly. */
  readonly warnings: readonly string[];
}

/** Names a project can have: what `portico ls` shows and `portico rm` takes. */
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export async function deployUpload(
  platform: Platform,
  name: string,
  zip: Buffer,
): Promise<UploadedDeployment> {
  checkProjectName(name);
  const { sha256, hold } = await platform.artifacts.put(zip);
  try {
    const root = await platform.artifacts.directory(sha256);
    const { project, warnings } = await loadConfig(root);
    const codeRefs = await codeRefsOf(project, root, sha256);
    const deployed = await platform.run(
      deployProject({
        name,
        project,
        artifact: sha256,
        digest: sha256,
        codeRef: (dir) => codeRefs.get(dir) as CodeRef,
      }),
      { verifyFunctions: true },
    );
    return { ...deployed, project: name, artifact: sha256, warnings: warnings.map(formatWarning) };
  } finally {
    hold.release();
  }
}

export function checkProjectName(name: string): void {
  if (PROJECT_NAME.test(name)) return;
  throw new PorticoError(
    "PROJECT_NAME_INVALID",
    `"${name}" is not a valid project name: use up to 100 letters, digits, ".", "_" and "-", starting with a letter or digit (portico deploy takes it from the directory's name, or --name).`,
  );
}

/** Where each code directory is inside the archive, with the digest of its content. */
async function codeRefsOf(project: Project, root: string, artifact: string): Promise<Map<string, CodeRef>> {
  const refs = new Map<string, CodeRef>();
  for (const dir of codeDirectories(project)) {
    const path = relative(root, dir);
    if (path.startsWith("..") || isAbsolute(path)) {
      throw new PorticoError(
        "CODE_OUTSIDE_PROJECT",
        `${relative(root, project.configFile)} names code in ${path}, outside the project: a deployed project carries only its own directory. Move the code into it.`,
      );
    }
    refs.set(dir, { artifact, path, digest: await digestTree(root, path) });
  }
  return refs;
}
