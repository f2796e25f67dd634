/** `portico ls`: what a running server serves, project by project: functions, APIs with their URLs, services. */
import type { FunctionRecord } from "../model/index.js";
import type { ServiceDescription } from "../services/index.js";
import { type AdminClientOptions, adminRequest } from "./admin-client.js";
import { textTable } from "./output.js";

export interface ListCommandOptions extends AdminClientOptions {
  readonly json?: boolean;
}

export interface Listing {
  readonly projects: readonly { readonly name: string; readonly deployedAt: string }[];
  readonly functions: readonly FunctionRecord[];
  readonly apis: readonly {
    readonly name: string;
    readonly project: string | null;
    readonly stages: readonly { stage: string; url: string }[];
  }[];
  readonly services: readonly ServiceDescription[];
}

/** Everything deployed, read through the admin API. */
export async function listing(options: AdminClientOptions): Promise<Listing> {
  const [projects, functions, apis, services] = await Promise.all([
    adminRequest<{ projects: Listing["projects"] }>(options, "GET", "/v1/projects"),
    adminRequest<{ functions: Listing["functions"] }>(options, "GET", "/v1/functions"),
    adminRequest<{ apis: Listing["apis"] }>(options, "GET", "/v1/apis"),
    adminRequest<{ services: Listing["services"] }>(options, "GET", "/v1/services"),
  ]);
  return { ...projects, ...functions, ...apis, ...services };
}

export async function runList(options: ListCommandOptions): Promise<void> {
  const all = await listing(options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    return;
  }
  const rows: string[][] = [];
  for (const fn of all.functions) {
    rows.push([
      fn.project ?? "-",
      "function",
      fn.name,
      `v${fn.version} ${fn.config.runtimeId} ${fn.config.handler}`,
    ]);
  }
  for (const api of all.apis) {
    rows.push([api.project ?? "-", "api", api.name, api.stages.map((stage) => stage.url).join(" ")]);
  }
  for (const service of all.services) {
    rows.push([
      service.project ?? "-",
      "service",
      service.name,
      `${service.uri}/ (${service.latestReadyRevision ?? "no revision"})`,
    ]);
  }
  rows.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
  if (rows.length === 0) {
    process.stdout.write("Nothing is deployed yet: deploy a project with `portico deploy DIR`.\n");
    return;
  }
  process.stdout.write(textTable([["PROJECT", "KIND", "NAME", "DETAIL"], ...rows]));
}
