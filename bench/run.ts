/**
 * `npm run bench`: measures Portico's warm functions, cold starts and gateway profile against a bare
 * node:http server in the same run, and its service proxy against the app direct and nginx, then
 * writes docs/benchmarks.md. `--quick` is a ~2-minute smoke run. `--services` measures the services
 * part alone and rewrites only that part of the file; `--undici` adds the service proxy on undici's
 * Client to the services rounds, to compare it with Node.js's parser. `--platform` measures deploys, the
 * cold starts a redeploy causes and large route tables on `portico up`, alone, and rewrites only that part.
 * `--authorizers` measures the warm-path cost of JWT and cached Lambda authorizers, alone, likewise;
 * `--observability` the warm-path cost of access logs, log storage and metrics; `--console` the web console's
 * JavaScript size and first render.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { join } from "node:path";
import {
  AUTHORIZERS_HEADING,
  authorizerGoals,
  measureAuthorizers,
  renderAuthorizersPart,
} from "./authorizers.js";
import { type BenchRuntime, measureColdStarts } from "./cold-start.js";
import { CONSOLE_HEADING, consoleGoals, consoleLoads, measureConsole, renderConsolePart } from "./console.js";
import { instanceMemoryMb } from "./instance-memory.js";
import { goalText, goalValue } from "./markdown.js";
import { startNoiseWatch } from "./noise.js";
import {
  measureObservability,
  OBSERVABILITY_HEADING,
  observabilityGoals,
  renderObservabilityPart,
} from "./observability.js";
import { measurePlatform, type PlatformSettings, platformSettings } from "./platform.js";
import { PLATFORM_HEADING, renderPlatformPart, renderPlatformSummary } from "./platform-report.js";
import { cpuPerRequest, serverCpu } from "./proc-cpu.js";
import { killAll } from "./processes.js";
import { profilePortico } from "./profile.js";
import { renderMarkdown, renderServicesPart, renderSummary, SERVICES_HEADING } from "./report.js";
import {
  type BenchResults,
  FLOORS,
  type Goal,
  type Measurement,
  type RoundResult,
  type Settings,
} from "./results.js";
import {
  type RunningServer,
  repoRoot,
  startBareServer,
  startIsolationFloor,
  startPortico,
} from "./servers.js";
import { measureServices, type ServiceBenchOptions } from "./services.js";
import { runWrk, wrkVersion } from "./wrk.js";

const RUNTIMES: readonly BenchRuntime[] = [
  { key: "node", label: "Node.js", runtime: "nodejs20.x", handler: "app.handler" },
  { key: "python", label: "Python", runtime: "python3.11", handler: "app.handler" },
  { key: "provided", label: "provided", runtime: "provided.al2023" },
];
const FUNCTIONS_DIR = join(repoRoot, "bench", "projects", "functions");
const EXPECTED_BODY = JSON.stringify({ ok: true, msg: "hello", path: "/" });

function readSettings(argv: readonly string[], env: NodeJS.ProcessEnv): Settings {
  const quick = argv.includes("--quick");
  const number = (name: string, fallback: number) => {
    const value = env[name] === undefined || env[name] === "" ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
    return value;
  };
  return {
    quick,
    seconds: number("BENCH_SECONDS", quick ? 2 : 10),
    rounds: number("BENCH_ROUNDS", quick ? 1 : 3),
    warmSeconds: quick ? 1 : 2,
    coldSamples: quick ? 5 : 20,
    coldPauseMs: 400,
    profileSeconds: quick ? 2 : 5,
  };
}

interface Target {
  readonly key: string;
  readonly label: string;
  readonly url: string;
  readonly server: RunningServer;
}

async function main(): Promise<void> {
  const wrk = wrkVersion();
  if (!wrk) {
    process.stderr.write("bench: wrk is not installed; install it with: apt-get install wrk\n");
    process.exitCode = 1;
    return;
  }
  const args = process.argv.slice(2);
  const settings = readSettings(args, process.env);
  const serviceOptions = { compareUndici: args.includes("--undici") };
  if (args.includes("--services")) return servicesOnly(settings, serviceOptions);
  if (args.includes("--platform")) return platformOnly(settings, platformSettings(settings.quick));
  const part = PARTS.find((candidate) => args.includes(candidate.flag));
  if (part) return partOnly(part, settings);
  const loadBefore = loadavg()[0] as number;
  const startedAt = new Date();
  log(`${settings.rounds} round(s) of ${settings.seconds} s per run; wrk -t1 on 127.0.0.1`);

  const warm = await measureWarm(settings);
  log(`cold starts: ${settings.coldSamples} per runtime, ${settings.coldPauseMs} ms apart`);
  const coldStarts = await measureColdStarts(RUNTIMES, FUNCTIONS_DIR, {
    samples: settings.coldSamples,
    pauseMs: settings.coldPauseMs,
  });
  log(`profile: portico dev under --cpu-prof, ${settings.profileSeconds} s per function at c=10`);
  const profile = await profilePortico(
    FUNCTIONS_DIR,
    RUNTIMES.map((runtime) => ({ label: runtime.label, path: `/${runtime.key}` })),
    { seconds: settings.profileSeconds, warmSeconds: settings.warmSeconds, connections: 10 },
  );

  log("services: direct, through Portico and through nginx; then cold start and profile");
  const services = await measureServices(settings, log, serviceOptions);
  const platform = await measurePlatform(platformSettings(settings.quick), log);
  const parts: { part: BenchPart; markdown: string; summary: string }[] = [];
  for (const part of PARTS) {
    log(part.what);
    const measured = await part.measure(settings, log);
    parts.push({ part, markdown: part.render(measured), summary: goalSummary(part.goals(measured)) });
  }

  const results: BenchResults = {
    settings,
    machine: machineFacts(wrk, startedAt, loadBefore),
    runtimes: RUNTIMES,
    rounds: warm.rounds,
    instanceMemoryMb: warm.instanceMemoryMb,
    coldStarts,
    profile,
    services,
    platform,
  };
  const out = settings.quick
    ? join(tmpdir(), "portico-bench-quick.md")
    : join(repoRoot, "docs", "benchmarks.md");
  let report = renderMarkdown(results);
  for (const { part, markdown } of parts)
    report = replacePart(report, part.heading, headingsAfter(part), markdown);
  writeFileSync(out, report);
  const summaries = parts.map(({ summary }) => summary).join("\n");
  process.stdout.write(`\n${renderSummary(results)}\n${summaries}\nFull report: ${out}\n`);
}

/** `--services`: the services part alone, put in place of the same part of docs/benchmarks.md. */
async function servicesOnly(settings: Settings, options: ServiceBenchOptions): Promise<void> {
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const loadBefore = loadavg()[0] as number;
  log(`services only: ${settings.rounds} round(s) of ${settings.seconds} s per run; wrk -t1 on 127.0.0.1`);
  const services = await measureServices(settings, log, options);
  const command = `npm run bench -- --services${options.compareUndici ? " --undici" : ""}`;
  const part = renderServicesPart(
    services,
    settings.profileSeconds,
    `Measured on its own (\`${command}\`, ${settings.rounds} round(s) of ${settings.seconds} s per run, each after a ` +
      `${settings.warmSeconds} s warm-up) on ${startedAt}, Node.js ${process.version}, commit ${gitCommit()} ` +
      `(plus uncommitted changes, if any); 1-min load average before / after: ${loadBefore.toFixed(2)} / ` +
      `${(loadavg()[0] as number).toFixed(2)}.`,
  );
  const docs = join(repoRoot, "docs", "benchmarks.md");
  const out = settings.quick ? join(tmpdir(), "portico-bench-services-quick.md") : docs;
  const current = readFileSync(docs, "utf8");
  const at = current.indexOf(SERVICES_HEADING);
  writeFileSync(out, at >= 0 ? `${current.slice(0, at)}${part}` : `${current.trimEnd()}\n\n${part}`);
  process.stdout.write(`\nServices report: ${out}\n`);
}

