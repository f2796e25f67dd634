/**
 * Services (Cloud Run model): one tiny node:http app (bench/projects/services/app/server.js) reached
 * directly, through Portico's service proxy (`portico dev`, Host app.localhost) and through nginx with
 * keep-alive upstream connections, in rounds at 10 and 1 connections; then the cold start of a
 * scaled-to-zero service, against the same app's own start-up time. With `compareUndici`, a second
 * `portico dev` whose proxy runs on undici's Client (bench/undici-preload.ts) is measured in the same
 * rounds, so the two upstream implementations can be compared.
 */
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { nginxVersion, startNginx } from "./nginx.js";
import { startNoiseWatch } from "./noise.js";
import { freePort, waitForPort } from "./ports.js";
import { serverCpu } from "./proc-cpu.js";
import { BenchProcess } from "./processes.js";
import { profilePortico } from "./profile.js";
import type { Settings } from "./results.js";
import { type RunningServer, repoRoot, serviceUrlLine, startPortico } from "./servers.js";
import type {
  ServiceMeasurement,
  ServiceRound,
  ServicesResults,
  ServiceTargetKey,
} from "./service-results.js";
import { runWrk } from "./wrk.js";

export const SERVICES_DIR = join(repoRoot, "bench", "projects", "services");
const APP_SCRIPT = join(SERVICES_DIR, "app", "server.js");
/** The warm service; `cold` (idleTimeout 1 s) is the one measured scaled to zero. */
const HOST = "app.localhost";
const COLD_HOST = "cold.localhost";
const EXPECTED_BODY = JSON.stringify({ ok: true, msg: "hello", path: "/" });
const REQUEST_TIMEOUT_MS = 10_000;
/** The cold service's idle instance stops 1-1.25 s after its last request (idleTimeout 1, reaped every 250 ms). */
const SCALED_TO_ZERO_TIMEOUT_MS = 10_000;
/** Preloaded into `portico dev` (`node --import`) to run its service proxy on undici; this file is dist/bench/services.js. */
const UNDICI_PRELOAD = new URL("./undici-preload.js", import.meta.url).href;

interface ServiceTarget {
  readonly key: ServiceTargetKey;
  readonly url: string;
  /** Process groups whose CPU is the proxy's, and the app's. */
  readonly proxy: readonly BenchProcess[];
  readonly app: readonly BenchProcess[];
  /** For Portico the app is its instance: a child process of the gateway, in a group of its own. */
  readonly appIsProxyChildren?: boolean;
}

type Log = (message: string) => void;

export interface ServiceBenchOptions {
  /** Also measure the service proxy on undici's Client, alternating with the current one. */
  readonly compareUndici: boolean;
}

