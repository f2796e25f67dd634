/** Renders the platform part of docs/benchmarks.md (deploys, redeploy cold starts, route tables) and its summary. */
import { fmt, goalTable, goalText, goalValue, spread, table } from "./markdown.js";
import type { PlatformResults } from "./platform.js";
import {
  DEPLOY_GOAL_MS,
  platformGoals,
  REDEPLOY_COLD_STARTS_GOAL,
  ROUTE_SCALE_GOAL,
  routeRatios,
  routeSeries,
} from "./platform-results.js";
import { LOADS, ROUTE_COUNTS, type RouteLoad } from "./route-table-scale.js";
import { median, percentile, range } from "./stats.js";

export const PLATFORM_HEADING = "## Platform: deploys and route tables";

const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");

/** The platform part; a `--platform` run renders it alone, with `runNote` saying when and how it was measured. */
export function renderPlatformPart(results: PlatformResults, runNote?: string): string {
  const { stop } = results;
  const shutdown = stop.clean
    ? `\`portico up\` exited cleanly on SIGTERM in ${stop.ms.toFixed(0)} ms.`
    : `\`portico up\` did NOT exit cleanly on SIGTERM (code ${stop.code}, signal ${stop.signal}, after ${stop.ms.toFixed(0)} ms).`;
  return `${PLATFORM_HEADING}

${runNote ? `${runNote}\n\n` : ""}One \`portico up\` with a temporary data directory, on ephemeral ports; every request goes to an API by
its host name (\`Host: NAME.localhost\`). ${shutdown}

${goalTable(platformGoals(results))}

### Deploy to serving

${deploySection(results)}

${DEPLOY_TIME_NOTES}

### Cold starts from redeploying one of ten functions

${redeploySection(results)}

### Gateway throughput: 1,000 routes against 10

${routesSection(results)}
`;
}

function deploySection(results: PlatformResults): string {
  const { samples, cliStartMs, nodeStartMs, pauseMs } = results.deploys;
  const goal = (value: number) => [`≤ ${fmt.ms(DEPLOY_GOAL_MS)}`, verdict(value <= DEPLOY_GOAL_MS)];
  const row = (what: string, values: number[], withGoal = false) => [
    what,
    fmt.ms(median(values)),
    fmt.ms(percentile(values, 90)),
    `${fmt.ms(range(values).min)}–${fmt.ms(range(values).max)}`,
    ...(withGoal ? goal(median(values)) : ["", ""]),
  ];
  const stale = samples.reduce((sum, s) => sum + s.staleAnswers, 0);
  return [
    `A one-function project (Node.js, \`GET /hello\`) redeployed ${samples.length} times each way, with a changed`,
    "answer every time: with `portico deploy` (a new Node.js process, as a user runs it), and by packing the",
    "project and uploading it from the benchmark's own process (`PUT /v1/projects/NAME`: what `portico deploy`",
    "does once it has started). Each deploy is followed by GETs on a kept-alive connection until the new answer",
    `comes back; the deploys are ${pauseMs} ms apart, so the spare runtime process the last one took is back.`,
    `\`portico deploy\` returns once the gateway has switched: ${stale === 0 ? "every first GET after a deploy answered the new version" : `**${stale} GET(s) after a deploy had returned still answered the version before**`}.\n`,
    table(
      ["from → to", "p50", "p90", "min–max", "target (p50)", "result"],
      [
        row(
          "start of `portico deploy` → first 200 from the new version",
          samples.map((s) => s.cliServingMs),
          true,
        ),
        row(
          "start of `portico deploy` → its exit",
          samples.map((s) => s.cliMs),
        ),
        row(
          "start of packing → first 200 from the new version",
          samples.map((s) => s.uploadServingMs),
          true,
        ),
        row(
          "start of the upload → its answer (after the switch)",
          samples.map((s) => s.uploadMs),
        ),
        row(
          "packing the project (in the benchmark's process)",
          samples.map((s) => s.packMs),
        ),
        row("`portico --version`: Node.js start-up and the CLI's modules", [...cliStartMs]),
        row("`node -e 0`: Node.js start-up alone", [...nodeStartMs]),
      ],
    ),
  ].join("\n");
}

