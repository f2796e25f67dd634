/**
 * Gateway throughput as the route table grows: one project with an API of 10 routes and one of 1,000 (the same
 * shape, `GET /api/rN/items/{id}`, all to one warm function), loaded in turn by wrk through the same gateway:
 * one route in the middle of each table, then a mix spread over the whole table. The two APIs alternate
 * (ABAB, the first one swapping each round), since the machine's load drifts within a run.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { Agent } from "node:http";
import { join } from "node:path";
import { startNoiseWatch } from "./noise.js";
import { getRoute, uploadProject } from "./platform-client.js";
import { type CpuPerRequest, cpuPerRequest, groupCpu } from "./proc-cpu.js";
import { lookupNs, routeTable } from "./route-lookup-time.js";
import type { RunningPorticoServer } from "./servers.js";
import { runWrk, type WrkResult } from "./wrk.js";

export const ROUTE_COUNTS = { small: 10, large: 1000 } as const;
export type TableSize = keyof typeof ROUTE_COUNTS;
export const LOADS = ["middle", "mix"] as const;
export type RouteLoad = (typeof LOADS)[number];

export interface RouteRun {
  readonly wrk: WrkResult;
  readonly cpu: CpuPerRequest;
}

export interface RouteScaleRound {
  readonly runs: Readonly<Record<RouteLoad, Readonly<Record<TableSize, RouteRun>>>>;
  readonly first: TableSize;
  readonly otherCores: number;
}

export interface RouteScale {
  readonly connections: number;
  readonly seconds: number;
  readonly warmSeconds: number;
  /** Paths of the mix, per table. */
  readonly mixPaths: Readonly<Record<TableSize, readonly string[]>>;
  readonly middlePaths: Readonly<Record<TableSize, string>>;
  readonly rounds: readonly RouteScaleRound[];
  /** `RouteTable.match` alone, in the benchmark's process, ns per lookup of the same paths. */
  readonly lookupNs: Readonly<Record<RouteLoad, Readonly<Record<TableSize, number>>>>;
}

export interface RouteScaleOptions {
  readonly rounds: number;
  readonly seconds: number;
  readonly warmSeconds: number;
  readonly connections: number;
}

const PROJECT = "routes";
const FUNCTION = `${PROJECT}-fn`;
const MIX_PATHS = 10;

const apiName = (size: TableSize) => `${PROJECT}${ROUTE_COUNTS[size]}`;
const routeOf = (index: number) => `/api/r${index}/items/{id}`;
const pathOf = (index: number) => `/api/r${index}/items/42`;

export async function measureRouteTableScale(
  server: RunningPorticoServer,
  workDir: string,
  options: RouteScaleOptions,
): Promise<RouteScale> {
  const dir = join(workDir, PROJECT);
  await writeProject(dir);
  await uploadProject(server.admin, dir, PROJECT);
  const sizes = Object.keys(ROUTE_COUNTS) as TableSize[];
  const middlePaths = perSize((size) => pathOf(ROUTE_COUNTS[size] >> 1));
  const mixPaths = perSize((size) =>
    Array.from({ length: MIX_PATHS }, (_, k) =>
      pathOf(Math.floor(((k + 0.5) * ROUTE_COUNTS[size]) / MIX_PATHS)),
    ),
  );
  const scripts = perSize((size) => join(workDir, `mix-${ROUTE_COUNTS[size]}.lua`));
  for (const size of sizes) {
    await writeFile(scripts[size], mixScript(mixPaths[size]));
    await checkPaths(server, size, [middlePaths[size], ...mixPaths[size]]);
  }
  const measure = async (size: TableSize, load: RouteLoad): Promise<RouteRun> => {
    const path = load === "middle" ? middlePaths[size] : (mixPaths[size][0] as string);
    const script = load === "mix" ? scripts[size] : undefined;
    const url = `${server.origin}${path}`;
    const host = `${apiName(size)}.localhost`;
    await runWrk(url, options.connections, options.warmSeconds, host, script);
    const before = groupCpu(server.process.pid);
    const wrk = await runWrk(url, options.connections, options.seconds, host, script);
    const after = groupCpu(server.process.pid);
    return { wrk, cpu: cpuPerRequest(before, after, wrk.requests) };
  };
  // Both APIs share the function's instances: start as many as there are connections before any round.
  await runWrk(
    `${server.origin}${middlePaths.small}`,
    options.connections,
    2 * options.warmSeconds,
    `${apiName("small")}.localhost`,
  );
  const rounds: RouteScaleRound[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const order: TableSize[] = round % 2 === 0 ? ["small", "large"] : ["large", "small"];
    const noise = startNoiseWatch([server]);
    const runs = {} as Record<RouteLoad, Record<TableSize, RouteRun>>;
    for (const load of LOADS) {
      const byTable = {} as Record<TableSize, RouteRun>;
      for (const size of order) byTable[size] = await measure(size, load);
      runs[load] = byTable;
    }
    rounds.push({ runs, first: order[0] as TableSize, otherCores: noise().otherCores });
  }
  return {
    connections: options.connections,
    seconds: options.seconds,
    warmSeconds: options.warmSeconds,
    mixPaths,
    middlePaths,
    rounds,
    lookupNs: measureLookups(middlePaths, mixPaths),
  };
}