/** `--platform`: the platform part alone, put in place of the same part of docs/benchmarks.md (before services). */
async function platformOnly(settings: Settings, platformSettings: PlatformSettings): Promise<void> {
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const loadBefore = loadavg()[0] as number;
  log(`platform only${settings.quick ? " (--quick)" : ""}`);
  const platform = await measurePlatform(platformSettings, log);
  const part = renderPlatformPart(
    platform,
    `Measured on its own (\`npm run bench -- --platform${settings.quick ? " --quick" : ""}\`) on ${startedAt}, Node.js ${process.version}, commit ` +
      `${gitCommit()} (plus uncommitted changes, if any); 1-min load average before / after: ` +
      `${loadBefore.toFixed(2)} / ${(loadavg()[0] as number).toFixed(2)}.`,
  );
  const docs = join(repoRoot, "docs", "benchmarks.md");
  const out = settings.quick ? join(tmpdir(), "portico-bench-platform-quick.md") : docs;
  writeFileSync(out, replacePart(readFileSync(docs, "utf8"), PLATFORM_HEADING, [SERVICES_HEADING], part));
  process.stdout.write(`\n${renderPlatformSummary(platform)}\nPlatform report: ${out}\n`);
}

/**
 * A part of the report measured on its own, each a warm-path cost: its section goes before the platform's in
 * docs/benchmarks.md, in this order.
 */
