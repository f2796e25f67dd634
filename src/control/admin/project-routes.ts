/** `/v1/projects`: whole projects, deployed from an uploaded zip (`portico deploy`) and removed whole (`portico rm`). */
import type { DesiredState, ProjectRecord } from "../../model/index.js";
import { etagOf, remove } from "../commands/index.js";
import type { Platform } from "../platform.js";
import { deployUpload } from "../project-upload.js";
import { readZip } from "./admin-body.js";
import type { AdminRoute } from "./admin-route.js";
import { apiUrls } from "./api-routes.js";

export function projectRoutes(on: AdminRoute, platform: Platform): void {
  on("GET", "/v1/projects", () => [
    200,
    {
      projects: [...platform.state.project.values()].map((record) => describeProject(record, platform.state)),
    },
  ]);
  on("GET", "/v1/projects/:name", (_request, { name }) => {
    const record = platform.state.project.get(name as string);
    if (!record) return [404, { code: "PROJECT_NOT_FOUND", message: `Project ${name} does not exist.` }];
    return [200, describeProject(record, platform.state), { ETag: etagOf(record) }];
  });
  on("PUT", "/v1/projects/:name", async (request, { name }) => {
    const existed = platform.state.project.has(name as string);
    const deployed = await deployUpload(platform, name as string, await readZip(request));
    const state = platform.state;
    const owned = <T extends { readonly project: string | null }>(records: ReadonlyMap<string, T>) =>
      [...records.values()].filter((record) => record.project === deployed.project);
    return [
      existed ? 200 : 201,
      {
        ...deployed,
        apis: owned(state.api).map((api) => ({ name: api.name, stages: apiUrls(api.spec, platform.urlFor) })),
        services: owned(state.service).map((service) => ({
          name: service.name,
          url: platform.urlFor(`${service.name}.localhost`),
        })),
      },
    ];
  });
  on("DELETE", "/v1/projects/:name", async (request, { name }) => [
    200,
    await platform.run(remove(name as string, "project", request.headers["if-match"])),
  ]);
}

function describeProject(record: ProjectRecord, state: DesiredState): object {
  const names = <T extends { readonly project: string | null; readonly name: string }>(
    records: ReadonlyMap<string, T>,
  ) => [...records.values()].filter((each) => each.project === record.name).map((each) => each.name);
  return {
    ...record,
    functions: names(state.function),
    apis: names(state.api),
    services: names(state.service),
  };
}