export async function measureServices(
  settings: Settings,
  log: Log,
  options: ServiceBenchOptions,
): Promise<ServicesResults> {
  const app = await startApp("0");
  const version = nginxVersion();
  let nginxMissing: string | undefined = version ? undefined : "/usr/sbin/nginx is not installed";
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  let portico: RunningServer | undefined;
  let undici: RunningServer | undefined;
  try {
    if (version) {
      nginx = await startNginx(app.port).catch((error: unknown) => {
        nginxMissing = (error as Error).message.split("\n")[0];
        return undefined;
      });
    }
    if (nginxMissing) log(`services: nginx not measured: ${nginxMissing}`);
    portico = await startPortico(SERVICES_DIR, [], serviceUrlLine("app"));
    if (options.compareUndici) {
      undici = await startPortico(SERVICES_DIR, ["--import", UNDICI_PRELOAD], serviceUrlLine("app"));
    }
    const targets: ServiceTarget[] = [
      { key: "direct", url: `${app.origin}/`, proxy: [], app: [app.process] },
      {
        key: "portico",
        url: `${portico.origin}/`,
        proxy: [portico.process],
        app: [portico.process],
        appIsProxyChildren: true,
      },
      ...(nginx
        ? [{ key: "nginx" as const, url: `${nginx.origin}/`, proxy: [nginx.process], app: [app.process] }]
        : []),
      ...(undici
        ? [
            {
              key: "undici" as const,
              url: `${undici.origin}/`,
              proxy: [undici.process],
              app: [undici.process],
              appIsProxyChildren: true,
            },
          ]
        : []),
    ];
    for (const target of targets) await checkAnswer(target.url, HOST);
    const servers = [app, portico, ...(nginx ? [nginx] : []), ...(undici ? [undici] : [])];
    const rounds: ServiceRound[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      const order = roundOrder(targets, round);
      const runs: ServiceRound["runs"] = new Map();
      const noise = startNoiseWatch(servers);
      for (const target of order) {
        const c10 = await measure(target, 10, settings);
        const c1 = await measure(target, 1, settings);
        runs.set(target.key, { c10, c1 });
        log(
          `services round ${round + 1}/${settings.rounds} ${target.key.padEnd(8)} ` +
            `c=10 ${Math.round(c10.wrk.rps)} req/s, c=1 p50 ${c1.wrk.p50Ms.toFixed(3)} ms`,
        );
      }
      rounds.push({ runs, ...noise() });
    }
    await undici?.process.stop();
    undici = undefined;
    log(`services: cold start, ${settings.coldSamples} samples`);
    const coldStart = await measureColdStart(portico, settings.coldSamples);
    await portico.process.stop();
    portico = undefined;
    log(`services: profile of portico dev under --cpu-prof, ${settings.profileSeconds} s at c=10`);
    const profileOptions = {
      seconds: settings.profileSeconds,
      warmSeconds: settings.warmSeconds,
      connections: 10,
      urlLine: serviceUrlLine("app"),
    };
    const target = { label: "service app", path: "/", host: HOST };
    const profile = await profilePortico(SERVICES_DIR, [target], profileOptions);
    let undiciProfile: ServicesResults["undiciProfile"];
    if (options.compareUndici) {
      log(`services: the same profile with the proxy on undici`);
      undiciProfile = await profilePortico(SERVICES_DIR, [{ ...target, label: "service app, undici" }], {
        ...profileOptions,
        nodeArgs: ["--import", UNDICI_PRELOAD],
      });
    }
    return {
      nginx: nginx ? version : undefined,
      nginxMissing,
      rounds,
      coldStart,
      profile,
      ...(options.compareUndici ? { undiciVersion: undiciVersion(), undiciProfile } : {}),
    };
  } finally {
    await undici?.process.stop();
    await portico?.process.stop();
    await nginx?.stop();
    await app.process.stop();
  }
}

function undiciVersion(): string {
  return (createRequire(import.meta.url)("undici/package.json") as { version: string }).version;
}

/**
 * The targets in the order round `round` measures them, rotated from round to round. The two Portico
 * upstreams, when both are measured, run back to back (the closest in time on a machine whose load
 * drifts), and take turns going first.
 */
function roundOrder(targets: readonly ServiceTarget[], round: number): ServiceTarget[] {
  const pair = targets.filter(({ key }) => key === "portico" || key === "undici");
  if (round % 2 === 1) pair.reverse();
  const units = targets.flatMap((target) =>
    target.key === "undici" ? [] : target.key === "portico" ? [pair] : [[target]],
  );
  const shift = round % units.length;
  return [...units.slice(shift), ...units.slice(0, shift)].flat();
}

/** The app alone, as Portico starts it (node server.js with PORT); PORT=0 lets it pick a free port. */
async function startApp(port: string): Promise<RunningServer & { port: number }> {
  const process = new BenchProcess("service app", globalThis.process.execPath, [APP_SCRIPT], {
    cwd: join(SERVICES_DIR, "app"),
    env: { ...globalThis.process.env, PORT: port },
  });
  try {
    const [, listening] = await process.waitFor(/^listening on (\d+)$/);
    return { process, origin: `http://127.0.0.1:${listening}`, port: Number(listening) };
  } catch (error) {
    await process.stop();
    throw error;
  }
}

async function measure(
  target: ServiceTarget,
  connections: number,
  settings: Settings,
): Promise<ServiceMeasurement> {
  await runWrk(target.url, connections, settings.warmSeconds, HOST);
  const before = cpuOf(target);
  const wrk = await runWrk(target.url, connections, settings.seconds, HOST);
  const after = cpuOf(target);
  const perRequest = (ms: number) => (ms * 1000) / Math.max(wrk.requests, 1);
  return {
    wrk,
    proxyUs: perRequest(after.proxyMs - before.proxyMs),
    appUs: perRequest(after.appMs - before.appMs),
  };
}

