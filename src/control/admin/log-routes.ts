/**
 * `/v1/logs`: what functions and services wrote, and APIs' access-log lines. `follow=true` streams new lines as
 * NDJSON until the client goes away; it reads the store from a cursor and writes only when the client has taken
 * what was sent, so a slow reader holds at most one page in memory.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { PorticoError } from "../../model/index.js";
import type { Platform } from "../platform.js";
import type { LogKind, LogQuery, StoredLogRecord } from "../store/index.js";
import type { AdminRoute } from "./admin-route.js";

const FOLLOW_POLL_MS = 200;
const MAX_LIMIT = 10_000;
const KINDS: readonly LogKind[] = ["function", "service", "api"];

export function logRoutes(on: AdminRoute, platform: Platform): void {
  on("GET", "/v1/logs", async (request, _params, search, response) => {
    const query = parseLogQuery(search, Date.now());
    if (search.get("follow") === "true") {
      await follow(platform, query, request, response as ServerResponse);
      return undefined;
    }
    return [200, { logs: await platform.logs.query(query) }];
  });
}

/** The query parameters as a LogQuery; a PorticoError (400) naming what is wrong. */
export function parseLogQuery(search: URLSearchParams, now: number): LogQuery {
  const query: { -readonly [K in keyof LogQuery]: LogQuery[K] } = {};
  const name = search.get("name");
  if (name) query.name = name;
  const kind = search.get("kind");
  if (kind) {
    if (!KINDS.includes(kind as LogKind))
      throw badRequest(`kind must be one of ${KINDS.join(", ")}, got "${kind}"`);
    query.kind = kind as LogKind;
  }
  const since = search.get("since");
  if (since) query.since = parseSince(since, now);
  const until = search.get("until");
  if (until) query.until = parseSince(until, now);
  const filter = search.get("filter");
  if (filter) query.filter = filter;
  const requestId = search.get("request");
  if (requestId) query.requestId = requestId;
  const limit = search.get("limit");
  if (limit !== null) {
    const value = Number(limit);
    if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
      throw badRequest(`limit must be a whole number from 1 to ${MAX_LIMIT}, got "${limit}"`);
    }
    query.limit = value;
  }
  const after = search.get("after");
  if (after !== null) {
    const value = Number(after);
    if (!Number.isInteger(value) || value < 0) throw badRequest(`after must be a line's seq, got "${after}"`);
    query.after = value;
  }
  return query;
}

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10m`, `2h`, `30s`, `1d` before `now`, or an ISO 8601 time, as epoch ms. */
export function parseSince(value: string, now: number): number {
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative) return now - Number(relative[1]) * (UNITS[relative[2] as string] as number);
  if (/^\d{4}-\d\d-\d\d/.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return time;
  }
  throw badRequest(
    `"${value}" is not a duration or a time: use a number with s, m, h or d (10m, 2h, 1d) or an ISO time (2026-01-31T12:00:00Z)`,
  );
}

function badRequest(message: string): PorticoError {
  return new PorticoError("BAD_REQUEST", message, { status: 400 });
}

async function follow(
  platform: Platform,
  query: LogQuery,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  response.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
  response.flushHeaders();
  let closed = false;
  const gone = new Promise<void>((resolve) => {
    const close = () => {
      closed = true;
      resolve();
    };
    request.on("close", close);
    response.on("close", close);
  });
  const pageSize = query.limit ?? 1000;
  // First the lines asked for (the last `limit` of them), then every line after the newest sent.
  let records: StoredLogRecord[] = await platform.logs.query({ ...query, after: undefined });
  let cursor = records.at(-1)?.seq ?? (await platform.logs.lastSeq());
  while (!closed) {
    if (records.length > 0) {
      const text = records.map((record) => `${JSON.stringify(record)}\n`).join("");
      cursor = (records.at(-1) as StoredLogRecord).seq;
      if (!response.write(text)) {
        await Promise.race([new Promise((resolve) => response.once("drain", resolve)), gone]);
      }
    }
    if (records.length < pageSize) {
      await Promise.race([new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS).unref()), gone]);
    }
    if (closed) break;
    records = await platform.logs.query({ ...query, after: cursor, limit: pageSize });
  }
  response.end();
}
