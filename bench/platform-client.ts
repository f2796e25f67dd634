/**
 * Talks to a `portico up` under test as its users do: deploys a project with the `portico deploy` CLI or by
 * uploading its zip to the admin API, and requests an API's route by its host name.
 */
import { type Agent, request } from "node:http";
import { packProject } from "../src/control/artifacts/index.js";
import { BenchProcess } from "./processes.js";
import { cliPath, repoRoot } from "./servers.js";

const PROCESS_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** `portico deploy DIR --server ADMIN --name NAME` in a new Node.js process; answers its wall time, ms. */
export function deployWithCli(admin: string, dir: string, name: string): Promise<number> {
  return timeNode([cliPath, "deploy", dir, "--server", admin, "--name", name], "portico deploy");
}

/** Wall time of a Node.js process running `args` to its end, ms; throws unless it exits with 0. */
export async function timeNode(args: readonly string[], name: string): Promise<number> {
  const startedAt = performance.now();
  const child = new BenchProcess(name, process.execPath, args, { cwd: repoRoot });
  const limit = setTimeout(() => child.kill(), PROCESS_TIMEOUT_MS);
  const { code } = await child.exited;
  const ms = performance.now() - startedAt;
  clearTimeout(limit);
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${child.tail()}`);
  return ms;
}

export interface UploadTimes {
  /** Packing the directory into a zip, as `portico deploy` does, in this process. */
  readonly packMs: number;
  /** `PUT /v1/projects/NAME` until its answer: store, extract, load, start what changed, switch. */
  readonly uploadMs: number;
}

/** What `portico deploy` does once it has started, without starting a process. */
export async function uploadProject(admin: string, dir: string, name: string): Promise<UploadTimes> {
  const startedAt = performance.now();
  const { zip } = await packProject(dir);
  const packedAt = performance.now();
  const response = await fetch(`${admin}/v1/projects/${encodeURIComponent(name)}`, {
    method: "PUT",
    headers: { "content-type": "application/zip" },
    body: zip,
    signal: AbortSignal.timeout(PROCESS_TIMEOUT_MS),
  });
  const answer = await response.text();
  if (!response.ok) throw new Error(`deploying ${name} answered ${response.status}: ${answer}`);
  return { packMs: packedAt - startedAt, uploadMs: performance.now() - packedAt };
}

export interface RouteAnswer {
  readonly status: number;
  readonly body: string;
  /** Client-side time of the request, ms. */
  readonly ms: number;
}

/** GET `origin` + `path` with `Host: HOST` (an API is served at NAME.localhost). */
export function getRoute(agent: Agent, origin: string, host: string, path: string): Promise<RouteAnswer> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const options = { agent, headers: { host }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
    const req = request(`${origin}${path}`, options, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body, ms: performance.now() - startedAt }),
      );
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
