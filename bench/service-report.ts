/** Renders the services part of docs/benchmarks.md: proxy throughput and latency vs direct and nginx, cold start. */
import type { Goal } from "./results.js";
import {
  coldStartOverheadMs,
  SERVICE_TARGETS,
  type ServicesResults,
  type ServiceTargetKey,
  serviceP50,
  serviceP99,
  servicePerRound,
  serviceRps,
  serviceVs,
} from "./service-results.js";
import { median, percentile } from "./stats.js";

export interface Format {
  int(n: number): string;
  ms(n: number): string;
  ratio(n: number): string;
  us(n: number): string;
  cores(n: number): string;
}

type Spread = (values: number[], format: (n: number) => string) => string;
type Table = (header: string[], rows: string[][]) => string;

/** Portico's service proxy targets, checked against this run; the nginx ratio is NaN when nginx was not measured. */
export function serviceGoals(services: ServicesResults): Goal[] {
  const overNginx = median(serviceVs(services, "portico", "nginx", "c10", serviceRps, "÷"));
  const added = median(serviceVs(services, "portico", "direct", "c1", serviceP50, "−"));
  const cold = coldStartOverheadMs(services);
  return [
    {
      what: "Service proxy req/s at c=10, × nginx",
      value: overNginx,
      goal: 0.75,
      atLeast: true,
      unit: "×",
      pass: overNginx >= 0.75,
    },
    {
      what: "Service proxy p50 added at c=1 vs direct",
      value: added,
      goal: 0.2,
      atLeast: false,
      unit: "ms",
      pass: added <= 0.2,
    },
    {
      what: "Service cold start above the app's own start-up, p50",
      value: cold,
      goal: 100,
      atLeast: false,
      unit: "ms",
      pass: cold <= 100,
    },
  ];
}