interface BenchPart {
  readonly flag: string;
  readonly heading: string;
  /** What the log says as the part starts. */
  readonly what: string;
  measure(settings: Settings, log: (message: string) => void): Promise<unknown>;
  render(results: unknown, runNote?: string): string;
  goals(results: unknown): Goal[];
  /** How it loads what it measures, for the log and the run note; by default, the rounds of wrk. */
  shape?(settings: Settings): string;
}

function benchPart<R>(part: {
  flag: string;
  heading: string;
  what: string;
  measure: (settings: Settings, log: (message: string) => void) => Promise<R>;
  render: (results: R, runNote?: string) => string;
  goals: (results: R) => Goal[];
  shape?: (settings: Settings) => string;
}): BenchPart {
  return part as BenchPart;
}

const PARTS: readonly BenchPart[] = [
  benchPart({
    flag: "--authorizers",
    heading: AUTHORIZERS_HEADING,
    what: "authorizers: the same route open, behind a JWT authorizer and behind a cached Lambda authorizer",
    measure: measureAuthorizers,
    render: renderAuthorizersPart,
    goals: authorizerGoals,
  }),
  benchPart({
    flag: "--observability",
    heading: OBSERVABILITY_HEADING,
    what: "observability: portico up with access logs, log storage and metrics on, and with --no-observability",
    measure: measureObservability,
    render: renderObservabilityPart,
    goals: observabilityGoals,
  }),
  benchPart({
    flag: "--console",
    heading: CONSOLE_HEADING,
    what: "console: its JavaScript's size, and its first render in Chromium",
    measure: measureConsole,
    render: renderConsolePart,
    goals: consoleGoals,
    shape: (settings) => `${consoleLoads(settings)} page loads in Chromium`,
  }),
];

/** A part alone (`npm run bench -- FLAG`), put in place of its section of docs/benchmarks.md. */
async function partOnly(part: BenchPart, settings: Settings): Promise<void> {
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const loadBefore = loadavg()[0] as number;
  const name = part.flag.slice(2);
  const shape = part.shape?.(settings) ?? `${settings.rounds} round(s) of ${settings.seconds} s per run`;
  log(`${name} only: ${shape}; on 127.0.0.1`);
  const results = await part.measure(settings, log);
  const markdown = part.render(
    results,
    `Measured on its own (\`npm run bench -- ${part.flag}${settings.quick ? " --quick" : ""}\`, ${shape}) on ` +
      `${startedAt}, Node.js ${process.version}, commit ${gitCommit()} (plus uncommitted changes, if any); 1-min load ` +
      `average before / after: ${loadBefore.toFixed(2)} / ${(loadavg()[0] as number).toFixed(2)}.`,
  );
  const docs = join(repoRoot, "docs", "benchmarks.md");
  const out = settings.quick ? join(tmpdir(), `portico-bench-${name}-quick.md`) : docs;
  writeFileSync(out, replacePart(readFileSync(docs, "utf8"), part.heading, headingsAfter(part), markdown));
  process.stdout.write(`\n${goalSummary(part.goals(results))}\nReport: ${out}\n`);
}

function goalSummary(goals: readonly Goal[]): string {
  return goals
    .map((goal) => `${goal.pass ? "PASS" : "MISS"} ${goal.what}: ${goalValue(goal)} (goal ${goalText(goal)})`)
    .join("\n");
}

/**
 * `text` with the part from `heading` up to the first of `nextHeadings` after it replaced by `part`; without
 * `heading`, `part` goes before the first of `nextHeadings` (or at the end).
 */
function replacePart(text: string, heading: string, nextHeadings: readonly string[], part: string): string {
  const found = text.indexOf(heading);
  const ends = nextHeadings.map((next) => text.indexOf(next, found + 1)).filter((at) => at >= 0);
  const end = ends.length > 0 ? Math.min(...ends) : text.length;
  const start = found >= 0 && found < end ? found : end;
  const before = text.slice(0, start);
  return `${before}${before.endsWith("\n\n") || before === "" ? "" : "\n"}${part}\n${text.slice(end)}`;
}

