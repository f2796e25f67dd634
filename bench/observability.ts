/**
 * What observability costs on the warm path: two `portico up` servers, each with the same project deployed (a
 * Node.js function that writes one log line per request), one as it runs by default (access logs printed and
 * stored, function logs stored in its store, metrics counted) and one started with `--no-observability`.
 * Each round starts a fresh pair and loads them in the order off, on, on, off, and the default server's
 * throughput is reported as a ratio to the other one's in the same round.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, goalTable, spread, table } from "./markdown.js";
import { uploadProject } from "./platform-client.js";
import { cpuPerRequest, serverCpu } from "./proc-cpu.js";
import type { Goal, Settings } from "./results.js";
import { type RunningPorticoServer, startPorticoUp } from "./servers.js";
import { median } from "./stats.js";
import { runWrk } from "./wrk.js";

export const OBSERVABILITY_HEADING = "## Observability: warm-path cost";

const SERVERS = [
  { key: "off", label: "observability off", options: ["--no-observability"] },
  { key: "on", label: "observability on (default)", options: [] },
] as const;
type ServerKey = (typeof SERVERS)[number]["key"];

/** The issue's target: throughput with access logs, metrics and log storage on ≥ 90 % of it with them off. */
const GOAL = 0.9;
/**
 * Rounds per round of the rest of the bench: the ratio is a difference of a tenth between two throughputs that
 * each wander by about as much from round to round on a shared machine, so its median needs more of them.
 */
const ROUNDS_PER_BENCH_ROUND = 2;
const PROJECT = "observed";
const HOST = `${PROJECT}.localhost`;

export interface ObservabilityResults {
  /** Requests per second at c=10, per server, one entry per round. */
  readonly rps: Record<ServerKey, number[]>;
  /** p50 latency at c=1 in ms, per server, one entry per round. */
  readonly p50: Record<ServerKey, number[]>;
  /** CPU of the `portico up` process and its instances per request at c=10, µs, per server, one entry per round. */
  readonly cpuUs: Record<ServerKey, number[]>;
}