function redeploySection(results: PlatformResults): string {
  const { functions, rounds } = results.redeploy;
  const rows = rounds.map((round, i) => {
    const changedIndex = Number(/\d+$/.exec(round.changed)?.[0]);
    const unchanged = round.firstRequestMs.filter((_, j) => j !== changedIndex);
    return [
      String(i + 1),
      `\`${round.changed}\``,
      String(round.initReports),
      `≤ ${REDEPLOY_COLD_STARTS_GOAL}`,
      verdict(round.initReports <= REDEPLOY_COLD_STARTS_GOAL),
      round.newProcesses.length > 0 ? round.newProcesses.map((name) => `\`${name}\``).join(", ") : "none",
      fmt.ms(round.firstRequestMs[changedIndex] ?? Number.NaN),
      fmt.ms(Math.max(...unchanged)),
    ];
  });
  return [
    `${functions} Node.js functions, each in its own directory on its own route, deployed and warmed (one request`,
    "each); then one function's code changes, the project is redeployed (an upload) and every route is requested",
    "once. Cold starts: REPORT lines with an `Init Duration` from the redeploy until every route has answered. The",
    "handlers answer `process.pid`, so a route answered by another process than before shows which instances were",
    "replaced. A changed function is started and initialised during the deploy, before the switch; its first",
    "request is the first on that instance, which reports the init then.\n",
    table(
      [
        "round",
        "changed",
        "cold starts",
        "target",
        "result",
        "routes answered by a new process",
        "first request after: changed function",
        "slowest unchanged one",
      ],
      rows,
    ),
  ].join("\n");
}

function routesSection(results: PlatformResults): string {
  const { routes } = results;
  const label: Record<RouteLoad, string> = {
    middle: `one route in the middle of each table (\`${routes.middlePaths.small}\`, \`${routes.middlePaths.large}\`)`,
    mix: `a mix of ${routes.mixPaths.large.length} routes spread over each table, round robin`,
  };
  const rows = LOADS.map((load) => {
    const ratio = median(routeRatios(results, load));
    const gateway = (size: "small" | "large") =>
      fmt.us(median(routeSeries(results, load, size, (run) => run.gatewayUs)));
    return [
      label[load],
      spread(
        routeSeries(results, load, "small", (run) => run.rps),
        fmt.int,
      ),
      spread(
        routeSeries(results, load, "large", (run) => run.rps),
        fmt.int,
      ),
      spread(routeRatios(results, load), fmt.ratio),
      `≥ ${fmt.ratio(ROUTE_SCALE_GOAL)}`,
      verdict(ratio >= ROUTE_SCALE_GOAL),
      `${gateway("small")} / ${gateway("large")}`,
      `${routes.lookupNs[load].small.toFixed(0)} / ${routes.lookupNs[load].large.toFixed(0)} ns`,
    ];
  });
  const errors = routes.rounds.reduce(
    (sum, round) =>
      sum + LOADS.reduce((n, load) => n + round.runs[load].small.errors + round.runs[load].large.errors, 0),
    0,
  );
  return [
    `One project, one Node.js function, two APIs: \`routes${ROUTE_COUNTS.small}\` with ${ROUTE_COUNTS.small} routes and`,
    `\`routes${ROUTE_COUNTS.large}\` with ${fmt.int(ROUTE_COUNTS.large)}, all \`GET /api/rN/items/{id}\` to that function, so`,
    "both are served by the same gateway and the same warm instances and differ only in their route table.",
    `In each round, under each load, the two APIs take turns in ${routes.slices} \`wrk -t1 -c${routes.connections}\` runs of`,
    `${routes.sliceSeconds} s each (A B B A A B ..., after a ${routes.warmSeconds} s warm-up run of each; the first one swaps`,
    `each round), and each API's runs are added up: other work on this machine comes and goes within seconds,`,
    `and short alternating runs give both tables their share of it. ${routes.rounds.length} round(s); the ratio is taken`,
    "within each round, then their median is shown; each cell: median (min–max). Gateway CPU: the `portico up`",
    "process alone, from /proc. Route lookup alone: `RouteTable.match` (src/gateway/route-table.ts) on the same",
    "tables and paths in the benchmark's process, the best of 12 runs of 50,000 lookups for each, the four taking",
    "turns.",
    "Per request, the table is used for one find-my-way lookup (`RouteTable.match`) and one `Map` lookup of the",
    "route it matched (src/gateway/api-request.ts); nothing else the gateway does depends on its size.\n",
    table(
      [
        "load",
        `req/s, ${ROUTE_COUNTS.small} routes`,
        `req/s, ${fmt.int(ROUTE_COUNTS.large)} routes`,
        `${fmt.int(ROUTE_COUNTS.large)} ÷ ${ROUTE_COUNTS.small}`,
        "target",
        "result",
        `gateway CPU µs/req, ${ROUTE_COUNTS.small} / ${fmt.int(ROUTE_COUNTS.large)}`,
        "route lookup alone",
      ],
      rows,
    ),
    ...(errors > 0 ? [`\n**Non-2xx answers or socket errors:** ${fmt.int(errors)}.`] : []),
    "\n#### Every round (req/s)\n",
    table(
      [
        "round",
        "first",
        ...LOADS.flatMap((load) => [
          `${load}, ${ROUTE_COUNTS.small}`,
          `${load}, ${fmt.int(ROUTE_COUNTS.large)}`,
          `${load} ÷`,
        ]),
        "other load",
      ],
      routes.rounds.map((round, i) => [
        String(i + 1),
        `${ROUTE_COUNTS[round.first]} routes`,
        ...LOADS.flatMap((load) => [
          fmt.int(round.runs[load].small.rps),
          fmt.int(round.runs[load].large.rps),
          fmt.ratio(round.runs[load].large.rps / round.runs[load].small.rps),
        ]),
        fmt.cores(round.otherCores),
      ]),
    ),
  ].join("\n");
}