/** The sections that follow `part`'s in docs/benchmarks.md. */
function headingsAfter(part: BenchPart): string[] {
  return [...PARTS.slice(PARTS.indexOf(part) + 1).map((later) => later.heading), PLATFORM_HEADING];
}

/**
 * The warm rounds: every target at c=10 then c=1, in an order rotated each round; then the memory of the
 * instances the last c=10 runs left (each runtime's, on its own route: up to 10 instances).
 */
async function measureWarm(
  settings: Settings,
): Promise<{ rounds: RoundResult[]; instanceMemoryMb: Map<string, number[]> }> {
  const bare = await startBareServer();
  const floors = await Promise.all(FLOORS.map((floor) => startIsolationFloor(floor.runtime)));
  const portico = await startPortico(FUNCTIONS_DIR);
  try {
    const targets: Target[] = [
      { key: "bare", label: "bare node:http", url: `${bare.origin}/`, server: bare },
      ...FLOORS.map((floor, i) => ({
        key: floor.key,
        label: floor.label,
        url: `${(floors[i] as RunningServer).origin}/`,
        server: floors[i] as RunningServer,
      })),
      ...RUNTIMES.map((runtime) => ({
        key: runtime.key,
        label: runtime.label,
        url: `${portico.origin}/${runtime.key}`,
        server: portico,
      })),
    ];
    for (const target of targets) await checkAnswer(target);
    const rounds: RoundResult[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      const shift = round % targets.length;
      const order = [...targets.slice(shift), ...targets.slice(0, shift)];
      const runs: RoundResult["runs"] = new Map();
      const noise = startNoiseWatch([bare, ...floors, portico]);
      for (const target of order) {
        const c10 = await measure(target, 10, settings);
        const c1 = await measure(target, 1, settings);
        runs.set(target.key, { c10, c1 });
        log(
          `round ${round + 1}/${settings.rounds} ${target.label.padEnd(34)} ` +
            `c=10 ${Math.round(c10.wrk.rps)} req/s, c=1 p50 ${c1.wrk.p50Ms.toFixed(3)} ms`,
        );
      }
      const { otherCores, stealCores } = noise();
      log(
        `round ${round + 1}: other load ${otherCores.toFixed(2)} cores, steal ${stealCores.toFixed(2)} cores`,
      );
      rounds.push({ runs, otherCores, stealCores });
    }
    return { rounds, instanceMemoryMb: instanceMemoryMb(portico.process.pid) };
  } finally {
    await portico.process.stop();
    for (const floor of floors) await floor.process.stop();
    await bare.process.stop();
  }
}

async function measure(target: Target, connections: number, settings: Settings): Promise<Measurement> {
  await runWrk(target.url, connections, settings.warmSeconds);
  const before = serverCpu(target.server.process.pid);
  const wrk = await runWrk(target.url, connections, settings.seconds);
  const after = serverCpu(target.server.process.pid);
  if (wrk.errors > 0)
    log(`warning: ${target.label} c=${connections}: ${wrk.errors} errors or non-2xx answers`);
  return { wrk, cpu: cpuPerRequest(before, after, wrk.requests) };
}

/** Each target must answer the same JSON before it is measured. */
async function checkAnswer(target: Target): Promise<void> {
  const response = await fetch(target.url, { signal: AbortSignal.timeout(15_000) });
  const body = await response.text();
  if (response.status !== 200 || body !== EXPECTED_BODY) {
    throw new Error(`${target.label} (${target.url}) answered ${response.status} ${body}`);
  }
}

function machineFacts(wrk: string, startedAt: Date, loadBefore: number): BenchResults["machine"] {
  const run = (command: string, args: string[]) => {
    try {
      return execFileSync(command, args, { encoding: "utf8", cwd: repoRoot, stdio: "pipe" }).trim();
    } catch {
      return "unknown";
    }
  };
  return {
    date: startedAt.toISOString().replace(/\.\d+Z$/, "Z"),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    kernel: release(),
    node: process.version,
    python: run("python3", ["-c", "import sys; print(sys.version.split()[0], sys.executable)"]),
    wrk,
    commit: gitCommit(),
    loadBefore,
    loadAfter: loadavg()[0] as number,
  };
}

function gitCommit(): string {
  try {
    const options = { encoding: "utf8", cwd: repoRoot, stdio: "pipe" } as const;
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], options).trim();
  } catch {
    return "unknown";
  }
}

function log(message: string): void {
  process.stdout.write(`bench: ${message}\n`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}
process.once("exit", killAll);
main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
