/**
 * Request ids tie it together: one API request through `portico dev --access-log`, traced by the client, is found
 * by its `apigw-requestid` and by the Lambda request id the function saw, in the printed access line, the log
 * store (admin API and `portico logs --request`), the exported spans and the metrics.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send, type TestResponse } from "../helpers/http-client.js";
import { OtlpReceiver, type ReceivedSpan } from "../helpers/otlp-receiver.js";
import { type PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";
import { parsePrometheusText, samplesOf, sampleValue } from "../helpers/prometheus-text.js";

// biome-ignore lint/suspicious/noExplicitAny: records are loosely typed JSON; assertions check the shape.
type Json = Record<string, any>;

const PROJECT = `
functions:
  echo: { runtime: nodejs20.x, handler: echo.handler }
apis:
  shop:
    routes:
      GET /hello: echo
`;

const ECHO = `export const handler = async (event, context) => {
  console.log("handling " + context.awsRequestId);
  console.log(JSON.stringify({ level: "info", message: "structured line", seen: context.awsRequestId }));
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      version: event.version,
      awsRequestId: context.awsRequestId,
      traceEnv: process.env._X_AMZN_TRACE_ID ?? null,
    }),
  };
};
`;

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";

const receiver = new OtlpReceiver();
let dir: string;
let dev: PorticoProcess;
let port: number;
let admin: string;
let outputBefore: number;
let response: TestResponse;
let apiRequestId: string;
let awsRequestId: string;
let traceEnv: string;

before(async () => {
  const endpoint = await receiver.listen();
  dir = await mkdtemp(join(tmpdir(), "portico-correlation-"));
  await writeFile(join(dir, "portico.yaml"), PROJECT);
  await writeFile(join(dir, "echo.mjs"), ECHO);
  const started = await startDev(dir, ["--access-log"], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: "50" },
  });
  ({ portico: dev, port } = started);
  admin = `http://127.0.0.1:${started.adminPort}`;
  outputBefore = dev.output.length;
  response = await send({
    port,
    path: "/hello",
    headers: { host: `shop.localhost:${port}`, traceparent: `00-${TRACE}-${CLIENT_SPAN}-01` },
  });
  assert.equal(response.status, 200, response.text);
  apiRequestId = response.headers["apigw-requestid"] as string;
  const body = response.json() as { version: string; awsRequestId: string; traceEnv: string };
  assert.equal(body.version, "2.0", "payload format 2.0");
  ({ awsRequestId, traceEnv } = body);
  assert.ok(apiRequestId, "the response names its request id");
  assert.ok(awsRequestId, "the function saw a request id");
  assert.notEqual(apiRequestId, awsRequestId, "the gateway's and Lambda's ids are distinct");
});
after(async () => {
  await dev?.stop();
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

/** `portico logs --request ID --json` until `complete` holds for its records (lines reach the store a moment later). */
async function logsOfRequest(id: string, complete: (records: Json[]) => boolean): Promise<Json[]> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const result = await runPortico(["logs", "--request", id, "--json", "--server", admin]);
    assert.equal(result.code, 0, result.stderr);
    const records = result.stdout
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        try {
          return JSON.parse(line) as Json;
        } catch {
          return assert.fail(
            `not a JSON line: ${JSON.stringify(line)} in stdout ${JSON.stringify(result.stdout)}`,
          );
        }
      });
    if (complete(records)) return records;
    assert.ok(Date.now() < deadline, `incomplete lines of ${id}: ${result.stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The access line and the invocation's own lines: START, its two lines, END and REPORT. */
function hasEveryLine(records: Json[]): boolean {
  const messages = records.map((record) => String(record.message));
  return (
    records.some((record) => record.kind === "api") &&
    messages.some((message) => message.includes(`handling ${awsRequestId}`)) &&
    messages.some((message) => message.includes("structured line")) &&
    ["START", "END", "REPORT"].every((word) =>
      messages.some((message) => message.startsWith(`${word} RequestId: ${awsRequestId}`)),
    )
  );
}

/** A record as compared across queries: what it is and says, and whose it is. */
const identity = (record: Json) =>
  JSON.stringify([
    record.time,
    record.kind,
    record.name,
    record.message,
    record.requestId,
    record.relatedRequestId,
  ]);

function attribute(span: ReceivedSpan, key: string): unknown {
  const found = span.attributes.find((candidate) => candidate.key === key);
  return found === undefined ? undefined : Object.values(found.value)[0];
}

function spanNamed(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const span = spans.find((candidate) => candidate.name === name);
  assert.ok(span, `no span named ${name} among ${spans.map((s) => s.name).join(", ")}`);
  return span;
}

test("the response's apigw-requestid is the access line's requestId, printed and stored", async () => {
  const escaped = apiRequestId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const [printed] = await dev.waitFor(new RegExp(`^\\{.*"${escaped}".*\\}$`, "m"), { from: outputBefore });
  const line = JSON.parse(printed) as Json;
  assert.equal(line.requestId, apiRequestId);
  assert.equal(line.routeKey, "GET /hello");
  assert.equal(line.status, "200");

  const deadline = Date.now() + 8_000;
  let stored: Json[] = [];
  for (;;) {
    const answer = await send({
      port: Number(new URL(admin).port),
      path: `/v1/logs?request=${apiRequestId}`,
    });
    assert.equal(answer.status, 200, answer.text);
    stored = (answer.json() as { logs: Json[] }).logs.filter((record) => record.kind === "api");
    if (stored.length > 0) break;
    assert.ok(Date.now() < deadline, `no stored access line for ${apiRequestId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(stored.length, 1, JSON.stringify(stored));
  const [access] = stored as [Json];
  assert.equal(access.name, "shop");
  assert.equal(access.requestId, apiRequestId);
  assert.equal(access.relatedRequestId, awsRequestId);
  assert.deepEqual(access.json, line, "the stored line is the printed one");
});

