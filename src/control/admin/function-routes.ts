/** `/v1/functions`: the functions deployed, each at its current version; invoking one, as `portico invoke --server` does. */

import { randomUUID } from "node:crypto";
import { parseFunctionSettings } from "../../config/index.js";
import { digestTree } from "../artifacts/index.js";
import { etagOf, functionRecord, remove, updateFunction } from "../commands/index.js";
import { LogTail } from "../log-tail.js";
import type { Platform } from "../platform.js";
import { readJson, readZip } from "./admin-body.js";
import type { AdminRoute } from "./admin-route.js";

/** Lambda's LogType Tail returns the last 4 KB; the console shows a little more. */
const LOG_TAIL_BYTES = 16 * 1024;

export function functionRoutes(on: AdminRoute, platform: Platform): void {
  on("GET", "/v1/functions", () => [200, { functions: [...platform.state.function.values()] }]);
  on("GET", "/v1/functions/:name", (_request, { name }) => {
    const record = functionRecord(platform.state.function, name as string);
    return [200, record, { ETag: etagOf(record) }];
  });
  on("PATCH", "/v1/functions/:name", async (request, { name }) => {
    const config = await parseFunctionSettings(await readJson(request));
    const record = await platform.run(
      updateFunction(name as string, { config }, request.headers["if-match"]),
      {
        verifyFunctions: true,
      },
    );
    return [200, record, { ETag: etagOf(record) }];
  });
  on("PUT", "/v1/functions/:name/code", async (request, { name }) => {
    // Before the upload is stored: a zip for no function costs nothing.
    functionRecord(platform.state.function, name as string);
    const { sha256, hold } = await platform.artifacts.put(await readZip(request));
    try {
      const digest = await digestTree(await platform.artifacts.directory(sha256));
      const code = { artifact: sha256, path: "", digest };
      const record = await platform.run(
        updateFunction(name as string, { code }, request.headers["if-match"]),
        {
          verifyFunctions: true,
        },
      );
      return [200, record, { ETag: etagOf(record) }];
    } finally {
      hold.release();
    }
  });
  on("DELETE", "/v1/functions/:name", async (request, { name }) => [
    200,
    await platform.run(remove(name as string, "function", request.headers["if-match"])),
  ]);
  on("POST", "/v1/functions/:name/invocations", async (request, { name }) => {
    const event = JSON.stringify(await readJson(request));
    const requestId = randomUUID();
    // As Lambda's Invoke with LogType Tail: the end of what the invocation wrote.
    const tail = new LogTail(LOG_TAIL_BYTES);
    const started = performance.now();
    const outcome = await platform.invoke(name as string, event, { requestId, onLog: tail.append });
    const answer = {
      payload: outcome.payload.toString("utf8"),
      requestId,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      log: tail.bytes().toString("utf8"),
    };
    return [200, outcome.type === "error" ? { ...answer, functionError: outcome.errorType } : answer];
  });
}
