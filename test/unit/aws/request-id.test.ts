import assert from "node:assert/strict";
import { test } from "node:test";
import { newApiGatewayRequestId, newRestRequestId, newTraceId } from "../../../src/aws/index.js";
import { readAwsFixture } from "../../helpers/aws-fixtures.js";

test("request ids are 16 chars of base64url ending in = and do not repeat", () => {
  const seen = new Set<string>();
  // More ids than one pool refill provides, so the refill path runs too.
  for (let i = 0; i < 2000; i++) {
    const id = newApiGatewayRequestId();
    assert.match(id, /^[A-Za-z0-9_-]{14}[AEIMQUYcgkosw048]=$/, id);
    seen.add(id);
  }
  assert.equal(seen.size, 2000);
});

test("request ids have the shape of captured ones", () => {
  for (const captured of ["LV7fzho-PHcEJPw=", "NILjoi6FFiAEJ6A=", "J6vl3iNWoAMESOw=", "NIKr1jmIFiAEJmw="]) {
    assert.equal(captured.length, newApiGatewayRequestId().length);
    // Eleven bytes in base64url: the last char before the padding carries 4 bits, so its low two bits are zero.
    assert.match(captured, /^[A-Za-z0-9_-]{14}[AEIMQUYcgkosw048]=$/);
  }
});

test("REST request ids are UUIDs, as captured (f88e38e3-2060-4a56-93c0-9efbc6a659a0)", () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match("f88e38e3-2060-4a56-93c0-9efbc6a659a0", uuid);
  const id = newRestRequestId();
  assert.match(id, uuid);
  assert.notEqual(newRestRequestId(), id);
});

test("trace ids carry the request time in epoch seconds as 8 hex digits, then 24 random hex", () => {
  const cases: Array<[epochMs: number, hex: string]> = [
    [1587481701067, "5e9f0c65"],
    [1644163811849, "61fff2e3"],
    [0, "00000000"],
    [999, "00000000"],
    [1000, "00000001"],
  ];
  for (const [epochMs, hex] of cases) {
    const traceId = newTraceId(epochMs);
    assert.match(traceId, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/, traceId);
    assert.equal(traceId.slice(7, 15), hex, `epoch ${epochMs}`);
  }
  assert.notEqual(newTraceId(0), newTraceId(0));
});

test("captured trace ids use floor(timeEpoch / 1000), as newTraceId does", () => {
  const captures = [
    "events-v2/v2-get-root-curl-no-authorizer.json",
    "events-v2/v2-post-curl-greedy-proxy.json",
    "events-v2/v2-post-curl-form-body-base64.json",
    "events-v2/v2-get-named-stage-stage-variables.json",
    "events-v2/v2-get-multivalue-query-greedy-proxy.json",
  ];
  for (const file of captures) {
    const event = readAwsFixture(file) as {
      headers: Record<string, string>;
      requestContext: { timeEpoch: number };
    };
    const captured = event.headers["x-amzn-trace-id"] as string;
    assert.equal(newTraceId(event.requestContext.timeEpoch).slice(0, 15), captured.slice(0, 15), file);
  }
});
