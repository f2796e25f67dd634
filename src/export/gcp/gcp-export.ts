/**
 * `portico export gcp`: a project as Cloud Run services. Each Portico service becomes one (its manifest
 * `NAME.service.yaml` and its source `NAME/`); each API becomes one more, running Portico itself on $PORT with
 * the API's functions; `deploy.sh` deploys them all. What Cloud Run cannot do as Portico does is warned of.
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { stringify } from "yaml";
import type { Project } from "../../model/index.js";
import type { ExportResult, ExportWarning } from "../export-result.js";
import { readWrittenConfig } from "../written-config.js";
import { writeApiBundle } from "./api-bundle.js";
import { environmentReferences } from "./api-config.js";
import { type ApiService, apiServiceManifest, apiServiceWarnings, planApiServices } from "./api-services.js";
import type { CloudRunManifest } from "./cloud-run-manifest.js";
import { type Deployment, deployScript } from "./deploy-script.js";
import { listFiles } from "./file-list.js";
import { serviceManifest } from "./service-manifest.js";
import { exportServiceSource } from "./service-source.js";

type Json = Record<string, unknown>;

/** Writes the export into `outDir` (created if needed; files of the same names are replaced). */
export async function exportGcp(project: Project, outDir: string): Promise<ExportResult> {
  const out = resolve(outDir);
  await mkdir(out, { recursive: true });
  const raw = await readWrittenConfig(project);
  const warnings: ExportWarning[] = [];
  const deployments: Deployment[] = [];
  for (const service of project.services.values()) {
    const source = await exportServiceSource(service, out);
    const exported = serviceManifest(service, source.command);
    warnings.push(...source.warnings, ...exported.warnings);
    const written = environmentReferences(raw?.services, [service.name], "env");
    const referenced = [...written.required, ...written.optional];
    if (referenced.length > 0) {
      warnings.push({
        subject: `service ${service.name}`,
        reason: `env takes ${referenced.map((name) => `\${env:${name}}`).join(", ")} from the environment of the export: the manifest holds the values they had then; keep secrets in Secret Manager (env valueFrom.secretKeyRef) instead`,
      });
    }
    await writeManifest(out, exported.manifest);
    deployments.push({
      name: service.name,
      fromSource: service.image === null,
      ...(service.functionTarget === null ? {} : { functionTarget: service.functionTarget }),
      public: service.public,
    });
  }
  if (project.functions.size > 0 || project.apis.length > 0) {
    if (raw === undefined) {
      warnings.push({
        subject: `project ${basename(project.configFile)}`,
        reason:
          "its functions and APIs are not exported: Cloud Run export reads them from portico.yaml, and this is a SAM or CloudFormation template; use `portico export aws`, or describe them in portico.yaml",
      });
    } else {
      const plan = planApiServices(project, new Set(project.services.keys()));
      warnings.push(...plan.warnings);
      for (const service of plan.services) {
        await writeApiBundle(project, raw, service, out);
        await writeManifest(out, apiServiceManifest(service));
        warnings.push(...apiServiceWarnings(service), ...environmentWarnings(raw, service));
        deployments.push({ name: service.name, fromSource: true, public: true });
      }
    }
  }
  const script = join(out, "deploy.sh");
  await writeFile(script, deployScript(deployments));
  await chmod(script, 0o755);
  return { files: await listFiles(out), warnings };
}

async function writeManifest(out: string, manifest: CloudRunManifest): Promise<void> {
  const header = `# Cloud Run service ${manifest.metadata.name}, written by \`portico export gcp\`; deploy.sh applies it.\n`;
  await writeFile(
    join(out, `${manifest.metadata.name}.service.yaml`),
    header + stringify(manifest, { lineWidth: 0 }),
  );
}

/** The project's portico.yaml as written (aliases resolved), or undefined for a SAM or CloudFormation template. */
/** `${env:NAME}` references stay references: on Cloud Run they read the service's environment. */
function environmentWarnings(raw: Json, service: ApiService): ExportWarning[] {
  const { required, optional } = environmentReferences(
    raw.functions,
    service.functions.map((fn) => fn.name),
    "environment",
  );
  if (required.length === 0 && optional.length === 0) return [];
  const names = [...required, ...optional];
  const must = required.length === 0 ? "" : ` (${required.join(", ")} must be set: they have no default)`;
  return [
    {
      subject: `API ${service.api.name}`,
      reason: `its functions read ${names.map((name) => `\${env:${name}}`).join(", ")} from the Cloud Run service's environment${must}: set them with \`gcloud run services update ${service.name} --region REGION --update-env-vars NAME=VALUE\`, or in env of ${service.name}.service.yaml`,
    },
  ];
}
