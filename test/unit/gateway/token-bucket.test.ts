/** The throttling token bucket on a fake clock: burst, steady rate, refill up to the burst, fractional rates. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { TokenBucket } from "../../../src/gateway/token-bucket.js";

/** How many of `count` requests at `nowMs` the bucket lets through. */
function passed(bucket: TokenBucket, count: number, nowMs: number): number {
  let passes = 0;
  for (let i = 0; i < count; i += 1) if (bucket.take(nowMs)) passes += 1;
  return passes;
}

test("a full bucket lets a burst through at once, then refuses and counts the refusals", () => {
  const bucket = new TokenBucket({ rateLimit: 1, burstLimit: 3 }, 1000);
  assert.equal(passed(bucket, 5, 1000), 3);
  assert.equal(bucket.refused, 2);
});

test("after the burst, requests pass at the steady rate", () => {
  const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 2 }, 0);
  assert.equal(passed(bucket, 2, 0), 2);
  assert.equal(bucket.take(99), false, "a token takes 100 ms at 10 per second");
  assert.equal(bucket.take(100), true);
  // One second of steady traffic, a request every 10 ms: ten pass.
  let passes = 0;
  for (let now = 110; now <= 1100; now += 10) if (bucket.take(now)) passes += 1;
  assert.equal(passes, 10);
});

test("an idle bucket refills only up to the burst limit", () => {
  const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 4 }, 0);
  assert.equal(passed(bucket, 4, 0), 4);
  assert.equal(passed(bucket, 10, 60_000), 4);
});

test("a fractional rate refills one token over several seconds", () => {
  const bucket = new TokenBucket({ rateLimit: 0.5, burstLimit: 1 }, 0);
  assert.equal(bucket.take(0), true);
  assert.equal(bucket.take(1000), false);
  assert.equal(bucket.take(1999), false);
  assert.equal(bucket.take(2000), true);
  assert.equal(bucket.refused, 2);
});

test("burst 0 refuses everything; a clock stepping back takes no tokens away", () => {
  const closed = new TokenBucket({ rateLimit: 100, burstLimit: 0 }, 0);
  assert.equal(passed(closed, 3, 10_000), 0);
  const bucket = new TokenBucket({ rateLimit: 1, burstLimit: 2 }, 5000);
  assert.equal(bucket.take(4000), true);
  assert.equal(bucket.take(4000), true);
  assert.equal(bucket.take(4000), false);
  assert.equal(bucket.take(5999), false, "time before the last update does not count twice");
  assert.equal(bucket.take(6000), true);
});
