/**
 * A Portico service as a Cloud Run service: each ServiceSpec field is either mapped onto the manifest (or the
 * deploy commands), or named in a warning.
 */
import type { ServiceSpec } from "../../model/index.js";
import type { ExportWarning } from "../export-result.js";
import { type CloudRunManifest, cloudRunManifest } from "./cloud-run-manifest.js";

/** Cloud Run keeps an idle instance "up to 15 min", and does not let that be changed (cloudrun.md §2.2). */
const CLOUD_RUN_IDLE_SECONDS = 900;

/**
 * Where `gcloud run deploy NAME --source DIR` pushes the image it builds (cloudrun.md §3.4); deploy.sh puts the
 * real region and project in place of `REGION` and `PROJECT`.
 */
export function sourceImage(name: string): string {
  return `REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy/${name}`;
}

export interface ServiceExport {
  readonly manifest: CloudRunManifest;
  readonly warnings: readonly ExportWarning[];
}

/**
 * `command`: a command line that replaces the image's entrypoint (run by `/bin/sh -c`), for a start command
 * Portico would use and the image would not (see service-source.ts); undefined keeps the image's own.
 */
export function serviceManifest(service: ServiceSpec, command: string | undefined): ServiceExport {
  const subject = `service ${service.name}`;
  const warnings: ExportWarning[] = [];
  const say = (reason: string) => warnings.push({ subject, reason });
  const image = service.image ?? sourceImage(service.name);
  if (service.image !== null && !isCloudRunRegistry(service.image)) {
    say(
      `image ${service.image} is not in a registry Cloud Run deploys from (Artifact Registry, Container Registry or Docker Hub): copy it to Artifact Registry, or reach it through an Artifact Registry remote repository, and change the image in ${service.name}.service.yaml`,
    );
  }
  if (service.idleTimeoutSeconds !== CLOUD_RUN_IDLE_SECONDS) {
    say(
      `idleTimeout ${service.idleTimeoutSeconds}s has no equivalent: Cloud Run keeps an idle instance up to 15 minutes, and does not let that be set; minInstances keeps instances warm`,
    );
  }
  if (service.domains.length > 0) {
    say(
      `domains (${service.domains.join(", ")}) have no equivalent in the manifest: map each with \`gcloud beta run domain-mappings create --service ${service.name} --domain DOMAIN --region REGION\` and set the DNS records it prints`,
    );
  }
  const env = {
    ...service.env,
    // The Functions Framework reads its target from here (cloudrun.md §5); deploy.sh also builds with --function.
    ...(service.functionTarget === null ? {} : { FUNCTION_TARGET: service.functionTarget }),
  };
  const manifest = cloudRunManifest({
    name: service.name,
    image,
    env,
    command: command === undefined ? undefined : ["/bin/sh", "-c", command],
    concurrency: service.concurrency,
    minInstances: service.minInstances,
    maxInstances: service.maxInstances,
    timeoutSeconds: service.timeoutSeconds,
    startupTimeoutSeconds: service.startupTimeoutSeconds,
  });
  return { manifest, warnings };
}

/** Artifact Registry (`REGION-docker.pkg.dev`), Container Registry (`gcr.io`) and Docker Hub (cloudrun.md §1.1). */
function isCloudRunRegistry(image: string): boolean {
  const first = image.split("/")[0] as string;
  const hasRegistry =
    image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasRegistry) return true;
  return (
    first === "docker.io" ||
    first === "index.docker.io" ||
    first === "gcr.io" ||
    first.endsWith(".gcr.io") ||
    first.endsWith("-docker.pkg.dev")
  );
}