export function servicesSection(
  services: ServicesResults,
  fmt: Format,
  spread: Spread,
  table: Table,
): string {
  const measured = SERVICE_TARGETS.filter(({ key }) => services.rounds[0]?.runs.has(key));
  const vs = (key: ServiceTargetKey, base: ServiceTargetKey, conns: "c10" | "c1") =>
    key === base ? "1.000×" : spread(serviceVs(services, key, base, conns, serviceRps, "÷"), fmt.ratio);
  const hasNginx = measured.some(({ key }) => key === "nginx");
  const c10 = measured.map(({ key, label }) => [
    label,
    spread(servicePerRound(services, key, "c10", serviceRps), fmt.int),
    vs(key, "direct", "c10"),
    hasNginx ? vs(key, "nginx", "c10") : "not measured",
    spread(servicePerRound(services, key, "c10", serviceP50), fmt.ms),
    spread(servicePerRound(services, key, "c10", serviceP99), fmt.ms),
    key === "direct" ? "—" : fmt.us(median(servicePerRound(services, key, "c10", (m) => m.proxyUs))),
    fmt.us(median(servicePerRound(services, key, "c10", (m) => m.appUs))),
  ]);
  const c1 = measured.map(({ key, label }) => [
    label,
    spread(servicePerRound(services, key, "c1", serviceRps), fmt.int),
    spread(servicePerRound(services, key, "c1", serviceP50), fmt.ms),
    key === "direct" ? "—" : spread(serviceVs(services, key, "direct", "c1", serviceP50, "−"), fmt.ms),
    spread(servicePerRound(services, key, "c1", serviceP99), fmt.ms),
    key === "direct" ? "—" : fmt.us(median(servicePerRound(services, key, "c1", (m) => m.proxyUs))),
  ]);
  const { firstByteMs, appStartMs } = services.coldStart;
  const nginxNote = services.nginx
    ? `nginx: ${services.nginx} (Debian's /usr/sbin/nginx), one worker, run as the current user from a temporary prefix.`
    : `**nginx was not measured: ${services.nginxMissing ?? "unknown reason"}**; its ratios are "not measured".`;
  return [
    "The same tiny node:http app (bench/projects/services/app/server.js, answering the bare server's body) is",
    "reached three ways in the same rounds, each with `Host: app.localhost`: directly; through Portico's service",
    "proxy (`portico dev bench/projects/services`, the app as service `app`, its own instance of the same",
    "script); and through nginx as a reverse proxy with keep-alive upstream connections (`proxy_http_version 1.1`,",
    '`proxy_set_header Connection ""`, `keepalive 64`, plus the X-Forwarded-For/Proto/Host headers Portico',
    `adds too) in front of the direct app. ${nginxNote}`,
    ...(measured.some(({ key }) => key === "undici")
      ? ["With `--undici`, a fourth: the same `portico dev` with its proxy on undici's Client (see below)."]
      : []),
    "Proxy CPU: Portico's gateway process, or nginx's master and worker; app CPU: the app process behind it.",
    "\n### 10 connections\n",
    table(["path", "req/s", "× direct", "× nginx", "p50", "p99", "proxy CPU µs/req", "app CPU µs/req"], c10),
    "\n### 1 connection\n",
    table(["path", "req/s", "p50", "p50 added vs direct", "p99", "proxy CPU µs/req"], c1),
    "\n### Every round (req/s at c=10; p50 at c=1)\n",
    table(
      ["round", ...measured.map((t) => t.label), "Portico × nginx", "other load", "steal"],
      services.rounds.map((round, i) => {
        const portico = round.runs.get("portico")?.c10.wrk.rps ?? Number.NaN;
        const nginx = round.runs.get("nginx")?.c10.wrk.rps ?? Number.NaN;
        return [
          String(i + 1),
          ...measured.map(({ key }) => {
            const runs = round.runs.get(key);
            return runs ? `${fmt.int(runs.c10.wrk.rps)}; ${fmt.ms(runs.c1.wrk.p50Ms)}` : "—";
          }),
          hasNginx ? fmt.ratio(portico / nginx) : "not measured",
          fmt.cores(round.otherCores),
          fmt.cores(round.stealCores),
        ];
      }),
    ),
    ...upstreamComparison(services, fmt, spread, table),
    "\n### Why the service proxy parses with Node.js's own parser\n",
    PARSER_CHOICE,
    "\n### Cold start of a scaled-to-zero service\n",
    table(
      ["", "p50", "p90", "samples"],
      [
        [
          "first byte of a request to a service with no instance (client side)",
          fmt.ms(median(firstByteMs)),
          fmt.ms(percentile(firstByteMs, 90)),
          String(firstByteMs.length),
        ],
        [
          "the app alone: spawn until its port accepts a connection",
          fmt.ms(median(appStartMs)),
          fmt.ms(percentile(appStartMs, 90)),
          String(appStartMs.length),
        ],
        ["Portico's part: the difference of the medians", fmt.ms(coldStartOverheadMs(services)), "", ""],
      ],
    ),
    "",
    "Service `cold` (the same app, `idleTimeout: 1`) is requested once its instance has stopped (the app",
    "prints `stopping` on SIGTERM), on a keep-alive connection to the gateway that is already open. Portico's",
    "part is choosing a port, spawning the process, its startup probe (a TCP connect every 5 ms in the",
    "first second, then every 50 ms as Knative's queue-proxy does), opening a connection and forwarding",
    "the request.",
  ].join("\n");
}