export async function measureObservability(
  settings: Settings,
  log: (message: string) => void,
): Promise<ObservabilityResults> {
  const dir = mkdtempSync(join(tmpdir(), "portico-bench-observability-"));
  try {
    writeProject(join(dir, "project"));
    const results: ObservabilityResults = {
      rps: { off: [], on: [] },
      p50: { off: [], on: [] },
      cpuUs: { off: [], on: [] },
    };
    const rounds = settings.rounds * ROUNDS_PER_BENCH_ROUND;
    for (let round = 0; round < rounds; round++) {
      // A fresh pair each round, started in turn first: two identical servers side by side serve at rates a few
      // percent apart for as long as they run (measured: up to 5 %, the same way round after round), as large as
      // the cost measured, so that one pair for the whole run would carry its own difference into the ratio.
      const starts = round % 2 === 0 ? SERVERS : [...SERVERS].reverse();
      const servers = new Map<ServerKey, RunningPorticoServer>();
      try {
        for (const server of starts) {
          const running = await startPorticoUp(join(dir, `data-${round}-${server.key}`), server.options);
          servers.set(server.key, running);
          await uploadProject(running.admin, join(dir, "project"), PROJECT);
        }
        await measureRound(settings, servers, results, log, `${round + 1}/${rounds}`);
      } finally {
        for (const running of servers.values()) await running.process.stop();
      }
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Loads each server twice, in the order off, on, on, off, then once at c=1, and adds the round's results. */
async function measureRound(
  settings: Settings,
  servers: ReadonlyMap<ServerKey, RunningPorticoServer>,
  results: ObservabilityResults,
  log: (message: string) => void,
  round: string,
): Promise<void> {
  const loaded = (key: ServerKey) => {
    const running = servers.get(key) as RunningPorticoServer;
    return { running, url: `${running.origin}/hello` };
  };
  // The machine's drift over the round (it is shared, and its speed wanders by more than the cost measured)
  // weighs on both alike.
  const order = [...SERVERS, ...[...SERVERS].reverse()];
  const totals = new Map<ServerKey, { requests: number; seconds: number; cpuUs: number }>();
  for (const server of order) {
    const { running, url } = loaded(server.key);
    // Loaded just before it is measured, every time: a server that sat idle while the other was loaded serves
    // its first seconds measurably slower (its instances and threads are descheduled, its caches cold), and
    // in this order that would fall on "off" twice a round but on "on" only once.
    await runWrk(url, 10, settings.warmSeconds, HOST);
    const before = serverCpu(running.process.pid);
    const c10 = await runWrk(url, 10, Math.max(1, Math.round(settings.seconds / 2)), HOST);
    const after = serverCpu(running.process.pid);
    if (c10.errors > 0) log(`warning: ${server.label}: ${c10.errors} errors or non-2xx`);
    const cpu = cpuPerRequest(before, after, c10.requests);
    const total = totals.get(server.key) ?? { requests: 0, seconds: 0, cpuUs: 0 };
    totals.set(server.key, {
      requests: total.requests + c10.requests,
      seconds: total.seconds + c10.seconds,
      cpuUs: total.cpuUs + (cpu.leaderUs + cpu.othersUs) * c10.requests,
    });
  }
  for (const server of SERVERS) {
    const total = totals.get(server.key) as { requests: number; seconds: number; cpuUs: number };
    const c1 = await runWrk(loaded(server.key).url, 1, settings.seconds, HOST);
    if (c1.errors > 0) log(`warning: ${server.label}: ${c1.errors} errors or non-2xx`);
    results.rps[server.key].push(total.requests / total.seconds);
    results.cpuUs[server.key].push(total.cpuUs / Math.max(total.requests, 1));
    results.p50[server.key].push(c1.p50Ms);
    log(
      `observability round ${round} ${server.label.padEnd(27)} c=10 ${Math.round(total.requests / total.seconds)} req/s`,
    );
  }
}

/** A function that logs a line per request, as most do, behind one route. */
function writeProject(dir: string): void {
  mkdirSync(dir);
  writeFileSync(
    join(dir, "app.mjs"),
    `export const handler = async (event) => {
  console.log("served", event.rawPath);
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' };
};
`,
  );
  writeFileSync(
    join(dir, "portico.yaml"),
    `functions:
  hello: { runtime: nodejs20.x, handler: app.handler, code: . }
apis:
  ${PROJECT}:
    routes:
      GET /hello: hello
`,
  );
}

/** Per round, the default server's throughput over the other one's in that round. */
function ratios(results: ObservabilityResults): number[] {
  return results.rps.on.map((rps, round) => rps / (results.rps.off[round] as number));
}

export function observabilityGoals(results: ObservabilityResults): Goal[] {
  const value = median(ratios(results));
  return [
    {
      what: "observability on: throughput ÷ off",
      value,
      goal: GOAL,
      atLeast: true,
      unit: "×",
      pass: value >= GOAL,
    },
  ];
}

export function renderObservabilityPart(results: ObservabilityResults, runNote?: string): string {
  const rows = SERVERS.map((server) => [
    server.label,
    spread(results.rps[server.key], fmt.int),
    server.key === "off" ? "1" : spread(ratios(results), fmt.ratio),
    spread(results.p50[server.key], fmt.ms),
    spread(results.cpuUs[server.key], fmt.int),
  ]);
  return `${OBSERVABILITY_HEADING}

${runNote ? `${runNote}\n\n` : ""}Two \`portico up\` servers run the same project: a Node.js function that writes one log line per
request, behind \`GET /hello\`. One runs as by default: each request's access-log line printed and stored, the
function's lines (its own and START/END/REPORT) stored in the server's store, Prometheus metrics counted.
The other is started with \`--no-observability\`. Each round starts a fresh pair (two identical servers can
serve a few percent apart for as long as they run) and loads them at c=10 in the order off, on, on, off, for
half the run time each, so that the machine's drift over a round weighs on both alike, each load right after a
warm-up of the same server, so that neither is measured fresh from idling; the ratio is per round,
and there are twice as many rounds as elsewhere in the bench, since the difference measured is about as large
as the machine's drift from round to round.

${goalTable(observabilityGoals(results))}

${table(["server", "c=10 req/s", "÷ off", "c=1 p50", "CPU µs/request (c=10)"], rows)}
`;
}
