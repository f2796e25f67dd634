/**
 * Tracing end to end through `portico dev` with an OTLP/HTTP receiver: the client's traceparent reaches functions
 * (Node.js, Python and a custom runtime) as X-Ray ids and services as traceparent and X-Cloud-Trace-Context, and
 * the gateway, authorizer, cold start, invocation and proxy spans arrive in the client's trace, correctly linked.
 */
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { OtlpReceiver, type ReceivedSpan } from "../helpers/otlp-receiver.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";

const servicesDir = join(fixturesDir, "projects", "services");

const PROJECT = `
functions:
  trace: { runtime: nodejs20.x, handler: fns/trace.handler }
  gate: { runtime: nodejs20.x, handler: fns/gate.handler }
  pyTrace: { runtime: python3.12, handler: pyfns/trace_echo.handler }
  custom: { runtime: provided.al2023, handler: x, code: provided }
apis:
  shop:
    authorizers:
      gate: { type: lambda, function: gate, simpleResponses: true, identitySource: $request.header.Authorization }
    routes:
      GET /trace: trace
      GET /guarded: { function: trace, authorizer: gate }
      GET /py: pyTrace
      GET /custom: custom
services:
  web:
    source: ${join(servicesDir, "web")}
`;

const NODE_FN = `export const handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ env: process.env._X_AMZN_TRACE_ID ?? null, header: event.headers["x-amzn-trace-id"] }),
});
`;
const GATE_FN = `export const handler = async (event) => ({ isAuthorized: (event.identitySource ?? [])[0] === "ok" });
`;
const PY_FN = `import json
import os


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"env": os.environ.get("_X_AMZN_TRACE_ID")})}
`;
const BOOTSTRAP = `#!/bin/sh
set -eu
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation"
while true; do
  HEADERS="$(mktemp)"
  curl -sS -LD "$HEADERS" "$API/next" >/dev/null
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  TRACE=$(grep -Fi Lambda-Runtime-Trace-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  rm -f "$HEADERS"
  curl -sS -X POST "$API/$REQUEST_ID/response" -d "{\\"statusCode\\":200,\\"body\\":\\"$TRACE\\"}" >/dev/null
done
`;

const receiver = new OtlpReceiver();
let projectDir: string;
let dev: PorticoProcess;
let port: number;

before(async () => {
  const endpoint = await receiver.listen();
  projectDir = await mkdtemp(join(tmpdir(), "portico-tracing-"));
  await Promise.all(["fns", "pyfns", "provided"].map((dir) => mkdir(join(projectDir, dir))));
  await writeFile(join(projectDir, "portico.yaml"), PROJECT);
  await writeFile(join(projectDir, "fns", "trace.mjs"), NODE_FN);
  await writeFile(join(projectDir, "fns", "gate.mjs"), GATE_FN);
  await writeFile(join(projectDir, "pyfns", "trace_echo.py"), PY_FN);
  await writeFile(join(projectDir, "provided", "bootstrap"), BOOTSTRAP);
  await chmod(join(projectDir, "provided", "bootstrap"), 0o755);
  ({ portico: dev, port } = await startDev(projectDir, [], {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: "50",
      OTEL_SERVICE_NAME: "portico-under-test",
    },
  }));
});
after(async () => {
  await dev.stop();
  await receiver.close();
  await rm(projectDir, { recursive: true, force: true });
});

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";
const ROOT = "Root=1-4bf92f35-77b34da6a3ce929d0e0e4736";

function traced(path: string, traceId = TRACE, headers: Record<string, string> = {}) {
  return send({
    port,
    path,
    headers: { host: `shop.localhost:${port}`, traceparent: `00-${traceId}-${CLIENT_SPAN}-01`, ...headers },
  });
}

function byName(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const span = spans.find((candidate) => candidate.name === name);
  assert.ok(span, `no span named ${name} among ${spans.map((s) => s.name).join(", ")}`);
  return span;
}

test("a function sees the client's trace as X-Ray ids, and the spans link gateway, invocation and cold start", async () => {
  const response = await traced("/trace");
  assert.equal(response.status, 200);
  const seen = response.json() as { env: string; header: string };
  const match = /^Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=([0-9a-f]{16});Sampled=1$/.exec(seen.env);
  assert.ok(match, seen.env);
  assert.equal(seen.header, ROOT);

  const spans = await receiver.waitFor(TRACE, (all) => all.length >= 3);
  const gateway = byName(spans, "GET /trace");
  assert.equal(gateway.kind, 2, "SERVER");
  assert.equal(gateway.parentSpanId, CLIENT_SPAN);
  assert.equal(gateway.spanId, match[1], "the function's Parent is the gateway's span");
  const invocation = byName(spans, "trace");
  assert.equal(invocation.parentSpanId, gateway.spanId);
  const coldStart = byName(spans, "cold start");
  assert.equal(coldStart.parentSpanId, invocation.spanId);
  assert.ok(receiver.serviceNames.has("portico-under-test"));
});

