import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { type GatewayRequestEnd, gatewayRequestEnd } from "../../../src/observability/channels.js";
import { startTracing } from "../../../src/observability/tracing/tracing.js";

test("stopping exports the spans still waiting for their batch", async () => {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      if (request.url === "/v1/traces") bodies.push(body);
      response.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const tracing = await startTracing({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: "600000",
    });
    assert.ok(tracing);
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    gatewayRequestEnd.publish({
      api: "shop",
      apiId: "abc",
      stage: "$default",
      routeKey: "GET /items/{id}",
      method: "GET",
      path: "/items/1",
      protocol: "HTTP/1.1",
      status: 200,
      responseLength: 2,
      requestId: "id",
      extendedRequestId: "id",
      traceId: "Root=1-4bf92f35-77b34da6a3ce929d0e0e4736",
      sourceIp: "127.0.0.1",
      userAgent: "test",
      receivedAt: Date.now(),
      durationMs: 3,
      trace: { traceId, spanId: "1111111111111111", parentSpanId: "00f067aa0ba902b7", sampled: true },
    } satisfies GatewayRequestEnd);
    assert.equal(bodies.length, 0);
    await tracing.stop();
    const spans = bodies.flatMap(
      (body) =>
        (
          JSON.parse(body) as {
            resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
          }
        ).resourceSpans[0]?.scopeSpans[0]?.spans ?? [],
    );
    assert.equal(spans.length, 1);
    assert.equal(spans[0]?.name, "GET /items/{id}");
    assert.equal(spans[0]?.traceId, traceId);
    assert.equal(spans[0]?.spanId, "1111111111111111");
    assert.equal(spans[0]?.parentSpanId, "00f067aa0ba902b7");
  } finally {
    server.close();
  }
});
