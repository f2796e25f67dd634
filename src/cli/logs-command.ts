/**
 * `portico logs [NAME]`: what functions and services wrote, and APIs' access-log lines, read through the admin
 * API; `--follow` keeps printing new lines until interrupted.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { createInterface } from "node:readline";
import type { StoredLogRecord } from "../control/store/index.js";
import { PorticoError } from "../model/index.js";
import { type AdminClientOptions, adminRequest } from "./admin-client.js";
import { listing } from "./list-command.js";

export interface LogsCommandOptions extends AdminClientOptions {
  readonly follow?: boolean;
  readonly since?: string;
  readonly filter?: string;
  readonly json?: boolean;
  readonly request?: string;
  readonly limit?: string;
}

export async function runLogs(name: string | undefined, options: LogsCommandOptions): Promise<void> {
  const search = new URLSearchParams();
  if (name !== undefined) search.set("name", name);
  if (options.since !== undefined) search.set("since", options.since);
  if (options.filter !== undefined) search.set("filter", options.filter);
  if (options.request !== undefined) search.set("request", options.request);
  if (options.limit !== undefined) search.set("limit", options.limit);
  const print = (record: StoredLogRecord) =>
    process.stdout.write(`${options.json ? JSON.stringify(record) : humanLine(record)}\n`);

  if (!options.follow) {
    const { logs } = await adminRequest<{ logs: StoredLogRecord[] }>(options, "GET", `/v1/logs?${search}`);
    if (logs.length === 0 && name !== undefined) await assertKnown(name, options);
    for (const record of logs) print(record);
    return;
  }
  if (name !== undefined) await assertKnown(name, options);
  search.set("follow", "true");
  await streamLines(options, `/v1/logs?${search}`, (line) => print(JSON.parse(line) as StoredLogRecord));
}

/** `TIME NAME REVISION/INSTANCE [LEVEL] MESSAGE`. */
export function humanLine(record: StoredLogRecord): string {
  const tags = [record.revision ?? "", record.instance ?? ""].filter((tag) => tag !== "").join("/");
  const level = record.level === undefined || record.json === undefined ? "" : `${record.level} `;
  return `${new Date(record.time).toISOString()} ${record.name}${tags ? ` [${tags}]` : ""} ${level}${record.message}`;
}

/** No lines for `name`: fine if it exists (it has written nothing yet), else say what does. */
async function assertKnown(name: string, options: AdminClientOptions): Promise<void> {
  const all = await listing(options);
  const names = [
    ...all.functions.map((fn) => fn.name),
    ...all.services.map((service) => service.name),
    ...all.apis.map((api) => api.name),
  ];
  if (names.includes(name)) return;
  const known =
    names.length === 0 ? "nothing is deployed" : `known: ${[...new Set(names)].sort().join(", ")}`;
  throw new PorticoError(
    "NOT_FOUND",
    `no function, service or API named ${name} and no log lines of it (${known})`,
  );
}

/** GETs an NDJSON stream, calling `onLine` per line, until the server ends it. */
function streamLines(
  options: AdminClientOptions,
  path: string,
  onLine: (line: string) => void,
): Promise<void> {
  const url = new URL(path, options.server.endsWith("/") ? options.server : `${options.server}/`);
  const headers: Record<string, string> = {};
  if (options.adminToken) headers.authorization = `Bearer ${options.adminToken}`;
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, { headers });
    request.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new PorticoError(
          "SERVER_UNREACHABLE",
          `cannot reach a Portico server at ${options.server} (${error.code ?? error.message}); start one with \`portico up\` or \`portico dev\`, or point --server at it`,
        ),
      ),
    );
    request.on("response", (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          let message = `HTTP ${response.statusCode}`;
          try {
            message =
              (JSON.parse(Buffer.concat(chunks).toString()) as { message: string }).message ?? message;
          } catch {}
          reject(new PorticoError("SERVER_REFUSED", message));
        });
        return;
      }
      const lines = createInterface({ input: response, crlfDelay: Number.POSITIVE_INFINITY });
      lines.on("line", (line) => line !== "" && onLine(line));
      lines.on("close", () => resolve());
    });
    request.end();
  });
}
