/**
 * `portico deploy [DIR]`: packs the project (honouring .gitignore and .porticoignore), uploads it to a running
 * server's admin API, and prints what changed and where each API and service is served.
 */
import { basename, resolve } from "node:path";
import { packProject } from "../control/artifacts/index.js";
import type { UploadedDeployment } from "../control/index.js";
import { type AdminClientOptions, adminUpload } from "./admin-client.js";
import { megabytes, progressBar } from "./progress-bar.js";
import { deployedMessage } from "./service-output.js";

export interface DeployCommandOptions extends AdminClientOptions {
  /** The project's name on the server (default: the directory's name). */
  readonly name?: string;
  readonly json?: boolean;
}

/** What `PUT /v1/projects/NAME` answers. */
interface DeployAnswer extends UploadedDeployment {
  readonly apis: readonly {
    readonly name: string;
    readonly stages: readonly { stage: string; url: string }[];
  }[];
  readonly services: readonly { readonly name: string; readonly url: string }[];
}

export async function runDeploy(dir: string, options: DeployCommandOptions): Promise<void> {
  const root = resolve(dir);
  const name = options.name ?? basename(root);
  const packing = progressBar("Packing  ");
  const packed = await packProject(root, {
    onProgress: ({ bytes, totalBytes }) => packing.update(bytes, totalBytes),
  });
  packing.done();
  const uploading = progressBar("Uploading");
  const answer = await adminUpload<DeployAnswer>(
    options,
    "PUT",
    `/v1/projects/${encodeURIComponent(name)}`,
    packed.zip,
    (sent) => uploading.update(sent, packed.zip.length),
  );
  uploading.done();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    return;
  }
  process.stdout.write(deployText(answer, packed.files, packed.zip.length));
}

function deployText(answer: DeployAnswer, files: number, bytes: number): string {
  let text = "";
  for (const warning of answer.warnings) text += `warning: ${warning}\n`;
  const artifact = `sha256:${answer.artifact.slice(0, 12)}`;
  if (answer.unchanged) {
    text += `Project ${answer.project} is unchanged: this content (${artifact}) is what it serves already.\n`;
  } else {
    const changed = answer.functions.filter((fn) => fn.changed);
    text += `Deployed project ${answer.project} (${files} files, ${megabytes(bytes)}, ${artifact}).\n`;
    if (answer.functions.length > 0) {
      text += `Functions: ${changed.length} updated${changed.length > 0 ? ` (${changed.map((fn) => `${fn.name} v${fn.version}`).join(", ")})` : ""}, ${answer.functions.length - changed.length} unchanged.\n`;
    }
    if (answer.removed.length > 0) text += `Removed: ${answer.removed.join(", ")}.\n`;
  }
  for (const api of answer.apis) {
    for (const { stage, url } of api.stages) text += `API ${api.name} (stage ${stage}): ${url}\n`;
  }
  for (const { service, revision, percent } of answer.revisions) {
    text += `${deployedMessage(service, revision, percent)}\n`;
  }
  for (const service of answer.services) text += `Service [${service.name}] Service URL: ${service.url}\n`;
  return text;
}
