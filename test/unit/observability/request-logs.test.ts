/** Each request's access-log or service request line is kept in the log store as a line of its own, at once. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStore } from "../../../src/control/store/index.js";
import { subscribeRequestLogs } from "../../../src/observability/access/index.js";
import {
  type GatewayRequestEnd,
  gatewayRequestEnd,
  type ServiceRequestEnd,
  serviceRequestEnd,
} from "../../../src/observability/channels.js";
import { LogRecorder } from "../../../src/observability/logs/log-recorder.js";
import { StoreLogWriter } from "../../../src/observability/logs/log-writer.js";

const request = (requestId: string, lambdaId: string): GatewayRequestEnd => ({
  api: "shop",
  apiId: "abcde12345",
  stage: "$default",
  routeKey: "GET /items",
  method: "GET",
  path: "/items",
  protocol: "HTTP/1.1",
  status: 200,
  responseLength: 2,
  requestId,
  extendedRequestId: requestId,
  traceId: "0af7651916cd43dd8448eb211c80319c",
  sourceIp: "127.0.0.1",
  userAgent: "curl/8.0",
  receivedAt: Date.now(),
  durationMs: 3,
  integration: { functionName: "items", requestId: lambdaId, latencyMs: 2, status: 200 },
});

const serviceRequest: ServiceRequestEnd = {
  service: "web",
  revision: "web-00001-abc",
  method: "GET",
  url: "http://web.localhost/",
  status: 200,
  latencyMs: 4,
  responseSize: 10,
  userAgent: "curl/8.0",
  remoteIp: "127.0.0.1",
};

test("access and service request lines reach the store one line each, without waiting for the next", async () => {
  const store = new MemoryStore();
  const recorder = new LogRecorder(new StoreLogWriter(store.logs));
  const stop = subscribeRequestLogs({ stageOf: () => undefined });
  recorder.start();
  try {
    gatewayRequestEnd.publish(request("api-1", "lambda-1"));
    gatewayRequestEnd.publish(request("api-2", "lambda-2"));
    serviceRequestEnd.publish(serviceRequest);
    await recorder.flush();
    const kept = await store.logs.query({});
    assert.deepEqual(
      kept.map((record) => [record.kind, record.name, record.requestId, record.relatedRequestId]),
      [
        ["api", "shop", "api-1", "lambda-1"],
        ["api", "shop", "api-2", "lambda-2"],
        ["service", "web", undefined, undefined],
      ],
    );
    assert.equal(kept[0]?.json?.requestId, "api-1");
    assert.equal(kept[1]?.json?.requestId, "api-2");
    const httpRequest = kept[2]?.json?.httpRequest as { requestUrl?: string } | undefined;
    assert.equal(httpRequest?.requestUrl, "http://web.localhost/");
  } finally {
    stop();
    await recorder.stop();
  }
});
