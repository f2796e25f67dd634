/**
 * Gateway throughput as the route table grows: one project with an API of 10 routes and one of 1,000 (the same
 * shape, `GET /api/rN/items/{id}`, all to one warm function), loaded in turn by wrk through the same gateway:
 * one route in the middle of each table, then a mix spread over the whole table. The two APIs alternate in
 * short slices (ABBA..., the first one swapping each round), since other work on the machine comes and goes
 * within seconds: both tables get their share of every lull and every burst.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { Agent } from "node:http";
import { join } from "node:path";
import { startNoiseWatch } from "./noise.js";
import { getRoute, uploadProject } from "./platform-client.js";
import { serverCpu } from "./proc-cpu.js";
import { lookupNs, routeTable } from "./route-lookup-time.js";
import type { RunningPorticoServer } from "./servers.js";
import { runWrk } from "./wrk.js";

export const ROUTE_COUNTS = { small: 10, large: 1000 } as const;
export type TableSize = keyof typeof ROUTE_COUNTS;
export const LOADS = ["middle", "mix"] as const;
export type RouteLoad = (typeof LOADS)[number];

/** One table's slices of a round, added up. */
export interface RouteRun {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  /** Non-2xx answers and socket errors. */
  readonly errors: number;
  /** CPU of the `portico up` process alone per request, µs. */
  readonly gatewayUs: number;
}

export interface RouteScaleRound {
  readonly runs: Readonly<Record<RouteLoad, Readonly<Record<TableSize, RouteRun>>>>;
  readonly first: TableSize;
  readonly otherCores: number;
}

export interface RouteScale {
  readonly connections: number;
  readonly slices: number;
  readonly sliceSeconds: number;
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
  /** wrk runs per table, per load and round. */
  readonly slices: number;
  readonly sliceSeconds: number;
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
  const load = (size: TableSize, kind: RouteLoad, seconds: number) => {
    const path = kind === "middle" ? middlePaths[size] : (mixPaths[size][0] as string);
    const script = kind === "mix" ? scripts[size] : undefined;
    return runWrk(
      `${server.origin}${path}`,
      options.connections,
      seconds,
      `${apiName(size)}.localhost`,
      script,
    );
  };
  /** Both tables under one load, in alternating slices; each one's slices added up. */
  const measure = async (kind: RouteLoad, first: TableSize): Promise<Record<TableSize, RouteRun>> => {
    const second: TableSize = first === "small" ? "large" : "small";
    for (const size of [first, second]) await load(size, kind, options.warmSeconds);
    const sums = perSize(() => ({ requests: 0, seconds: 0, errors: 0, gatewayMs: 0 }));
    for (let slice = 0; slice < options.slices; slice++) {
      for (const size of slice % 2 === 0 ? [first, second] : [second, first]) {
        const before = serverCpu(server.process.pid);
        const wrk = await load(size, kind, options.sliceSeconds);
        const after = serverCpu(server.process.pid);
        const sum = sums[size];
        sum.requests += wrk.requests;
        sum.seconds += wrk.seconds;
        sum.errors += wrk.errors;
        sum.gatewayMs += after.leaderMs - before.leaderMs;
      }
    }
    return perSize((size) => {
      const { requests, seconds, errors, gatewayMs } = sums[size];
      return { requests, seconds, rps: requests / seconds, errors, gatewayUs: (gatewayMs * 1000) / requests };
    });
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
    const first: TableSize = round % 2 === 0 ? "small" : "large";
    const noise = startNoiseWatch([server]);
    const runs = { middle: await measure("middle", first), mix: await measure("mix", first) };
    rounds.push({ runs, first, otherCores: noise().otherCores });
  }
  return {
    connections: options.connections,
    slices: options.slices,
    sliceSeconds: options.sliceSeconds,
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
  const [middleSmall, middleLarge, mixSmall, mixLarge] = lookupNs([
    { table: tables.small, paths: [middlePaths.small] },
    { table: tables.large, paths: [middlePaths.large] },
    { table: tables.small, paths: mixPaths.small },
    { table: tables.large, paths: mixPaths.large },
  ]) as [number, number, number, number];
  return { middle: { small: middleSmall, large: middleLarge }, mix: { small: mixSmall, large: mixLarge } };
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