/** What profiling the service proxy showed, and what changed because of it (measured 2026-11-25). */
export const SERVICE_PROXY_NOTES = `Measured on this machine while rewriting src/services/service-proxy.ts, with the gateway (GatewayServer)
and the proxy in one process in front of the app above, at c=10 (CPU: the gateway process, from /proc):

| proxy implementation | gateway CPU µs/req | req/s × nginx |
|---|---|---|
| undici \`Pool.request\` + \`stream.pipeline\` (before) | 180-216 | ~0.15 (4.5k vs ~30k) |
| undici \`dispatch\` with a handler, flat header arrays, one timer, pooled random bytes | 52-61 | ~0.6 |
| raw keep-alive sockets + Node's own llhttp parser, socket \`data\` events | 39-42 | 0.67-0.79 |
| the same, reads into one buffer per connection (\`onread\`) (now) | 37-42 | 0.81-0.91 |
| floor: the gateway answering by itself, no proxy | 16-18 | — |

- The profile before the change (\`--cpu-prof\`, wall clock): the answer went out in two writes (\`flushHeaders\`,
  then the body through \`pipeline\`), so each request cost three socket writes instead of two;
  \`AbortSignal.timeout\` per request (its DOMException and listeners) took ~8 % of the busy samples, two
  \`randomBytes\` calls per request for the traceparent 5.6 %, the stream pipeline and end-of-stream
  machinery most of the rest.
- Now the request head is one string written in one call, the answer is parsed by llhttp (the parser
  node:http uses) and relayed once per read, so a small answer (head and body in one read) is one
  \`writeHead\` + \`end\`, one system call; the request timeout is one timer; trace ids come from a 4 KiB
  pool of random bytes. Bodies still stream both ways chunk by chunk, with backpressure.
- The gateway's single thread is the limit at c=10: throughput ≈ 1 / its CPU per request. Of the ~40 µs,
  ~17 µs is node:http serving the client (the floor row), the rest the hop to the instance; \`perf\` puts
  ~46 % of the gateway's CPU in the kernel (loopback TCP, waking the other process), ~11 % in JIT code,
  the rest in Node.js and V8 internals (llhttp, stream writes, header validation in \`writeHead\`).
- The gateway takes the service branch before any API work (no clock read); the service path still
  awaits the traffic pick and \`acquire()\`, a few promise allocations per request (< 1 µs). A bigger
  step would be for the proxy to own the client socket of a service request, skipping
  \`ServerResponse\` (~10 µs of the floor).
- Cold start: the startup probe connects every 5 ms during an instance's first second, then every
  50 ms (src/services/startup-probe.ts); at 50 ms throughout, ~25 ms of the difference above was
  waiting for the next probe.`;

/** Node.js's parser against undici's Client as the proxy's upstream, when the run measured both. */
function upstreamComparison(services: ServicesResults, fmt: Format, spread: Spread, table: Table): string[] {
  if (!services.rounds[0]?.runs.has("undici")) return [];
  const ratio = serviceVs(services, "undici", "portico", "c10", serviceRps, "÷");
  const cpu = (key: ServiceTargetKey, conns: "c10" | "c1") =>
    fmt.us(median(servicePerRound(services, key, conns, (m) => m.proxyUs)));
  const row = (key: ServiceTargetKey, label: string) => [
    label,
    spread(servicePerRound(services, key, "c10", serviceRps), fmt.int),
    key === "portico" ? "1.000×" : spread(ratio, fmt.ratio),
    cpu(key, "c10"),
    spread(servicePerRound(services, key, "c1", serviceP50), fmt.ms),
    cpu(key, "c1"),
  ];
  return [
    `\n### The proxy's upstream: Node.js's parser or undici ${services.undiciVersion ?? ""}\n`,
    "Two `portico dev` processes measured back to back in every round, taking turns going first: one as",
    "shipped, reading answers with Node.js's llhttp through `_http_common`, and one with",
    "bench/undici-preload.ts, whose proxy dispatches each request to an undici `Pool` for the instance (a",
    "`Client` per connection, pipelining 1) with a raw `onHeaders`/`onData` handler. Ratios are taken",
    "within each round, then their median is shown.\n",
    table(
      [
        "upstream",
        "req/s c=10",
        "× Node.js's parser",
        "proxy CPU µs/req c=10",
        "p50 c=1",
        "proxy CPU µs/req c=1",
      ],
      [row("portico", "Node.js's parser (shipped)"), row("undici", "undici `Pool` + `dispatch`")],
    ),
    "",
    table(
      ["round", "Node.js's parser req/s", "undici req/s", "undici ÷ parser", "measured first"],
      services.rounds.map((round, i) => {
        const parser = round.runs.get("portico")?.c10.wrk.rps ?? Number.NaN;
        const undici = round.runs.get("undici")?.c10.wrk.rps ?? Number.NaN;
        const keys = [...round.runs.keys()];
        const first = keys.indexOf("portico") < keys.indexOf("undici") ? "parser" : "undici";
        return [String(i + 1), fmt.int(parser), fmt.int(undici), fmt.ratio(undici / parser), first];
      }),
    ),
  ];
}

