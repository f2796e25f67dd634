/** Renders a benchmark run as docs/benchmarks.md and as a console summary. */
import { fmt, goalTable, spread, table } from "./markdown.js";
import { renderPlatformPart, renderPlatformSummary } from "./platform-report.js";
import { platformGoals } from "./platform-results.js";
import type { ProfileSummary, ProfileWindow } from "./profile.js";
import {
  type BenchResults,
  cpuTotal,
  floorOf,
  type Goal,
  goals,
  isBaseline,
  p50,
  p99,
  perRound,
  rps,
  targetsOf,
  versus,
  vsBare,
} from "./results.js";
import { SERVICE_PROXY_NOTES, serviceGoals, servicesSection } from "./service-report.js";
import {
  type ServicesResults,
  serviceP50,
  servicePerRound,
  serviceRps,
  serviceVs,
} from "./service-results.js";
import { median, percentile, range } from "./stats.js";

function warmTables(results: BenchResults): string {
  const c10 = targetsOf(results).map(({ key, label }) => [
    label,
    spread(perRound(results, key, "c10", rps), fmt.int),
    key === "bare" ? "1.000×" : spread(vsBare(results, key, "c10", rps, "÷"), fmt.ratio),
    isBaseline(key) ? "—" : spread(versus(results, key, floorOf(key), "c10", rps, "÷"), fmt.ratio),
    spread(perRound(results, key, "c10", p50), fmt.ms),
    spread(perRound(results, key, "c10", p99), fmt.ms),
    `${fmt.us(median(perRound(results, key, "c10", (m) => m.cpu.leaderUs)))} (${fmt.us(
      median(perRound(results, key, "c10", (m) => m.cpu.leaderKernelUs)),
    )} kernel)`,
    fmt.us(median(perRound(results, key, "c10", (m) => m.cpu.othersUs))),
    fmt.us(median(perRound(results, key, "c10", cpuTotal))),
  ]);
  const c1 = targetsOf(results).map(({ key, label }) => [
    label,
    spread(perRound(results, key, "c1", rps), fmt.int),
    key === "bare" ? "1.000×" : spread(vsBare(results, key, "c1", rps, "÷"), fmt.ratio),
    spread(perRound(results, key, "c1", p50), fmt.ms),
    key === "bare" ? "—" : spread(vsBare(results, key, "c1", p50, "−"), fmt.ms),
    spread(perRound(results, key, "c1", p99), fmt.ms),
    fmt.us(median(perRound(results, key, "c1", cpuTotal))),
  ]);
  const cpuHeader = ["CPU µs/req: server main process", "its children", "total"];
  return [
    "### 10 connections (`wrk -t1 -c10`)\n",
    table(["target", "req/s", "× bare", "× its floor", "p50", "p99", ...cpuHeader], c10),
    "\n### 1 connection (`wrk -t1 -c1 --latency`)\n",
    table(["target", "req/s", "× bare", "p50", "p50 added vs bare", "p99", "CPU µs/req"], c1),
    ...errorNote(results),
    "\nEach cell: median of the rounds (min–max). Ratios and differences are taken within each round,",
    "then their median is shown. For Portico the main process is the gateway and its children are the",
    "function instances (and spare runtime processes), read from /proc.",
    "\n### Memory per instance\n",
    table(
      ["runtime", "instances", "resident memory (RSS) per instance"],
      results.runtimes.map(({ key, label }) => {
        const mb = results.instanceMemoryMb.get(key) ?? [];
        return [label, String(mb.length), mb.length === 0 ? "—" : spread([...mb], fmt.mb)];
      }),
    ),
    "\nRead from /proc after the last round: the instances the c=10 runs left, each serving one request at a time, and the spare process waiting to become the next one (Node.js, Python).",
    "\n### Every round (req/s at c=10; p50 at c=1)\n",
    table(
      ["round", ...targetsOf(results).map((t) => t.label), "other load", "steal"],
      results.rounds.map((round, i) => [
        String(i + 1),
        ...targetsOf(results).map(({ key }) => {
          const runs = round.runs.get(key);
          return runs ? `${fmt.int(runs.c10.wrk.rps)}; ${fmt.ms(runs.c1.wrk.p50Ms)}` : "—";
        }),
        fmt.cores(round.otherCores),
        fmt.cores(round.stealCores),
      ]),
    ),
    "\nOther load: CPU used on the machine by anything but this benchmark (wrk, the servers and what they",
    "started) during the round; steal: CPU the hypervisor gave to other guests. Both are noise: a busy",
    "neighbour slows throughput, and also keeps cores awake, which can make c=1 latency lower.",
  ].join("\n");
}

