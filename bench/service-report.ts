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
