/** How services, their traffic and revisions are printed for people (`--json` prints the API's JSON instead). */
import type { RevisionDescription, ServiceDescription } from "../services/index.js";
import { textTable } from "./output.js";

/** gcloud's traffic block: each share, then each tag's URL under the share it belongs to. */
export function trafficText(service: ServiceDescription): string {
  let text = "Traffic:\n";
  for (const status of service.trafficStatuses) {
    const percent = `${status.percent}%`.padStart(6);
    const name =
      status.type === "LATEST" ? `LATEST (currently ${status.revision ?? "none"})` : (status.revision ?? "");
    text += `${percent} ${name}\n`;
    if (status.tag !== undefined) text += `         ${status.tag}: ${status.uri}\n`;
  }
  return text;
}

export function serviceText(service: ServiceDescription): string {
  return (
    `Service ${service.name}\n` +
    `URL: ${service.uri}\n` +
    `Latest ready revision: ${service.latestReadyRevision ?? "none"}\n` +
    trafficText(service) +
    `Revisions:\n${indent(revisionsTable(service.revisions))}`
  );
}

/** A table like `gcloud run revisions list`: newest first. */
export function revisionsTable(revisions: readonly RevisionDescription[]): string {
  const rows = [
    ["REVISION", "ACTIVE", "TRAFFIC", "TAGS", "INSTANCES", "CREATED"],
    ...revisions.map((revision) => [
      revision.name,
      revision.status === "FAILED" ? "failed" : revision.percent > 0 ? "yes" : "",
      revision.status === "FAILED" ? "" : `${revision.percent}%`,
      revision.tags.join(","),
      String(revision.instances),
      revision.createTime,
    ]),
  ];
  return textTable(rows);
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}

/** gcloud's words for a deployed revision. */
export function deployedMessage(service: string, revision: string, percent: number): string {
  return `Service [${service}] revision [${revision}] has been deployed and is serving ${percent} percent of traffic.`;
}
