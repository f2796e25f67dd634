import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { gatewayRequestEnd } from "../../../src/observability/channels.js";
import { startTracing } from "../../../src/observability/tracing/tracing.js";
import { tracingState } from "../../../src/observability/tracing/tracing-state.js";

const loaded = () =>
  Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes("@opentelemetry"));

test("without an OTLP endpoint nothing is loaded, subscribed or sampled; with one, the SDK loads and subscribes", async () => {
  assert.equal(await startTracing({}), undefined);
  assert.equal(await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "" }), undefined);
  assert.deepEqual(loaded(), []);
  assert.equal(gatewayRequestEnd.hasSubscribers, false);
  assert.equal(tracingState.sampler, undefined);

  const tracing = await startTracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:9/v1/traces" });
  assert.ok(tracing);
  assert.notDeepEqual(loaded(), []);
  assert.equal(gatewayRequestEnd.hasSubscribers, true);
  assert.equal(typeof tracingState.sampler, "function");
  await tracing.stop();
  assert.equal(gatewayRequestEnd.hasSubscribers, false);
  assert.equal(tracingState.sampler, undefined);
});

test("a sampler the environment names wrongly stops tracing from starting, before anything loads", async () => {
  await assert.rejects(
    startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", OTEL_TRACES_SAMPLER: "sometimes" }),
    /OTEL_TRACES_SAMPLER=sometimes is not a sampler Portico knows: use always_on/,
  );
  assert.equal(tracingState.sampler, undefined);
});
