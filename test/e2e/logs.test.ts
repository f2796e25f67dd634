/** End to end: what a function writes under `portico dev`, read back with `portico logs`. */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { PorticoProcess, runPortico, startDev, startServer } from "../helpers/portico-process.js";
import { startServiceDev } from "../helpers/service-dev.js";

// biome-ignore lint/suspicious/noExplicitAny: records are loosely typed JSON; assertions check the shape.
type Json = Record<string, any>;

const PROJECT = `
functions:
  talker:
    runtime: nodejs20.x
    handler: talker.handler
apis:
  web:
    routes:
      GET /talk: talker
`;

const TALKER = `
export const handler = async (event, context) => {
  const word = event.queryStringParameters?.word ?? "none";
  process.stdout.write("plain line " + word + "\\n");
  process.stdout.write(JSON.stringify({ level: "warn", message: "json line " + word, extra: 7 }) + "\\n");
  if (word === "unended") process.stdout.write("a last line without its end");
  return { statusCode: 200, body: context.awsRequestId };
};
`;

async function projectDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "portico-logs-"));
  await writeFile(join(dir, "portico.yaml"), PROJECT);
  await writeFile(join(dir, "talker.mjs"), TALKER);
  return dir;
}

/** Invokes the function through the API; answers the request id it saw. */
async function talk(port: number, word: string): Promise<string> {
  const response = await send({
    port,
    path: `/talk?word=${word}`,
    headers: { host: `web.localhost:${port}` },
  });
  assert.equal(response.status, 200, response.text);
  return response.text;
}