/** Why the proxy keeps Node.js's internal parser rather than undici (measured 2026-12-04). */
const PARSER_CHOICE = `The proxy reads instances' answers with \`HTTPParser\` from \`node:_http_common\`: llhttp, the parser
node:http itself runs on, reached through a module internal to Node.js, with no stability promise.
undici's \`Client\` is the public, maintained alternative, so it was measured behind the same seam
(\`InstanceUpstream\`, src/services/service-proxy.ts) doing the same work: undici 7.30.3 (which supports
Node.js 20), a \`Pool\` per instance with a \`Client\` per connection and pipelining 1, each request sent
with \`dispatch\` and a raw handler (headers as undici read them, body chunks kept without a copy) and
relayed by the same exchange code once per read (bench/undici-upstream.ts).

- In \`npm run bench -- --services --undici\` on 2026-12-04 (16 rounds of 5 s, the two back to back in
  each round, taking turns going first), undici reached a median **0.74×** the shipped parser's
  throughput at 10 connections (0.36×–1.22× from round to round, 0.90× or more in 2 of 16), and the
  gateway spent 125 µs of CPU per request on undici against 82 µs; at 1 connection, 168 against 135 µs
  and a p50 of 0.240 against 0.176 ms. Under the profiler, one after the other: 11.5k against 14.7k
  req/s, 78 against 60 µs per request. The bar for switching was 0.90×. Other engineers' builds and
  tests took 0.2-1.5 of the machine's 2 cores during that run, hence the spread; an earlier run the same
  day, with 1.6-1.8 cores taken, gave 0.69× (10 rounds), and the earlier rewrite, on a quiet machine,
  measured the same gap (52-61 µs per request with undici's \`dispatch\`, 37-42 µs with the parser; the
  table below).
- The handler is used as undici's fastest path allows (\`dispatch\`, the raw \`onHeaders\`/\`onData\`
  handler that undici calls without wrapping it, one \`Pool\` per instance reused for every request).
  The rest is undici's own machinery, 8-12 % of the gateway's busy time in the profiles (\`npm: undici\`)
  where the parser's \`execute\` takes about 2 %: a \`Request\` object per request that checks every
  header name and value again (node:http already did when the client sent them), its queue and the
  event-loop turn before a kept-alive connection takes the next request, socket reads through the stream
  machinery (\`readable\` + \`read()\`), and llhttp compiled to WebAssembly, each read copied into its
  memory and each header name and value handed to JavaScript on its own. The parser here reads into one
  buffer per connection (\`onread\`) and gets the whole head in one callback.
- So Portico keeps the internal parser. It is looked up once, when the first revision is prepared: on a
  Node.js without it, that deploy (at start-up, for a configured service) fails with \`NODE_HTTP_PARSER_MISSING\`, saying to run a supported
  Node.js version (src/services/http-response-parser.ts). undici is a devDependency for this comparison
  alone; rerun it with \`npm run bench -- --services --undici\` before revisiting the choice. On undici,
  two details of the proxy's unit tests would change: a request body that has arrived whole before undici
  writes the request goes out with a Content-Length instead of chunked, and a request may take a new
  connection while a kept-alive one is idle, since the pool picks it.`;