function cpuOf(target: ServiceTarget): { proxyMs: number; appMs: number } {
  if (target.appIsProxyChildren) {
    const tree = serverCpu((target.proxy[0] as BenchProcess).pid);
    return { proxyMs: tree.leaderMs, appMs: tree.othersMs };
  }
  const total = (processes: readonly BenchProcess[]) =>
    processes.reduce((sum, process) => {
      const cpu = serverCpu(process.pid);
      return sum + cpu.leaderMs + cpu.othersMs;
    }, 0);
  return { proxyMs: total(target.proxy), appMs: total(target.app) };
}

/**
 * Each sample: the app started alone (spawn until its port accepts a connection), then one request to
 * the `cold` service once its instance has stopped, timed to the first byte of the answer.
 */
async function measureColdStart(
  portico: RunningServer,
  samples: number,
): Promise<ServicesResults["coldStart"]> {
  const stops: number[] = [];
  const stopListening = portico.process.onLine((line) => {
    if (/^\[cold\] .*: stopping$/.test(line)) stops.push(performance.now());
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const firstByteMs: number[] = [];
  const appStartMs: number[] = [];
  try {
    // Opens the keep-alive connection through the warm service, so samples do not include a TCP connect.
    await get(agent, `${portico.origin}/`, HOST);
    // The cold service may still hold the instance its deploy started: one request, then wait for it to stop.
    await get(agent, `${portico.origin}/`, COLD_HOST);
    for (let i = 0; i < samples; i++) {
      await scaledToZero(stops, portico);
      appStartMs.push(await appStart());
      firstByteMs.push((await get(agent, `${portico.origin}/`, COLD_HOST)).firstByteMs);
    }
    await scaledToZero(stops, portico);
    return { firstByteMs, appStartMs };
  } finally {
    stopListening();
    agent.destroy();
  }
}

/** Waits for the next "stopping" line of the cold service's instance. */
async function scaledToZero(stops: number[], portico: RunningServer): Promise<void> {
  const deadline = performance.now() + SCALED_TO_ZERO_TIMEOUT_MS;
  while (stops.length === 0) {
    if (performance.now() > deadline) {
      throw new Error(
        `the cold service did not scale to zero within ${SCALED_TO_ZERO_TIMEOUT_MS} ms:\n${portico.process.tail()}`,
      );
    }
    await sleep(20);
  }
  stops.length = 0;
  // Lets the stopped instance's process exit before the next sample.
  await sleep(200);
}

/** Spawn of the app until its port accepts a connection, probed every millisecond, ms. */
async function appStart(): Promise<number> {
  const port = await freePort();
  const startedAt = performance.now();
  const process = new BenchProcess("service app (start-up)", globalThis.process.execPath, [APP_SCRIPT], {
    cwd: join(SERVICES_DIR, "app"),
    env: { ...globalThis.process.env, PORT: String(port) },
  });
  try {
    await waitForPort(port, REQUEST_TIMEOUT_MS, () => process.hasExited, 1);
    return performance.now() - startedAt;
  } finally {
    await process.stop();
  }
}

/** Each target must answer the app's body before it is measured. */
async function checkAnswer(url: string, host: string): Promise<void> {
  const agent = new Agent({ keepAlive: false });
  try {
    await get(agent, url, host);
  } finally {
    agent.destroy();
  }
}

/** One GET with `host` as its Host header; fails unless it answers 200 with the app's body. */
function get(agent: Agent, url: string, host: string): Promise<{ firstByteMs: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const req = request(
      url,
      { agent, headers: { host }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
      (response) => {
        const firstByteMs = performance.now() - startedAt;
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => {
          if (response.statusCode === 200 && body === EXPECTED_BODY) resolve({ firstByteMs });
          else reject(new Error(`GET ${url} (Host ${host}) answered ${response.statusCode}: ${body}`));
        });
        response.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}
