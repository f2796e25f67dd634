/**
 * Cold starts: the first request to a function that has no instance yet. A generated project holds
 * many identical functions, each on its own route, so every sample is a first request; samples are
 * spaced out so Portico's pre-started spare process is back before the next one.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type RunningServer, startPortico } from "./servers.js";

export interface BenchRuntime {
  /** Route and function-name part, also the code directory under bench/projects/functions/. */
  readonly key: string;
  readonly label: string;
  readonly runtime: string;
  readonly handler?: string;
}

export interface ColdStartSamples {
  readonly runtime: BenchRuntime;
  /** Client-side time of the first request, ms. */
  readonly firstMs: number[];
  /**
   * The same function again, after the same pause, now warm: the reference. On this VM a request
   * after an idle pause pays ~1-2 ms of wake-up latency that back-to-back requests do not.
   */
  readonly warmMs: number[];
  /** Portico's own `Init Duration` from the REPORT line of each first request. */
  readonly initMs: number[];
}

const REQUEST_TIMEOUT_MS = 10_000;

export async function measureColdStarts(
  runtimes: readonly BenchRuntime[],
  functionsDir: string,
  options: { samples: number; pauseMs: number },
): Promise<ColdStartSamples[]> {
  const projectDir = await mkdtemp(join(tmpdir(), "portico-bench-cold-"));
  try {
    await writeProject(projectDir, runtimes, functionsDir, options.samples);
    const portico = await startPortico(projectDir);
    try {
      return await sample(portico, runtimes, options);
    } finally {
      await portico.process.stop();
    }
  } finally {
    await rm(projectDir, { recursive: true, force: true });
  }
}

async function sample(
  portico: RunningServer,
  runtimes: readonly BenchRuntime[],
  options: { samples: number; pauseMs: number },
): Promise<ColdStartSamples[]> {
  const initMs = new Map<string, number>();
  const stopListening = portico.process.onLine((line) => {
    const match = /^\[(cold-[^\]]+)\] REPORT .*Init Duration: ([\d.]+) ms/.exec(line);
    if (match) initMs.set(match[1] as string, Number(match[2]));
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // Opens the keep-alive connection (a 404 from the gateway), so samples do not include the TCP connect.
    await get(agent, `${portico.origin}/not-a-route`);
    const results = runtimes.map(
      (runtime) => ({ runtime, firstMs: [], warmMs: [], initMs: [] }) as ColdStartSamples,
    );
    for (const pass of ["firstMs", "warmMs"] as const) {
      for (let i = 0; i < options.samples; i++) {
        for (const result of results) {
          await sleep(options.pauseMs);
          result[pass].push(await getOk(agent, `${portico.origin}/${result.runtime.key}/${i}`));
        }
      }
    }
    // REPORT lines are printed before the response is sent, but may be read after it.
    const expected = options.samples * runtimes.length;
    for (let waited = 0; initMs.size < expected && waited < 2_000; waited += 50) await sleep(50);
    for (const result of results) {
      for (let i = 0; i < options.samples; i++) {
        result.initMs.push(initMs.get(functionName(result.runtime, i)) ?? Number.NaN);
      }
    }
    return results;
  } finally {
    stopListening();
    agent.destroy();
  }
}

function functionName(runtime: BenchRuntime, index: number): string {
  return `cold-${runtime.key}-${index}`;
}

async function writeProject(
  dir: string,
  runtimes: readonly BenchRuntime[],
  functionsDir: string,
  samples: number,
): Promise<void> {
  let functions = "";
  let routes = "";
  for (const runtime of runtimes) {
    for (let i = 0; i < samples; i++) {
      const name = functionName(runtime, i);
      functions += `  ${name}:\n    runtime: ${runtime.runtime}\n    code: ${JSON.stringify(join(functionsDir, runtime.key))}\n`;
      if (runtime.handler) functions += `    handler: ${runtime.handler}\n`;
      routes += `      GET /${runtime.key}/${i}: ${name}\n`;
    }
  }
  await writeFile(
    join(dir, "portico.yaml"),
    `functions:\n${functions}apis:\n  cold:\n    routes:\n${routes}`,
  );
}

/** Time of one GET in ms; fails unless it answers 200. */
async function getOk(agent: Agent, url: string): Promise<number> {
  const startedAt = performance.now();
  const { status, body } = await get(agent, url);
  const ms = performance.now() - startedAt;
  if (status !== 200) throw new Error(`GET ${url} answered ${status}: ${body}`);
  return ms;
}

function get(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
