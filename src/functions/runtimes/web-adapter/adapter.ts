/**
 * Portico's stand-in for AWS's Lambda Web Adapter, run as a function instance's runtime: it starts the handler
 * (a script such as `run.sh` that starts a web app) with `PORT` set, waits until the app answers its readiness
 * check, then turns each invocation's API Gateway event into an HTTP request to the app and the app's answer
 * into the Lambda response, over the instance's Runtime API. One instance serves one request at a time, as on
 * Lambda. Unlike Lambda, instances share this machine's network, so each app gets a free port, not 8080.
 */
import { spawn } from "node:child_process";
import { type IncomingHttpHeaders, request } from "node:http";
import { join } from "node:path";
import { freePort } from "../../../services/free-port.js";
import { type AppRequest, type AppResponse, lambdaResponse, requestOf } from "./event-conversion.js";

const RUNTIME = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const HANDLER = process.env._HANDLER ?? "run.sh";
/** The adapter's own readiness settings: GET this path until the status is 100-499, every 10 ms. */
const READINESS_PATH = process.env.AWS_LWA_READINESS_CHECK_PATH ?? "/";
const READINESS_INTERVAL_MS = 10;
/** How long a failed request waits to see whether the app died: if it did, the instance ends with it instead. */
const EXIT_GRACE_MS = 200;

const port = await freePort();
const app = spawn(join(TASK_ROOT, HANDLER), [], {
  cwd: TASK_ROOT,
  env: { ...process.env, PORT: String(port), AWS_LWA_PORT: String(port) },
  stdio: ["ignore", "inherit", "inherit"],
});
// However this process ends (Portico gone, the Runtime API unreachable), the app and whatever it started go too:
// they are in this process's group, which it leads.
process.on("exit", () => {
  try {
    process.kill(-process.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
});
let ready = false;
app.once("error", (error) => void initFailed(`cannot run the handler ${HANDLER}: ${error.message}`));
app.once("exit", (code, signal) => {
  const how = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
  if (!ready) return void initFailed(`the web app ${how} before it answered on port ${port}`);
  // The instance is the app: when it ends, so does the instance (an invocation in flight fails with it).
  process.exit(code ?? 1);
});

await waitUntilReady();
ready = true;
for (;;) await serveNext();

async function waitUntilReady(): Promise<void> {
  for (;;) {
    const status = await send({
      method: "GET",
      path: READINESS_PATH,
      headers: {},
      body: Buffer.alloc(0),
    }).then(
      (response) => response.statusCode,
      () => 0,
    );
    if (status >= 100 && status < 500) return;
    await new Promise((resolve) => setTimeout(resolve, READINESS_INTERVAL_MS));
  }
}

async function serveNext(): Promise<void> {
  const next = await fetch(`${RUNTIME}/invocation/next`);
  const id = next.headers.get("lambda-runtime-aws-request-id");
  const event = (await next.json()) as Record<string, unknown>;
  try {
    const response = await send(requestOf(event));
    await post(`invocation/${id}/response`, lambdaResponse(event, response));
  } catch (error) {
    // If the request killed the app, its exit (noticed within the grace) ends this process first: the request
    // fails with the instance, and the next one gets a new instance rather than this dying one.
    await new Promise((resolve) => setTimeout(resolve, EXIT_GRACE_MS));
    await fail(
      `invocation/${id}/error`,
      "WebAdapter.RequestFailed",
      `the web app did not answer: ${(error as Error).message}`,
    );
  }
}

function send(appRequest: AppRequest): Promise<AppResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: "127.0.0.1",
        port,
        method: appRequest.method,
        path: appRequest.path,
        headers: appRequest.headers,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () =>
          resolve({
            statusCode: incoming.statusCode ?? 502,
            headers: incoming.headers as IncomingHttpHeaders,
            body: Buffer.concat(chunks),
          }),
        );
        incoming.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(appRequest.body);
  });
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  await fetch(`${RUNTIME}/${path}`, { method: "POST", body: JSON.stringify(body), headers });
}

/** Reports an error as a runtime does: in the function's log, and to the Runtime API with its type in the header. */
async function fail(path: string, errorType: string, errorMessage: string): Promise<void> {
  process.stderr.write(`${errorType}: ${errorMessage}\n`);
  await post(path, { errorType, errorMessage }, { "Lambda-Runtime-Function-Error-Type": errorType });
}

async function initFailed(message: string): Promise<never> {
  await fail("init/error", "WebAdapter.AppNotReady", message).catch(() => {});
  process.exit(1);
}