/** Runs with non-2xx answers or socket errors measured something else than the function: say so. */
function errorNote(results: BenchResults): string[] {
  const notes = targetsOf(results).flatMap(({ key, label }) => {
    const errors = results.rounds.reduce((sum, round) => {
      const runs = round.runs.get(key);
      return sum + (runs ? runs.c10.wrk.errors + runs.c1.wrk.errors : 0);
    }, 0);
    return errors > 0 ? [`${label}: ${fmt.int(errors)}`] : [];
  });
  return notes.length > 0 ? [`\n**Non-2xx answers or socket errors:** ${notes.join(", ")}.`] : [];
}

function coldTable(results: BenchResults): string {
  const rows = results.coldStarts.map((cold) => [
    cold.runtime.label,
    fmt.ms(median(cold.firstMs)),
    fmt.ms(percentile(cold.firstMs, 90)),
    `${fmt.ms(range(cold.firstMs).min)}–${fmt.ms(range(cold.firstMs).max)}`,
    fmt.ms(median(cold.initMs)),
    fmt.ms(percentile(cold.initMs, 90)),
    fmt.ms(median(cold.warmMs)),
  ]);
  return table(
    [
      "runtime",
      "first request p50",
      "p90",
      "min–max",
      "Init Duration p50 (REPORT)",
      "p90",
      "warm request after the same pause, p50",
    ],
    rows,
  );
}

/** Every target of the run: warm functions, cold starts, services and the platform. */
function allGoals(results: BenchResults): Goal[] {
  return [...goals(results), ...serviceGoals(results.services), ...platformGoals(results.platform)];
}

function profileSection(profile: ProfileSummary, seconds: number, loaded: string): string {
  const stop = profile.stop;
  const shutdown = stop.clean
    ? `\`portico dev\` exited cleanly on SIGTERM in ${stop.ms.toFixed(0)} ms and wrote its profile.`
    : `\`portico dev\` did NOT exit cleanly on SIGTERM (code ${stop.code}, signal ${stop.signal}, after ${stop.ms.toFixed(0)} ms).`;
  if (profile.problem) return `${shutdown}\n\n${profile.problem}.`;
  const windows = profile.windows;
  const areaNames = [...new Set(windows.flatMap((w) => w.areas.slice(0, 10).map((a) => a.name)))];
  const areaShare = (w: ProfileWindow, name: string) => w.areas.find((a) => a.name === name)?.share ?? 0;
  areaNames.sort((a, b) => windows.reduce((s, w) => s + areaShare(w, b) - areaShare(w, a), 0));
  return [
    shutdown,
    `\nOne \`portico dev\` under \`node --cpu-prof\` (gateway process only), ${loaded} at c=10 for ${seconds} s;`,
    "shares are of the gateway main thread's busy (non-idle) samples in that function's window.",
    "The profiler samples wall-clock time: a call during which the gateway was preempted (for example a",
    'socket write that wakes an instance on a busy core) is charged with the wait. "busy (profiler)" above',
    '"on CPU (/proc)" is such waiting; `writeBuffer`, `writev` and `writeUtf8String` are the write system calls',
    "(channel frames, HTTP responses, log lines to stdout).\n",
    table(
      ["", ...windows.map((w) => w.label)],
      [
        ["req/s under the profiler", ...windows.map((w) => fmt.int(w.rps))],
        ["gateway CPU µs/req (/proc)", ...windows.map((w) => fmt.us(w.cpu.leaderUs))],
        ["of which in the kernel", ...windows.map((w) => fmt.us(w.cpu.leaderKernelUs))],
        ["instances CPU µs/req (/proc)", ...windows.map((w) => fmt.us(w.cpu.othersUs))],
        [
          "gateway on CPU (/proc), of wall time",
          ...windows.map((w) => fmt.pct((w.cpu.leaderUs * w.rps) / 1e6)),
        ],
        ["gateway main thread busy (profiler)", ...windows.map((w) => fmt.pct(w.busy))],
        ...areaNames.map((name) => [name, ...windows.map((w) => fmt.pct(areaShare(w, name)))]),
      ],
    ),
    ...windows.map(
      (w) =>
        `\n#### Top self time, ${w.label}\n\n${table(
          ["function (file:line)", "self ms", "share"],
          w.top.map((s) => [`\`${s.name}\``, s.ms.toFixed(0), fmt.pct(s.share)]),
        )}`,
    ),
  ].join("\n");
}

export function renderMarkdown(results: BenchResults): string {
  const { machine: m, settings: s } = results;
  return `# Benchmarks

