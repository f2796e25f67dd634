/** `/v1/apis`: the APIs served, with the invoke URL of each stage; their CORS settings, and test requests to them. */

import { parseApiSettings, parseCorsSettings } from "../../config/index.js";
import type { ApiSpec } from "../../model/index.js";
import { PorticoError } from "../../model/index.js";
import { etagOf, putApi, remove } from "../commands/index.js";
import type { Platform } from "../platform.js";
import { readJson } from "./admin-body.js";
import type { AdminRoute } from "./admin-route.js";
import { sendTestRequest, testRequestSchema } from "./api-test-request.js";

export function apiRoutes(on: AdminRoute, platform: Platform): void {
  const describe = (name: string) => {
    const record = platform.state.api.get(name);
    if (!record) throw new PorticoError("API_NOT_FOUND", `API ${name} does not exist.`, { status: 404 });
    return { ...record, stages: apiUrls(record.spec, platform.urlFor) };
  };
  on("GET", "/v1/apis", () => [200, { apis: [...platform.state.api.keys()].map((name) => describe(name)) }]);
  on("GET", "/v1/apis/:name", (_request, { name }) => {
    const described = describe(name as string);
    return [200, described, { ETag: etagOf(platform.state.api.get(name as string) as object) }];
  });
  on("PUT", "/v1/apis/:name", async (request, { name }) => {
    const settings = await readJson(request);
    const spec = await parseApiSettings(name as string, settings, [...platform.state.function.keys()]);
    const { headers } = request;
    const { record, created } = await platform.run(
      putApi(spec, headers["if-match"], headers["if-none-match"]),
    );
    return [created ? 201 : 200, describe(record.name), { ETag: etagOf(record) }];
  });
  on("PUT", "/v1/apis/:name/cors", async (request, { name }) => {
    const { spec } = describe(name as string);
    const cors = await parseCorsSettings(await readJson(request));
    const { record } = await platform.run(putApi({ ...spec, cors }, request.headers["if-match"]));
    return [200, describe(record.name), { ETag: etagOf(record) }];
  });
  on("POST", "/v1/apis/:name/test", async (request, { name }) => {
    const { spec } = describe(name as string);
    const test = testRequestSchema.parse(await readJson(request));
    if (!spec.stages.some((stage) => stage.name === test.stage)) {
      const stages = spec.stages.map((stage) => stage.name).join(", ");
      throw new PorticoError(
        "STAGE_NOT_FOUND",
        `API ${name} has no stage ${test.stage} (its stages: ${stages}).`,
        {
          status: 404,
        },
      );
    }
    const { host, port } = platform.gatewayAddress;
    return [200, await sendTestRequest({ host, port }, `${name}.localhost:${port}`, test)];
  });
  on("DELETE", "/v1/apis/:name", async (request, { name }) => [
    200,
    await platform.run(remove(name as string, "api", request.headers["if-match"])),
  ]);
}

/** Each stage's invoke URL: `$default` at the root of NAME.localhost, the others under `/STAGE/`. */
export function apiUrls(spec: ApiSpec, urlFor: (host: string) => string): { stage: string; url: string }[] {
  const base = urlFor(`${spec.name}.localhost`);
  return spec.stages.map((stage) => ({
    stage: stage.name,
    url: stage.name === "$default" ? `${base}/` : `${base}/${stage.name}/`,
  }));
}