test("a Lambda authorizer's span sits under the gateway's, its invocation under it", async () => {
  const trace = "5bf92f3577b34da6a3ce929d0e0e4736";
  const response = await traced("/guarded", trace, { authorization: "ok" });
  assert.equal(response.status, 200);
  const spans = await receiver.waitFor(
    trace,
    (all) => all.filter((span) => span.name !== "cold start").length >= 4,
  );
  const gateway = byName(spans, "GET /guarded");
  const authorizer = byName(spans, "authorizer lambda");
  assert.equal(authorizer.parentSpanId, gateway.spanId);
  assert.equal(byName(spans, "gate").parentSpanId, authorizer.spanId);
  assert.equal(byName(spans, "trace").parentSpanId, gateway.spanId);
});

test("Python and custom runtimes get the trace per invocation", async () => {
  const trace = "6bf92f3577b34da6a3ce929d0e0e4736";
  const pyResponse = await traced("/py", trace);
  assert.equal(pyResponse.status, 200, pyResponse.text);
  const python = pyResponse.json() as { env: string };
  assert.match(python.env, /^Root=1-6bf92f35-77b34da6a3ce929d0e0e4736;Parent=[0-9a-f]{16};Sampled=1$/);
  const custom = await traced("/custom", trace);
  assert.match(custom.text, /^Root=1-6bf92f35-77b34da6a3ce929d0e0e4736;Parent=[0-9a-f]{16};Sampled=1$/);
  // A second request, without traceparent, is a new trace whose id starts with the epoch seconds.
  const fresh = (await send({ port, path: "/py", headers: { host: `shop.localhost:${port}` } })).json() as {
    env: string;
  };
  const seconds = Number.parseInt(/^Root=1-([0-9a-f]{8})-/.exec(fresh.env)?.[1] ?? "0", 16);
  assert.ok(Math.abs(seconds - Date.now() / 1000) < 60, fresh.env);
  assert.doesNotMatch(fresh.env, /6bf92f35/);
});

test("an invalid traceparent starts a new trace; a client X-Amzn-Trace-Id is kept", async () => {
  const invalid = await send({
    port,
    path: "/trace",
    headers: { host: `shop.localhost:${port}`, traceparent: `00-${TRACE.toUpperCase()}-${CLIENT_SPAN}-01` },
  });
  assert.doesNotMatch((invalid.json() as { env: string }).env, /4bf92f35/);
  const xray = await send({
    port,
    path: "/trace",
    headers: {
      host: `shop.localhost:${port}`,
      "x-amzn-trace-id": "Root=1-7bf92f35-77b34da6a3ce929d0e0e4736;Sampled=1",
    },
  });
  assert.match((xray.json() as { env: string }).env, /^Root=1-7bf92f35-77b34da6a3ce929d0e0e4736;Parent=/);
});

test("a service gets traceparent and X-Cloud-Trace-Context naming the proxy's span", async () => {
  const trace = "8bf92f3577b34da6a3ce929d0e0e4736";
  const response = await send({
    port,
    path: "/",
    headers: { host: `web.localhost:${port}`, traceparent: `00-${trace}-${CLIENT_SPAN}-01` },
  });
  assert.equal(response.status, 200);
  const { headers } = response.json() as { headers: Record<string, string> };
  const parent = /^00-8bf92f3577b34da6a3ce929d0e0e4736-([0-9a-f]{16})-01$/.exec(headers.traceparent ?? "");
  assert.ok(parent, headers.traceparent);
  assert.notEqual(parent[1], CLIENT_SPAN);
  assert.equal(headers["x-cloud-trace-context"], `${trace}/${BigInt(`0x${parent[1]}`)};o=1`);
  const spans = await receiver.waitFor(trace, (all) => all.length >= 1);
  const proxy = byName(spans, "GET web");
  assert.equal(proxy.spanId, parent[1]);
  assert.equal(proxy.parentSpanId, CLIENT_SPAN);
});

test("an unknown OTEL_TRACES_SAMPLER stops portico up at startup, naming the variable and what it takes", async () => {
  const data = await mkdtemp(join(tmpdir(), "portico-sampler-"));
  try {
    const result = await runPortico(["up", "--data", data, "--port", "0", "--admin-port", "0"], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", OTEL_TRACES_SAMPLER: "sometimes" },
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^portico: OTEL_TRACES_SAMPLER=sometimes is not a sampler Portico knows/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
  } finally {
    await rm(data, { recursive: true, force: true });
  }
});