function measureLookups(
  middlePaths: Record<TableSize, string>,
  mixPaths: Record<TableSize, readonly string[]>,
): Record<RouteLoad, Record<TableSize, number>> {
  const tables = perSize((size) => routeTable(ROUTE_COUNTS[size], routeOf));
  const measure = () => ({
    middle: perSize((size) => lookupNs(tables[size], [middlePaths[size]])),
    mix: perSize((size) => lookupNs(tables[size], mixPaths[size])),
  });
  // The first pass lets the JIT compile the lookup, which would charge whichever table came first.
  measure();
  return measure();
}

function perSize<T>(make: (size: TableSize) => T): Record<TableSize, T> {
  return { small: make("small"), large: make("large") };
}

/** Each path must reach the function before it is loaded: a 404 is cheaper than a hit and would flatter it. */
async function checkPaths(
  server: RunningPorticoServer,
  size: TableSize,
  paths: readonly string[],
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (const path of paths) {
      const answer = await getRoute(agent, server.origin, `${apiName(size)}.localhost`, path);
      if (answer.status !== 200)
        throw new Error(`${apiName(size)} ${path} answered ${answer.status}: ${answer.body}`);
    }
  } finally {
    agent.destroy();
  }
}

/** A wrk script sending each request to the next path of the list, round robin. */
function mixScript(paths: readonly string[]): string {
  return [
    `local paths = { ${paths.map((path) => JSON.stringify(path)).join(", ")} }`,
    "local next = 0",
    "request = function()",
    "  next = next % #paths + 1",
    "  return wrk.format(nil, paths[next])",
    "end",
    "",
  ].join("\n");
}

async function writeProject(dir: string): Promise<void> {
  await mkdir(join(dir, "fn"), { recursive: true });
  await writeFile(
    join(dir, "fn", "index.mjs"),
    `const body = JSON.stringify({ ok: true, msg: "hello", path: "/" });\n` +
      `export const handler = async () => ({ statusCode: 200, headers: { "content-type": "application/json" }, body });\n`,
  );
  const routes = (count: number) =>
    Array.from({ length: count }, (_, i) => `      GET ${routeOf(i)}: ${FUNCTION}\n`).join("");
  await writeFile(
    join(dir, "portico.yaml"),
    `functions:\n  ${FUNCTION}:\n    runtime: nodejs20.x\n    handler: index.handler\n    code: fn\napis:\n` +
      (Object.keys(ROUTE_COUNTS) as TableSize[])
        .map((size) => `  ${apiName(size)}:\n    routes:\n${routes(ROUTE_COUNTS[size])}`)
        .join(""),
  );
}