/** The console summary of the platform part: each target, then what explains the deploy time. */
export function renderPlatformSummary(results: PlatformResults): string {
  const { samples, cliStartMs } = results.deploys;
  const p90 = (values: number[]) => fmt.ms(percentile(values, 90));
  const [cli, upload, cold, middle, mix] = platformGoals(results).map(
    (goal) => `  ${goal.what}: ${goalValue(goal)} (target ${goalText(goal)}) ${verdict(goal.pass)}`,
  );
  return [
    "Platform:",
    cli,
    `    p90 ${p90(samples.map((s) => s.cliServingMs))}; \`portico --version\` alone: p50 ${fmt.ms(median([...cliStartMs]))}`,
    upload,
    `    p90 ${p90(samples.map((s) => s.uploadServingMs))}`,
    cold,
    `    per round: ${results.redeploy.rounds.map((round) => round.initReports).join(", ")}`,
    middle,
    mix,
  ].join("\n");
}

/** Where `portico deploy`'s time goes: measured while this part was written (2026-12-05), on this machine. */
const DEPLOY_TIME_NOTES = `#### Where \`portico deploy\`'s time goes

Measured on 2026-12-05 while this part was written, with other builds and tests on the machine (1-min load
average 2-6), so the absolute figures move by tens of percent from run to run; the proportions do not.

- **The server's part is small.** The upload's answer comes after the archive is stored and extracted, the
  config loaded, each code directory digested, the changed function started and initialised, the change
  committed to SQLite and the gateway switched: ~40 ms at p50 (the table). Deploys sent back to back, with no
  pause, took 250-340 ms every other time in a run of 10: the changed function's instance comes from the
  pre-started spare runtime process, and when the last deploy has just taken it, a Node.js process is
  started for it instead.
- **The CLI's start-up is the rest.** \`portico --version\`, which loads the CLI's modules and does nothing
  else, takes most of a \`portico deploy\`'s time (the table), and Node.js's own start-up (\`node -e 0\`) only
  a fifth of it or less. Under \`node --cpu-prof\`, \`runDeploy\` began 650-750 ms into a 740-1030 ms
  \`portico deploy\` (5 runs): everything before it is module loading.
- **Why.** src/cli/main.ts imports every command's module statically, and src/cli/deploy-command.ts takes
  \`packProject\` from the control plane's face, \`../control/index.js\`, so \`portico deploy\` loads the whole
  server before it packs a zip: 210 of Portico's modules, zod (95 files, for the config schema), yaml,
  better-sqlite3, find-my-way, chokidar and the rest. Imported one after the other in one process: what
  deploy uses (src/cli/admin-client.ts, src/control/artifacts/, its output helpers) 110-170 ms, then
  src/config/index.ts 180-265 ms, then the rest of src/control/index.ts 140-185 ms.
- **What it would take.** A process loading only \`packProject\` (src/control/artifacts/index.ts) and
  \`adminUpload\` did the same deploy in 264-430 ms where \`portico deploy\` took 549-800 ms (6 runs each,
  alternating, same server): within the target. That is for main.ts to import each command's module when
  the command runs (a dynamic \`import()\` in its action), and for deploy-command.ts to import \`packProject\`
  from src/control/artifacts/ rather than the control plane's face.`;