/** `portico logs ARGS` until its output matches (lines reach the store a moment after they are written). */
async function logsUntil(args: string[], expected: RegExp, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await runPortico(["logs", ...args]);
    if (expected.test(result.stdout) || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the store holds a line with `text` (asked of the admin API, as `logs` asks it). */
async function storedLine(adminPort: number, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const path = `/v1/logs?filter=${encodeURIComponent(text)}`;
  while ((await send({ port: adminPort, path })).text.includes(text) === false) {
    if (Date.now() > deadline) throw new Error(`no stored line holds "${text}" after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("portico logs against portico dev", () => {
  let dir: string;
  let dev: Awaited<ReturnType<typeof startDev>>;
  let server: string;

  before(async () => {
    dir = await projectDir();
    dev = await startDev(dir);
    server = `http://127.0.0.1:${dev.adminPort}`;
  });
  after(async () => {
    await dev?.portico.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test("a function's lines, tagged, JSON lines parsed; dev prints them as before", async () => {
    const id = await talk(dev.port, "one");
    const { code, stdout, stderr } = await logsUntil(["talker", "--server", server], /json line one/);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^\S+Z talker \[[0-9a-f]{12}\/[0-9a-f]{8}\] plain line one$/m);
    assert.match(stdout, /^\S+Z talker \[[0-9a-f]{12}\/[0-9a-f]{8}\] WARN json line one$/m);
    assert.match(stdout, new RegExp(`START RequestId: ${id}`));
    assert.match(dev.portico.output, /^\[talker\] plain line one$/m, "the terminal shows the line as before");

    const json = await runPortico(["logs", "talker", "--json", "--server", server]);
    const records = json.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Json);
    const parsed = records.find((record) => record.message === "json line one");
    assert.ok(parsed, json.stdout);
    assert.equal(parsed.level, "WARN");
    assert.deepEqual(parsed.json, { level: "warn", message: "json line one", extra: 7 });
    assert.equal(parsed.requestId, id);
    assert.equal(parsed.kind, "function");
    assert.match(parsed.instance, /^[0-9a-f]{8}$/);
    assert.match(parsed.revision, /^[0-9a-f]{12}$/, "the version key's first 12 digits");
  });

  /** `portico logs --request ID --json` once the invocation's REPORT is kept: its records, and the output. */
  async function requestRecords(id: string): Promise<{ records: Json[]; stdout: string }> {
    const { code, stdout, stderr } = await logsUntil(
      ["--request", id, "--json", "--server", server],
      /REPORT RequestId/,
    );
    assert.equal(code, 0, stderr);
    const records = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Json);
    return { records, stdout };
  }

  test("--request ID finds that invocation's lines and no other's", async () => {
    const first = await talk(dev.port, "alpha");
    await talk(dev.port, "beta");
    const { records, stdout } = await requestRecords(first);
    const messages = records.map((record) => record.message as string);
    assert.ok(messages.includes("plain line alpha"), stdout);
    assert.ok(messages.includes("json line alpha"), stdout);
    assert.ok(
      messages.some((message) => message.startsWith(`END RequestId: ${first}`)),
      stdout,
    );
    assert.ok(!messages.some((message) => message.includes("beta")), stdout);
    for (const record of records) assert.ok(record.requestId === first || record.relatedRequestId === first);
  });

  test("a last line left unfinished is ended by END, as Lambda ends it, not joined to it", async () => {
    const id = await talk(dev.port, "unended");
    const { records, stdout } = await requestRecords(id);
    const messages = records.map((record) => record.message as string);
    assert.ok(messages.includes("a last line without its end"), stdout);
    assert.ok(messages.includes(`END RequestId: ${id}`), stdout);
    assert.match(dev.portico.output, /^\[talker\] a last line without its end$/m);
  });

  test("-f prints new lines as they are written", async () => {
    const follower = new PorticoProcess(["logs", "talker", "-f", "--since", "1m", "--server", server]);
    try {
      // Following starts from the lines already there: an invocation now is sure to come after it.
      const from = follower.output.length;
      await talk(dev.port, "before-follow");
      await follower.waitFor(/plain line before-follow/, { from });
      await talk(dev.port, "live");
      await follower.waitFor(/^\S+Z talker \[[0-9a-f]{12}\/[0-9a-f]{8}\] plain line live$/m, {
        timeoutMs: 10_000,
      });
    } finally {
      await follower.stop();
    }
  });

  test("--filter keeps the lines holding the text", async () => {
    await talk(dev.port, "needle");
    const { stdout } = await logsUntil(["talker", "--filter", "LINE NEEDLE", "--server", server], /needle/);
    const lines = stdout.trim().split("\n");
    assert.deepEqual(
      lines.map((line) => line.replace(/^.*\] /, "")),
      ["plain line needle", "WARN json line needle"],
    );
  });

  test("GET /v1/logs answers JSON and refuses bad parameters with 400", async () => {
    const id = await talk(dev.port, "api");
    const get = (query: string) => send({ port: dev.adminPort, path: `/v1/logs?${query}` });
    const deadline = Date.now() + 10_000;
    let logs: Json[] = [];
    while (Date.now() < deadline) {
      const response = await get(`request=${id}&kind=function&since=2026-01-01T00:00:00Z`);
      assert.equal(response.status, 200, response.text);
      logs = (response.json() as { logs: Json[] }).logs;
      if (logs.some((record) => record.message === "json line api")) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(
      logs.some((record) => record.message === "plain line api"),
      JSON.stringify(logs),
    );
    const last = await get("name=talker&limit=1");
    assert.equal((last.json() as { logs: Json[] }).logs.length, 1);
    for (const [query, message] of [
      ["since=soon", /"soon" is not a duration or a time/],
      ["limit=0", /limit must be a whole number from 1 to 10000, got "0"/],
      ["kind=lambda", /kind must be one of function, service, api, got "lambda"/],
    ] as const) {
      const response = await get(query);
      assert.equal(response.status, 400, query);
      const body = response.json() as Json;
      assert.equal(body.code, "BAD_REQUEST");
      assert.match(body.message, message);
    }
  });

  test("a bad --since or an unknown name is refused with a clear message", async () => {
    const since = await runPortico(["logs", "talker", "--since", "yesterday", "--server", server]);
    assert.notEqual(since.code, 0);
    assert.match(since.stderr, /"yesterday" is not a duration or a time: use a number with s, m, h or d/);
    const unknown = await runPortico(["logs", "nobody", "--server", server]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no function, service or API named nobody .*known: talker, web/);
  });
});

