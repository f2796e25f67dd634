/**
 * Route throttling end to end through `portico dev` (aws.md §6.2): a burst passes, the request past it gets API
 * Gateway's 429 with CORS headers and a log line, a token refills at the route's rate, and a route without
 * limits is never throttled.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

/** The fixture's `GET /limited`: `{ rateLimit: 1, burstLimit: 2 }`. */
const RATE_PER_SECOND = 1;
const BURST = 2;

let portico: PorticoProcess;
let port: number;

before(async () => {
  ({ portico, port } = await startDev(join(fixturesDir, "projects", "throttling")));
});
after(() => portico.stop());

const call = (path: string) =>
  send({ port, path, headers: { host: `shop.localhost:${port}`, origin: "https://app.example.test" } });

test("past the burst, a request gets 429 Too Many Requests with CORS headers, and is logged", async () => {
  // Sent at once: each takes its token before any reaches the function, so a cold start refills none.
  const responses = await Promise.all(Array.from({ length: BURST + 1 }, () => call("/limited")));
  const statuses = responses.map((response) => response.status).sort();
  assert.deepEqual(statuses, [200, 200, 429]);
  const throttled = responses.find((response) => response.status === 429);
  assert.ok(throttled);
  assert.equal(throttled.text, '{"message":"Too Many Requests"}');
  assert.equal(throttled.headers["content-type"], "application/json");
  assert.equal(throttled.headers["access-control-allow-origin"], "*");
  assert.ok(throttled.headers["apigw-requestid"], "the gateway's answers carry the request id");
  await portico.waitFor(
    /gateway: throttled GET \/limited on API shop, stage \$default \(rateLimit 1\/s, burstLimit 2\): answered 429; 1 request\(s\) refused so far/,
  );

  // One token's worth of time (plus slack for timers), and the route lets a request through again.
  await sleep(1000 / RATE_PER_SECOND + 150);
  const after = await call("/limited");
  assert.equal(after.status, 200, after.text);
  assert.deepEqual(after.json(), { routeKey: "GET /limited" });
});

test("a route without limits is never throttled", async () => {
  const responses = await Promise.all(Array.from({ length: 20 }, () => call("/free")));
  assert.deepEqual(
    responses.map((response) => response.status),
    Array.from({ length: 20 }, () => 200),
  );
  assert.doesNotMatch(portico.output, /throttled GET \/free/);
});