test("portico logs --request finds the access line and the function's lines by either id", async () => {
  const byApiId = await logsOfRequest(apiRequestId, hasEveryLine);
  const access = byApiId.filter((record) => record.kind === "api");
  assert.equal(access.length, 1, JSON.stringify(access));
  assert.equal(access[0]?.requestId, apiRequestId);
  assert.equal(access[0]?.relatedRequestId, awsRequestId, "the access line names the Lambda request id");
  const functionLines = byApiId.filter((record) => record.kind === "function");
  assert.ok(functionLines.length >= 5, JSON.stringify(functionLines));
  for (const record of functionLines) {
    assert.equal(record.name, "echo");
    assert.equal(
      record.requestId,
      awsRequestId,
      `the function's line carries its request id: ${record.message}`,
    );
  }
  assert.equal(byApiId.length, access.length + functionLines.length, "nothing else");

  const byAwsId = await logsOfRequest(awsRequestId, hasEveryLine);
  assert.deepEqual(byAwsId.map(identity).sort(), byApiId.map(identity).sort(), "the same lines by either id");
});

test("the spans are in the client's trace, the function's X-Ray Root is it, and they name both ids", async () => {
  assert.match(
    traceEnv,
    new RegExp(`^Root=1-${TRACE.slice(0, 8)}-${TRACE.slice(8)};Parent=[0-9a-f]{16};Sampled=1$`),
  );
  const spans = await receiver.waitFor(
    TRACE,
    (all) => all.some((span) => span.name === "GET /hello") && all.some((span) => span.name === "echo"),
    8_000,
  );
  const gateway = spanNamed(spans, "GET /hello");
  assert.equal(gateway.parentSpanId, CLIENT_SPAN);
  assert.equal(
    traceEnv.match(/Parent=([0-9a-f]{16})/)?.[1],
    gateway.spanId,
    "the function's Parent is the gateway",
  );
  assert.equal(attribute(gateway, "portico.request_id"), apiRequestId);
  assert.equal(attribute(gateway, "faas.invocation_id"), awsRequestId);
  const invocation = spanNamed(spans, "echo");
  assert.equal(invocation.parentSpanId, gateway.spanId);
  assert.equal(attribute(invocation, "faas.invocation_id"), awsRequestId);
});

test("/metrics counts the one request and the one invocation", async () => {
  const answer = await send({ port: Number(new URL(admin).port), path: "/metrics" });
  assert.equal(answer.status, 200, answer.text);
  const metrics = parsePrometheusText(answer.text);
  const requests = samplesOf(metrics, "portico_api_requests_total", { api: "shop", route: "GET /hello" });
  assert.deepEqual(
    requests.map((sample) => [sample.labels.status_class, sample.value]),
    [["2xx", 1]],
  );
  assert.equal(sampleValue(metrics, "portico_function_invocations_total", { function: "echo" }), 1);
});