test("retention drops the oldest lines (--log-max-bytes)", async () => {
  const dir = await projectDir();
  const dev = await startDev(dir, ["--log-max-bytes", "3000"]);
  try {
    const server = `http://127.0.0.1:${dev.adminPort}`;
    for (let i = 0; i < 8; i++) {
      await talk(dev.port, `w${i}`);
      // Kept before the next request: each request's lines are a batch of their own, and a batch goes whole.
      await storedLine(dev.adminPort, `plain line w${i}`);
    }
    const { stdout } = await logsUntil(["talker", "--server", server], /plain line w7/);
    assert.match(stdout, /plain line w7/);
    assert.doesNotMatch(stdout, /plain line w0\b/, "the oldest lines were dropped");
  } finally {
    await dev.portico.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test("portico up keeps the lines in its data directory, across a restart", { timeout: 120_000 }, async () => {
  const dir = await projectDir();
  const data = await mkdtemp(join(tmpdir(), "portico-logs-data-"));
  let up = await startServer(data);
  try {
    const deployed = await runPortico(["deploy", dir, "--name", "chatty", "--server", up.server], {
      timeoutMs: 60_000,
    });
    assert.equal(deployed.code, 0, deployed.stderr);
    const id = await talk(up.port, "kept");
    const first = await logsUntil(["--request", id, "--server", up.server], /json line kept/);
    assert.match(first.stdout, /talker \[[0-9a-f]{12}\/[0-9a-f]{8}\] plain line kept$/m);
    await up.portico.stop();
    // As docs/server.md says: the texts in segment files, beside the store file that says where they lie.
    const segments = await readdir(join(data, "portico.db-logs"));
    assert.ok(
      segments.some((name) => /^\d{10}\.chunks$/.test(name)),
      `segments: ${segments.join(", ")}`,
    );

    up = await startServer(data);
    const again = await runPortico(["logs", "talker", "--json", "--server", up.server]);
    assert.equal(again.code, 0, again.stderr);
    const parsed = again.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Json)
      .find((record) => record.message === "json line kept");
    assert.deepEqual(parsed?.json, { level: "warn", message: "json line kept", extra: 7 });
    assert.equal(parsed?.requestId, id);
  } finally {
    await up.portico.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(data, { recursive: true, force: true });
  }
});

const SERVER_JS = `
const http = require("node:http");
http
  .createServer((request, response) => {
    console.log("plain from the service " + request.url);
    console.log(JSON.stringify({ severity: "WARNING", message: "structured " + request.url, "logging.googleapis.com/trace": "projects/p/traces/abc" }));
    response.end("ok");
  })
  .listen(Number(process.env.PORT));
`;

test("a service's lines are tagged with its revision and instance; structured logging parsed", async () => {
  const dir = await mkdtemp(join(tmpdir(), "portico-logs-service-"));
  await mkdir(join(dir, "app"));
  await writeFile(join(dir, "portico.yaml"), "services:\n  web:\n    source: ./app\n");
  await writeFile(join(dir, "app", "package.json"), '{"name": "app", "private": true, "type": "commonjs"}');
  await writeFile(join(dir, "app", "server.js"), SERVER_JS);
  const dev = await startServiceDev(dir);
  try {
    const [, adminPort] = await dev.portico.waitFor(/Admin API: http:\/\/127\.0\.0\.1:(\d+)\//);
    const server = `http://127.0.0.1:${adminPort}`;
    assert.equal((await dev.request("web", "/hello")).status, 200);
    const { stdout } = await logsUntil(["web", "--json", "--server", server], /structured \/hello/);
    const records = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Json);
    const plain = records.find((record) => record.message === "plain from the service /hello");
    assert.ok(plain, stdout);
    assert.equal(plain.kind, "service");
    assert.match(plain.revision, /^web-\d{5}-[a-z0-9]+$/);
    assert.equal(plain.instance, "instance-1");
    const structured = records.find((record) => record.message === "structured /hello");
    assert.equal(structured?.level, "WARNING");
    assert.equal(structured?.json["logging.googleapis.com/trace"], "projects/p/traces/abc");
    assert.match(dev.portico.output, /web-\d{5}-[a-z0-9]+ instance-1: plain from the service \/hello/);
  } finally {
    await dev.portico.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
