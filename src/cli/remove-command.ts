/** `portico rm NAME`: removes a project with all it deployed, or a function, API or service no project owns. */
import { PorticoError } from "../model/index.js";
import { type AdminClientOptions, adminRequest } from "./admin-client.js";
import { listing } from "./list-command.js";

export async function runRemove(name: string, options: AdminClientOptions): Promise<void> {
  const all = await listing(options);
  const kind = all.projects.some((project) => project.name === name)
    ? "projects"
    : all.functions.some((fn) => fn.name === name)
      ? "functions"
      : all.apis.some((api) => api.name === name)
        ? "apis"
        : all.services.some((service) => service.name === name)
          ? "services"
          : undefined;
  if (kind === undefined) {
    throw new PorticoError(
      "NOT_FOUND",
      `nothing named ${name} is deployed on ${options.server}; see \`portico ls\``,
    );
  }
  const { removed } = await adminRequest<{ removed: string[] }>(
    options,
    "DELETE",
    `/v1/${kind}/${encodeURIComponent(name)}`,
  );
  process.stdout.write(`Removed ${removed.join(", ")}.\n`);
}
