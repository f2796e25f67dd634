/**
 * `/v1/services`: Cloud Run-shaped services, what `portico services ...` and `portico revisions list` talk to.
 * A revision is deployed from source uploaded as a zip, never from a path on the server's disk.
 */
import { z } from "zod";
import { defaultServiceSpec } from "../../config/index.js";
import { deployRevision, etagOf, remove, serviceRecord, updateTraffic } from "../commands/index.js";
import type { Platform } from "../platform.js";
import { readJson, readZip } from "./admin-body.js";
import type { AdminRoute } from "./admin-route.js";

const percent = z.number().int().min(0).max(100);
const trafficBody = z
  .strictObject({
    toLatest: z.literal(true).optional(),
    toRevisions: z.record(z.string(), percent).optional(),
    toTags: z.record(z.string(), percent).optional(),
    updateTags: z.record(z.string(), z.string()).optional(),
    removeTags: z.array(z.string()).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: "give at least one of toLatest, toRevisions, toTags, updateTags, removeTags",
  });

export function serviceRoutes(on: AdminRoute, platform: Platform): void {
  const described = (name: string) => {
    const record = serviceRecord(platform.state.service, name);
    return [200, platform.describeService(name), { ETag: etagOf(record) }] as const;
  };
  on("GET", "/v1/services", () => [200, { services: platform.services() }]);
  on("GET", "/v1/services/:name", (_request, { name }) => described(name as string));
  on("GET", "/v1/services/:name/revisions", (_request, { name }) => [
    200,
    { revisions: platform.describeService(name as string).revisions },
  ]);
  on("POST", "/v1/services/:name/revisions", async (request, params, query) => {
    const name = params.name as string;
    const zip = await readZip(request);
    const { sha256, hold } = await platform.artifacts.put(zip);
    try {
      const root = await platform.artifacts.directory(sha256);
      const { sourceDir: _, ...defaults } = await defaultServiceSpec(name, root);
      const deployed = await platform.run(
        deployRevision(
          name,
          {
            defaults,
            source: { artifact: sha256, path: "", digest: sha256 },
            functionTarget: query.get("function") ?? undefined,
          },
          { noTraffic: query.get("noTraffic") === "true", tag: query.get("tag") ?? undefined },
        ),
      );
      return [
        201,
        { revision: deployed.revision, percent: deployed.percent, service: platform.describeService(name) },
      ];
    } finally {
      hold.release();
    }
  });
  on("PATCH", "/v1/services/:name/traffic", async (request, { name }) => {
    const body = trafficBody.parse(await readJson(request));
    const entries = <T>(record: Record<string, T> | undefined) =>
      record === undefined ? undefined : new Map(Object.entries(record));
    const change = {
      toLatest: body.toLatest,
      toRevisions: entries(body.toRevisions),
      toTags: entries(body.toTags),
      updateTags: entries(body.updateTags),
      removeTags: body.removeTags,
    };
    await platform.run(updateTraffic(name as string, change, request.headers["if-match"]));
    return described(name as string);
  });
  on("DELETE", "/v1/services/:name", async (request, { name }) => [
    200,
    await platform.run(remove(name as string, "service", request.headers["if-match"])),
  ]);
}
