/**
 * Cold starts a redeploy causes: a project of ten functions, each in its own directory on its own route, all
 * warm; one function's code changes, the project is redeployed, and every route is called once. Only the
 * changed function should start an instance: the others keep their version and their warm instances.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { Agent } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { getRoute, uploadProject } from "./platform-client.js";
import type { RunningPorticoServer } from "./servers.js";

export interface RedeployRound {
  /** The function whose code changed. */
  readonly changed: string;
  /** REPORT lines with an `Init Duration` from the redeploy until every route had answered once. */
  readonly initReports: number;
  /** Functions that answered from another process than before the redeploy. */
  readonly newProcesses: readonly string[];
  /** Client-side time of each route's first request after the redeploy, ms. */
  readonly firstRequestMs: readonly number[];
}

export interface RedeployColdStarts {
  readonly functions: number;
  readonly rounds: readonly RedeployRound[];
}

const PROJECT = "ten";
const HOST = `${PROJECT}.localhost`;
const FUNCTIONS = 10;
const REPORT_WAIT_MS = 2_000;

const functionName = (i: number) => `${PROJECT}-f${i}`;

export async function measureRedeployColdStarts(
  server: RunningPorticoServer,
  workDir: string,
  options: { readonly rounds: number },
): Promise<RedeployColdStarts> {
  const dir = join(workDir, PROJECT);
  await writeProject(dir);
  for (let i = 0; i < FUNCTIONS; i++) await writeFunction(dir, i, 0);
  await uploadProject(server.admin, dir, PROJECT);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  // Every REPORT line of the project's functions, in order: whether it carried an `Init Duration`.
  const reports: boolean[] = [];
  const reportLine = new RegExp(`^\\[${PROJECT}-f\\d+\\] REPORT `);
  const stopListening = server.process.onLine((line) => {
    if (reportLine.test(line)) reports.push(line.includes("Init Duration"));
  });
  let requests = 0;
  /** One request to every route; then waits for their REPORT lines, printed before each answer but maybe read after it. */
  const callAll = async () => {
    const answers = await requestAll(agent, server);
    requests += FUNCTIONS;
    for (let waited = 0; reports.length < requests && waited < REPORT_WAIT_MS; waited += 20) await sleep(20);
    return answers;
  };
  try {
    let before = await callAll();
    const rounds: RedeployRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      // A different function changes each round, by its code alone.
      const changed = (round * 3) % FUNCTIONS;
      await writeFunction(dir, changed, round);
      const seen = reports.length;
      await uploadProject(server.admin, dir, PROJECT);
      const after = await callAll();
      rounds.push({
        changed: functionName(changed),
        initReports: reports.slice(seen).filter(Boolean).length,
        newProcesses: after.pids.flatMap((pid, i) => (pid === before.pids[i] ? [] : [functionName(i)])),
        firstRequestMs: after.ms,
      });
      before = after;
    }
    return { functions: FUNCTIONS, rounds };
  } finally {
    stopListening();
    agent.destroy();
  }
}

/** One request to every route, in order: each function's process id and the request's time. */
async function requestAll(
  agent: Agent,
  server: RunningPorticoServer,
): Promise<{ pids: number[]; ms: number[] }> {
  const pids: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < FUNCTIONS; i++) {
    const answer = await getRoute(agent, server.origin, HOST, `/f${i}`);
    if (answer.status !== 200) throw new Error(`${HOST}/f${i} answered ${answer.status}: ${answer.body}`);
    pids.push((JSON.parse(answer.body) as { pid: number }).pid);
    ms.push(answer.ms);
  }
  return { pids, ms };
}

async function writeProject(dir: string): Promise<void> {
  let functions = "";
  let routes = "";
  for (let i = 0; i < FUNCTIONS; i++) {
    functions += `  ${functionName(i)}:\n    runtime: nodejs20.x\n    handler: index.handler\n    code: f${i}\n`;
    routes += `      GET /f${i}: ${functionName(i)}\n`;
  }
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "portico.yaml"),
    `functions:\n${functions}apis:\n  ${PROJECT}:\n    routes:\n${routes}`,
  );
}

async function writeFunction(dir: string, index: number, version: number): Promise<void> {
  await mkdir(join(dir, `f${index}`), { recursive: true });
  await writeFile(
    join(dir, `f${index}`, "index.mjs"),
    `const version = ${version};\n` +
      "export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ version, pid: process.pid }) });\n",
  );
}