Generated by \`npm run bench\` (bench/run.ts); rerun it rather than editing this file.

## Machine

${table(
  ["item", "value"],
  [
    ["date", m.date],
    ["nproc", String(m.nproc)],
    ["CPU", m.cpu],
    ["kernel", m.kernel],
    ["Node.js", m.node],
    ["python3 on PATH", m.python],
    ["wrk", m.wrk],
    ["commit", `${m.commit} (plus uncommitted changes, if any)`],
    ["1-min load average before / after", `${m.loadBefore.toFixed(2)} / ${m.loadAfter.toFixed(2)}`],
  ],
)}

## Method

- Loopback only. wrk runs with one thread (\`-t1\`, up to one core) on the same ${m.nproc} cores as the servers,
  which get what it leaves; compare ratios, not absolute numbers.
- Baseline: a bare node:http server (bench/servers/bare-server.ts, its own process) answering
  \`${JSON.stringify({ ok: true, msg: "hello", path: "/" })}\` with content-type: the physical limit.
- Isolation floors: a node:http front (bench/servers/isolation-floor.ts) handing each request to one of 10 child
  processes, one request per child at a time, as length-prefixed JSON frames on pipes, and writing the child's
  answer; children in Node.js or in Python call a handler returning the same body. No routing, no events, no logs:
  the most any process-per-request design reaches here. Each function is also shown as a fraction of its
  language's floor ("× its floor"; \`provided\` against the Python floor, its bootstrap being a Python script).
- Portico: \`portico dev bench/projects/functions\`; a Node.js, a Python and a \`provided\` function
  return the same body through payload format 2.0. The \`provided\` function's \`bootstrap\` is
  ${PROVIDED_BOOTSTRAP_NOTE}
- ${s.rounds} round(s); in each, every target is measured at 10 connections for ${s.seconds} s, then at 1 connection
  (\`--latency\`) for ${s.seconds} s, each after a ${s.warmSeconds} s warm-up run at the same concurrency. The order of
  targets rotates from round to round. Ratios to the bare server are taken within a round; tables show medians.
- CPU per request: utime+stime from /proc of the server and every process below it (Portico's gateway
  plus the instances it started) before and after each measured run, divided by the requests served.
- Cold start: ${s.coldSamples} functions per runtime, each on its own route and never invoked before, requested
  once on a warm keep-alive connection, ${s.coldPauseMs} ms apart so Portico's pre-started spare runtime process is back.
- Other processes on the machine add noise (see "other load" per round); spreads of ±20 % between rounds are normal here.
${s.quick ? "- **This was a --quick smoke run: too short to compare with anything.**\n" : ""}
## Warm functions

${warmTables(results)}

## Cold start

${coldTable(results)}

First request: client-side time of the first GET to the function (route → start instance → load handler →
invoke → answer). Init Duration: what Portico reports as the instance's init phase. Warm request: the same
functions requested again in a second pass, with the same pause before each: on this VM a request after an
idle pause pays ~1-2 ms of wake-up latency, so first request − warm request is the cold start's own cost.

## Targets

${goalTable(allGoals(results))}

## Profile of the gateway

${profileSection(results.profile, s.profileSeconds, "each function loaded")}

## Where the rest of the time goes

Every invocation crosses two process boundaries (gateway → instance → gateway), because each instance
is its own OS process serving one request at a time, as in Lambda. At 10 connections that means ten
instance processes, the gateway and wrk sharing 2 cores, and each request wakes a different process.
The gateway's main thread is the bottleneck, so every microsecond taken off that thread is throughput.

On this machine (a virtual AMD EPYC) system calls that wake another process are dear: in a CPU profile of
each front at c=10, the isolation floor's front spends about 74 µs per request, 60 µs of it in its two
writes (the frame to the child, the answer to the client), and 14 µs in JavaScript. Portico's gateway
makes the same system calls per request (strace: two reads, one write, one writev, 0.2 epoll waits) but
spends about 157 µs: 84 µs in those writes and about 73 µs in JavaScript, of which the event built and
encoded as JSON about 6 µs, the collector about 8 µs, and printing START, END and REPORT about 3 µs.

### CPU per request, before and after (an earlier machine)

Two \`portico up --no-observability\` servers serving the same Node.js function side by side, loaded in
turn at c=10 (6 rounds of 4 s each); CPU from /proc, per thread. Before: commit 8fadff2; after: 52d5f8f.
Measured on an Intel Xeon with 2 cores, where the floors reached about 22,000 req/s.

| per request | before | after |
|---|---|---|
| throughput | 10,100 req/s | 11,489 req/s (1.14×) |
| gateway, all threads | 79.8 µs | 70.7 µs |
| of which in the kernel | 22.4 µs | 19.7 µs |
| of which off the main thread (V8's collector) | 4.8 µs | 2.2 µs |
| Node.js instance | 74.6 µs | 64.5 µs |

What changed, each measured on its own:
- \`_X_AMZN_TRACE_ID\` is no longer set through the C library's setenv, which keeps every value it is given
  (150 MB per million invocations) and whose lookups grow with them: the instance's CPU fell by 9 µs.
- The Node.js runtime keeps one \`beforeExit\` listener instead of adding and removing one per invocation.
- Function limits (timeout, memory size) are held per instance for its life, with one timer for the
  earliest deadline, instead of a timer, a promise, a \`Promise.race\` and a memory-watch registration per
  invocation: 1.05× throughput, and the collector's threads halved.

### CPU per request, before and after (this machine)

The same method, on this machine, 12 rounds of 3 s, each pair of servers alone on the machine. Before: commit
436b7a8; after: dee62ba. Throughput is the median of the rounds' ratios; the machine's own drift
between rounds is as large as some of the differences, so the CPU per request is the steadier measure.

| per request | before | after |
|---|---|---|
| \`--no-observability\`: throughput | 1 | 1.32× |
| \`--no-observability\`: CPU, gateway and instances | 330 µs | 278 µs |
| \`--no-observability\`: the gateway's main thread | 144 µs | 122 µs |
| default (observability on): throughput | 1 | 1.10× |
| default: CPU, gateway and instances | 387 µs | 310 µs |
| default: the gateway's main thread | 180 µs | 148 µs |

What changed, from profiles on this machine:
- The Node.js runtime read the context's five environment values through the trace header's view of
  \`process.env\` on every invocation: a tenth of a warm instance's time. It now reads them again only once
  the environment has changed.
- The pool spread an instance's log tags into each invocation's platform-line tags: over half of the pool's
  own time per invocation. They are now spelled out.
- The Python bootstrap made a JSON encoder per frame header and per response, read the context's variables
  through \`os.environ\`'s encoding, and sent an empty log frame per stream after each invocation: its user
  CPU per invocation fell from 33.6 to 31.2 µs (a driver of 30,000 invocations, no gateway).
- The log thread's batches are bounded by bytes rather than by 500 texts, so the gateway wakes that thread
  about ten times a second rather than every 125 requests (the default mode only; see observability.md).

What the profile shows next:
- The gateway allocates about 27 KB per request; the async frames of the request handler, the pool's
  invocation and the integration wait are the largest part, and about 0.5 MB survives each scavenge.
- The integration wait costs about 6 % of throughput (measured by leaving it out), now one promise and one
  timer per request (a \`Promise.race\` more cost 2 %); a deadline table in a \`Set\`, and timers reused with
  \`refresh()\`, each cost more than they saved, in collector time.
- Each instance compiles its hot code with TurboFan during its first ~30 s under load (about 15 µs per
  request at 2–10 s); short runs see it.

### \`portico dev\` before and after its log store kept chunks (this machine)

Two \`portico dev\` servers of this bench's projects side by side, loaded in turn at c=10 (16 rounds of 3 s for
the function, 12 for the service); CPU from /proc. Before: commit f47c26b; after: 335aad8 (the function) and
864a3ba (the service).

| per request | before | after |
|---|---|---|
| Node.js function: throughput (median of the rounds' ratios) | 1 | 1.11× |
| Node.js function: CPU, gateway and instances | 151 µs | 131 µs |
| Node.js function: the gateway | 97 µs | 84 µs |
| service \`app\`: throughput | 1 | 1.09× |
| service \`app\`: CPU, gateway and instance | 145 µs | 134 µs |
| service \`app\`: the gateway | 106 µs | 97 µs |

What changed, from profiles of \`dev\`'s gateway:
- \`dev\` kept its log lines as one record each: every line split out, its JSON parsed, and the record copied
  into the store, on the gateway's thread; the store's \`append\` alone was the fourth-largest entry of the
  profile, and 32 MB of records filled the old generation. It now keeps each batch as one chunk of packed texts,
  as the SQLite store does, and reads lines only when they are queried.
- A service request's Cloud Run log line was an object given to \`JSON.stringify\`, with \`toISOString\` for its
  time: about a tenth of the proxy's time per request. It is written field by field, the time's second
  remembered (2.75 → 1.3 µs alone); the Node.js runtime's log records use the same time.
- Histograms count into series of their own, shown by prom-client's registry: prom-client's Histogram turned a
  child's labels into its key on every observation (1.4 µs per API request).
- Header and query dictionaries are objects whose prototype has nothing above it, not \`Object.create(null)\`,
  which V8 keeps as hash tables that \`JSON.stringify\` writes out about a quarter slower.

${renderPlatformPart(results.platform)}
${renderServicesPart(results.services, s.profileSeconds)}`;
}

