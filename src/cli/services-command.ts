/**
 * `portico services deploy | update-traffic | describe` and `portico revisions list`, shaped like
 * `gcloud run`, against a running Portico's admin API.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { packProject } from "../control/artifacts/index.js";
import { PorticoError } from "../model/index.js";
import type { RevisionDescription, ServiceDescription } from "../services/index.js";
import { type AdminClientOptions, adminRequest, adminUpload } from "./admin-client.js";
import { progressBar } from "./progress-bar.js";
import { deployedMessage, revisionsTable, serviceText, trafficText } from "./service-output.js";

export interface ServiceDeployOptions extends AdminClientOptions {
  readonly source: string;
  readonly function?: string;
  readonly traffic: boolean;
  readonly tag?: string;
}

export async function runServicesDeploy(name: string, options: ServiceDeployOptions): Promise<void> {
  const source = resolve(options.source);
  if (!(await isDirectory(source))) {
    throw new PorticoError("SERVICE_SOURCE_NOT_FOUND", `--source: directory does not exist: ${source}`);
  }
  const { zip } = await packProject(source);
  const query = new URLSearchParams();
  if (options.function !== undefined) query.set("function", options.function);
  if (!options.traffic) query.set("noTraffic", "true");
  if (options.tag !== undefined) query.set("tag", options.tag);
  const uploading = progressBar("Uploading");
  const answer = await adminUpload<{ revision: string; percent: number; service: ServiceDescription }>(
    options,
    "POST",
    `/v1/services/${encodeURIComponent(name)}/revisions?${query}`,
    zip,
    (sent) => uploading.update(sent, zip.length),
  );
  uploading.done();
  let text = `${deployedMessage(name, answer.revision, answer.percent)}\n`;
  const tagged = answer.service.trafficStatuses.find((status) => status.tag === options.tag);
  if (options.tag !== undefined && tagged?.uri)
    text += `The revision can be reached directly at ${tagged.uri}\n`;
  text += `Service URL: ${answer.service.uri}\n`;
  process.stdout.write(text);
}

export interface UpdateTrafficOptions extends AdminClientOptions {
  readonly toLatest?: boolean;
  readonly toRevisions?: Record<string, number>;
  readonly toTags?: Record<string, number>;
  readonly updateTags?: Record<string, string>;
  readonly removeTags?: string[];
}

export async function runServicesUpdateTraffic(name: string, options: UpdateTrafficOptions): Promise<void> {
  const { server, adminToken, ...change } = options;
  if (Object.keys(change).length === 0) {
    throw new PorticoError(
      "TRAFFIC_UNCHANGED",
      "say what to change: --to-latest, --to-revisions, --to-tags, --update-tags or --remove-tags",
    );
  }
  const service = await adminRequest<ServiceDescription>(
    { server, adminToken },
    "PATCH",
    `/v1/services/${encodeURIComponent(name)}/traffic`,
    change,
  );
  process.stdout.write(`URL: ${service.uri}\n${trafficText(service)}`);
}

export async function runServicesDescribe(
  name: string,
  options: AdminClientOptions & { json?: boolean },
): Promise<void> {
  const service = await adminRequest<ServiceDescription>(
    options,
    "GET",
    `/v1/services/${encodeURIComponent(name)}`,
  );
  process.stdout.write(options.json ? `${JSON.stringify(service, null, 2)}\n` : serviceText(service));
}

export async function runRevisionsList(
  options: AdminClientOptions & { service: string; json?: boolean },
): Promise<void> {
  const { revisions } = await adminRequest<{ revisions: RevisionDescription[] }>(
    options,
    "GET",
    `/v1/services/${encodeURIComponent(options.service)}/revisions`,
  );
  process.stdout.write(options.json ? `${JSON.stringify(revisions, null, 2)}\n` : revisionsTable(revisions));
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
