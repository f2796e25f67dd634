/** `/v1/functions`: the functions deployed, each at its current version; invoking one, as `portico invoke --server` does. */
import type { FunctionRecord } from "../../model/index.js";
import { PorticoError } from "../../model/index.js";
import { etagOf, remove } from "../commands/index.js";
import type { Platform } from "../platform.js";
import { readJson } from "./admin-body.js";
import type { AdminRoute } from "./admin-route.js";

export function functionRoutes(on: AdminRoute, platform: Platform): void {
  on("GET", "/v1/functions", () => [200, { functions: [...platform.state.function.values()] }]);
  on("GET", "/v1/functions/:name", (_request, { name }) => {
    const record = functionRecord(platform, name as string);
    return [200, record, { ETag: etagOf(record) }];
  });
  on("DELETE", "/v1/functions/:name", async (request, { name }) => [
    200,
    await platform.run(remove(name as string, "function", request.headers["if-match"])),
  ]);
  on("POST", "/v1/functions/:name/invocations", async (request, { name }) => {
    const event = JSON.stringify(await readJson(request));
    const outcome = await platform.invoke(name as string, event);
    const payload = outcome.payload.toString("utf8");
    return [200, outcome.type === "error" ? { payload, functionError: outcome.errorType } : { payload }];
  });
}

function functionRecord(platform: Platform, name: string): FunctionRecord {
  const record = platform.state.function.get(name);
  if (record) return record;
  throw new PorticoError("FUNCTION_NOT_FOUND", `Function ${name} does not exist.`, { status: 404 });
}
