/**
 * Deploy to serving: a one-function project redeployed with a changed answer each round, timed from the start
 * of `portico deploy` (a new Node.js process, as users run it) and from the start of packing and uploading in
 * this process, to the first 200 carrying the new answer at its route.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { Agent } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { deployWithCli, getRoute, timeNode, uploadProject } from "./platform-client.js";
import type { RunningPorticoServer } from "./servers.js";
import { cliPath } from "./servers.js";

export interface DeploySample {
  /** `portico deploy` from spawn to exit: Node.js start-up, module loading, packing, the upload. */
  readonly cliMs: number;
  /** From the spawn of `portico deploy` to the first 200 with the new answer. */
  readonly cliServingMs: number;
  readonly packMs: number;
  readonly uploadMs: number;
  /** From the start of packing, in this process, to the first 200 with the new answer. */
  readonly uploadServingMs: number;
  /** Answers from the version before, after the deploy had returned: the switch is late if any. */
  readonly staleAnswers: number;
}

export interface DeployTimes {
  readonly samples: readonly DeploySample[];
  /** `portico --version`: starting Node.js and loading the CLI's modules, nothing else. */
  readonly cliStartMs: readonly number[];
  /** `node -e 0`: starting Node.js alone. */
  readonly nodeStartMs: readonly number[];
  readonly pauseMs: number;
}

export interface DeployTimeOptions {
  readonly rounds: number;
  /** Between deploys, so the spare runtime process a deploy took is back, as between real deploys. */
  readonly pauseMs: number;
  readonly startSamples: number;
}

const PROJECT = "deploy-time";
const HOST = `${PROJECT}.localhost`;
const ROUTE = "/hello";
const SERVING_LIMIT_MS = 5_000;

export async function measureDeployTime(
  server: RunningPorticoServer,
  workDir: string,
  options: DeployTimeOptions,
): Promise<DeployTimes> {
  const dir = join(workDir, PROJECT);
  await writeProject(dir);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // The first deploy creates the project; every measured one replaces a version that serves.
    await writeAnswer(dir, "first");
    await uploadProject(server.admin, dir, PROJECT);
    await servingWithin(agent, server, "first");
    const samples: DeploySample[] = [];
    for (let round = 0; round < options.rounds; round++) {
      await sleep(options.pauseMs);
      await writeAnswer(dir, `cli ${round}`);
      const cliStartedAt = performance.now();
      const cliMs = await deployWithCli(server.admin, dir, PROJECT);
      const cliStale = await servingWithin(agent, server, `cli ${round}`);
      const cliServingMs = performance.now() - cliStartedAt;

      await sleep(options.pauseMs);
      await writeAnswer(dir, `upload ${round}`);
      const uploadStartedAt = performance.now();
      const { packMs, uploadMs } = await uploadProject(server.admin, dir, PROJECT);
      const uploadStale = await servingWithin(agent, server, `upload ${round}`);
      const uploadServingMs = performance.now() - uploadStartedAt;
      samples.push({
        cliMs,
        cliServingMs,
        packMs,
        uploadMs,
        uploadServingMs,
        staleAnswers: cliStale + uploadStale,
      });
    }
    const cliStartMs: number[] = [];
    const nodeStartMs: number[] = [];
    for (let i = 0; i < options.startSamples; i++) {
      cliStartMs.push(await timeNode([cliPath, "--version"], "portico --version"));
      nodeStartMs.push(await timeNode(["-e", "0"], "node -e 0"));
    }
    return { samples, cliStartMs, nodeStartMs, pauseMs: options.pauseMs };
  } finally {
    agent.destroy();
  }
}

/**
 * GETs the route back to back until it answers `answer`; answers how many requests got something else first.
 * `portico deploy` returns once the gateway has switched, so this should be none.
 */
async function servingWithin(agent: Agent, server: RunningPorticoServer, answer: string): Promise<number> {
  const deadline = performance.now() + SERVING_LIMIT_MS;
  for (let stale = 0; ; stale++) {
    const { status, body } = await getRoute(agent, server.origin, HOST, ROUTE);
    if (status === 200 && body === answer) return stale;
    if (performance.now() > deadline) {
      throw new Error(
        `${HOST}${ROUTE} still answered ${status} ${body} ${SERVING_LIMIT_MS} ms after a deploy`,
      );
    }
  }
}

async function writeProject(dir: string): Promise<void> {
  await mkdir(join(dir, "fn"), { recursive: true });
  await writeFile(
    join(dir, "portico.yaml"),
    `functions:\n  ${PROJECT}:\n    runtime: nodejs20.x\n    handler: index.handler\n    code: fn\n` +
      `apis:\n  ${PROJECT}:\n    routes:\n      GET ${ROUTE}: ${PROJECT}\n`,
  );
}

function writeAnswer(dir: string, answer: string): Promise<void> {
  return writeFile(
    join(dir, "fn", "index.mjs"),
    `export const handler = async () => ({ statusCode: 200, body: ${JSON.stringify(answer)} });\n`,
  );
}
