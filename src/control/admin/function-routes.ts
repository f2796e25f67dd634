/**
 * `/v1/functions`: the functions deployed, each at its current version; invoking one, as `portico invoke --server`
 * does; its code as text files, and edits of them, for the console's editor.
 */

import { randomUUID } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { parseFunctionSettings } from "../../config/index.js";
import { digestTree, packProject } from "../artifacts/index.js";
import { etagOf, functionOwnedByProject, functionRecord, remove, updateFunction } from "../commands/index.js";
import { readFunctionCode, writeFunctionCode } from "../function-code.js";
import { LogTail } from "../log-tail.js";
import type { Platform } from "../platform.js";
import { readJson, readZip } from "./admin-body.js";
import type { AdminRoute } from "./admin-route.js";

const codeEdit = z.strictObject({ files: z.record(z.string(), z.string()) });
/** How long an edit of `dev`'s files waits for the reload that serves it. */
const DEV_RELOAD_LIMIT_MS = 15_000;
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
  /** Deploys `zip` as the function's code: the new version must initialise. */
  const deployZip = async (name: string, zip: Buffer, ifMatch: string | undefined) => {
    const { sha256, hold } = await platform.artifacts.put(zip);
    try {
      const digest = await digestTree(await platform.artifacts.directory(sha256));
      const code = { artifact: sha256, path: "", digest };
      const record = await platform.run(updateFunction(name, { code }, ifMatch), { verifyFunctions: true });
      return [200, record, { ETag: etagOf(record) }] as const;
    } finally {
      hold.release();
    }
  };
  on("PUT", "/v1/functions/:name/code", async (request, { name }) => {
    // Before the upload is stored: a zip for no function costs nothing.
    functionRecord(platform.state.function, name as string);
    return deployZip(name as string, await readZip(request), request.headers["if-match"]);
  });
  on("GET", "/v1/functions/:name/code", async (_request, { name }) => {
    const record = functionRecord(platform.state.function, name as string);
    return [200, await readFunctionCode(await platform.codeDir(record.code))];
  });
  on("PATCH", "/v1/functions/:name/code", async (request, { name }) => {
    const { files } = codeEdit.parse(await readJson(request));
    const record = functionRecord(platform.state.function, name as string);
    if (record.code.artifact === null) {
      // `dev`: the code is the project's own directory, which it watches and reloads.
      await writeFunctionCode(record.code.path, files);
      const reloaded = await platform.functionChanged(name as string, record, DEV_RELOAD_LIMIT_MS);
      return reloaded ? [200, reloaded, { ETag: etagOf(reloaded) }] : [202, record];
    }
    if (record.project !== null) throw functionOwnedByProject(record.name, record.project);
    const copy = await mkdtemp(join(tmpdir(), "portico-code-"));
    try {
      await cp(await platform.codeDir(record.code), copy, { recursive: true, verbatimSymlinks: true });
      await writeFunctionCode(copy, files);
      return await deployZip(record.name, (await packProject(copy)).zip, request.headers["if-match"]);
    } finally {
      await rm(copy, { recursive: true, force: true });
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