export const SERVICES_HEADING = "## Services (Cloud Run model)";

/**
 * The "## Services" part, to the end of the file; a `--services` run renders it alone, with `runNote`
 * saying when and how it was measured.
 */
export function renderServicesPart(
  services: ServicesResults,
  profileSeconds: number,
  runNote?: string,
): string {
  const undici = services.undiciProfile
    ? `\n### Profile of the service proxy on undici\n\n${profileSection(services.undiciProfile, profileSeconds, "service `app` loaded through `app.localhost`, the proxy on undici's Client")}\n`
    : "";
  return `${SERVICES_HEADING}

${runNote ? `${runNote}\n\n` : ""}${servicesSection(services, fmt, spread, table)}

### Profile of the service proxy

${profileSection(services.profile, profileSeconds, "service `app` loaded through `app.localhost`")}
${undici}
### Where the service proxy's time goes

${SERVICE_PROXY_NOTES}
`;
}

/** The console summary: the headline numbers and the targets. */
export function renderSummary(results: BenchResults): string {
  const rows = targetsOf(results).map(({ key, label }) => [
    label,
    fmt.int(median(perRound(results, key, "c10", rps))),
    key === "bare" ? "1.000×" : fmt.ratio(median(vsBare(results, key, "c10", rps, "÷"))),
    fmt.ms(median(perRound(results, key, "c1", p50))),
    key === "bare" ? "—" : fmt.ms(median(vsBare(results, key, "c1", p50, "−"))),
    fmt.us(median(perRound(results, key, "c10", cpuTotal))),
  ]);
  const top = results.profile.windows.map(
    (w) =>
      `  ${w.label}: ${w.top
        .slice(0, 4)
        .map((s) => `${s.name} ${fmt.pct(s.share)}`)
        .join("; ")}`,
  );
  const services = results.services;
  const serviceRows = (["direct", "portico", "nginx"] as const)
    .filter((key) => services.rounds[0]?.runs.has(key))
    .map((key) => [
      key,
      fmt.int(median(servicePerRound(services, key, "c10", serviceRps))),
      fmt.ratio(median(serviceVs(services, key, "direct", "c10", serviceRps, "÷"))),
      fmt.ms(median(servicePerRound(services, key, "c1", serviceP50))),
      key === "direct" ? "—" : fmt.ms(median(serviceVs(services, key, "direct", "c1", serviceP50, "−"))),
    ]);
  return [
    `${results.machine.nproc} cores, Node.js ${results.machine.node}, ${results.settings.rounds} × ${results.settings.seconds} s`,
    table(["target", "req/s c=10", "× bare", "p50 c=1", "p50 added", "CPU µs/req c=10"], rows),
    "",
    table(["service path", "req/s c=10", "× direct", "p50 c=1", "p50 added"], serviceRows),
    services.nginxMissing ? `nginx not measured: ${services.nginxMissing}` : "",
    table(
      ["cold start", "p50", "p90"],
      results.coldStarts.map((c) => [
        c.runtime.label,
        fmt.ms(median(c.firstMs)),
        fmt.ms(percentile(c.firstMs, 90)),
      ]),
    ),
    "",
    renderPlatformSummary(results.platform),
    "",
    goalTable(allGoals(results)),
    "",
    results.profile.problem ?? `Top gateway self time at c=10:\n${top.join("\n")}`,
  ].join("\n");
}

/** Why the `provided` bootstrap is the Python one (measured when the harness was written, 2026-11-25). */
const PROVIDED_BOOTSTRAP_NOTE = `a Python stdlib script (http.client, one keep-alive connection, run by /usr/bin/python3
  directly, since \`/usr/bin/env python3\` may be a pyenv shim costing ~90 ms per start). The same client on
  node:http with a keep-alive Agent was slower in two alternating 5 s runs each: 1.58k vs 2.0k req/s at c=10,
  934 vs 690 µs CPU per request, cold start p50 72-76 ms vs 37-39 ms, and the same ~0.7 ms p50 at c=1.`;
