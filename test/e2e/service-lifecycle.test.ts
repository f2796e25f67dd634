/**
 * A service's requests through `portico dev`, as Cloud Run handles them (cloudrun.md §1.5, 1.9, 2.1-2.3):
 * the request timeout, the pending queue and its 429, scale to zero and cold-start buffering, streaming
 * both ways, and scale-out within concurrency and maxInstances. Requests the fixture app must hold call
 * the test's gate server, so the test knows when they arrived and decides when they finish.
 */
import assert from "node:assert/strict";
import { type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { GateServer } from "../helpers/gate-server.js";
import type { TestResponse } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { waitForExit } from "../helpers/process-exit.js";
import { type ServiceDev, startServiceDev } from "../helpers/service-dev.js";

/** Cloud Run's answers (cloudrun.md §1.9), verbatim. */
const TIMEOUT_MESSAGE = "The request has been terminated because it has reached the maximum request timeout.";
const NO_INSTANCE_MESSAGE =
  "The request was aborted because there was no available instance. The Cloud Run service might have reached its maximum container instance limit or the service was otherwise not able to scale to incoming requests. This might be caused by a sudden increase in traffic, a long container startup time or a long request processing time.";

/** What the fixture app answers: who it is, and the most requests it ever had in flight at once. */
interface Answer {
  pid: number;
  peak: number;
}

const gates = new GateServer();
let dev: ServiceDev;

before(async () => {
  await gates.listen();
  dev = await startServiceDev(join(fixturesDir, "projects", "service-lifecycle", "traffic"));
});
after(async () => {
  await dev?.portico.stop();
  await gates.close();
});

function answer(response: TestResponse): Answer {
  assert.equal(response.status, 200, response.text);
  return response.json() as Answer;
}

/** Lines `portico dev` printed for `service`, by Portico or by the service's instances. */
function linesOf(service: string): string[] {
  return dev.portico.output.split("\n").filter((line) => line.startsWith(`[${service}] `));
}

/** Opens a request to `service` and resolves with its response as soon as the headers arrive. */
function open(
  service: string,
  path: string,
  method = "GET",
): { request: ClientRequest; response: Promise<IncomingMessage> } {
  const request = httpRequest({
    host: "127.0.0.1",
    port: dev.port,
    path,
    method,
    headers: { host: `${service}.localhost:${dev.port}` },
    signal: AbortSignal.timeout(15_000),
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once("response", resolve);
    request.once("error", reject);
  });
  return { request, response };
}

describe("service requests", { concurrency: true }, () => {
  test("a request past the service's timeout gets 504 with Cloud Run's message; the instance keeps running and serves the next one", async () => {
    const { pid } = answer(await dev.request("timeout", "/"));
    const mark = dev.portico.output.length;

    const late = await dev.request("timeout", "/slow?ms=3000");
    assert.equal(late.status, 504);
    assert.equal(late.text.trim(), TIMEOUT_MESSAGE);

    // Cloud Run does not stop the instance: the handler runs to its end...
    await dev.portico.waitFor(/\[timeout\] timeout-00001-[a-z]{3} instance-\d+: finished \/slow/, {
      from: mark,
    });
    // ...and the same instance takes the next request.
    assert.equal(answer(await dev.request("timeout", "/")).pid, pid);
    assert.doesNotMatch(dev.portico.output.slice(mark), /\[timeout\] .*(got SIGTERM|crashed)/);
  });

  test("with maxInstances 1 and concurrency 1, a request that waits past the pending limit gets 429 with Cloud Run's message", async () => {
    const held = dev.request("queue", `/hold?gate=${gates.ref("queue")}`, { timeoutMs: 40_000 });
    await gates.arrivals("queue");

    // The only instance is busy and none may start: Cloud Run's pending limit is 10 s at least (§2.3).
    const rejected = await dev.request("queue", "/", { timeoutMs: 40_000 });
    assert.equal(rejected.status, 429);
    assert.equal(rejected.text.trim(), NO_INSTANCE_MESSAGE);

    gates.open("queue");
    answer(await held);
    answer(await dev.request("queue", "/"));
  });

  test("an idle instance is stopped after idleTimeout, quietly; requests sent while none runs wait for new ones and succeed", async () => {
    const { pid } = answer(await dev.request("idle", "/"));
    await dev.portico.waitFor(
      new RegExp(`\\[idle\\] idle-00001-[a-z]{3} instance-\\d+: got SIGTERM \\(pid ${pid}\\)`),
    );
    await waitForExit(pid, 5_000);
    const started = linesOf("idle").filter((line) => / instance-\d+: listening on \d+$/.test(line));
    const stopped = linesOf("idle").filter((line) => / instance-\d+: got SIGTERM/.test(line));
    assert.equal(stopped.length, started.length, "every instance started so far has been stopped");

    const burst = await Promise.all(Array.from({ length: 5 }, () => dev.request("idle", "/")));
    for (const response of burst) assert.notEqual(answer(response).pid, pid);
    // Scaling to zero is routine: Portico reports no crash or failure for it.
    const alarming = linesOf("idle").filter((line) => /crash|fail|error|killed/i.test(line));
    assert.deepEqual(alarming, []);
    assert.doesNotMatch(dev.portico.output, /unexpected failure/);
  });

  test("a cold start for a burst within one instance's concurrency starts one instance", async () => {
    // The first instance idles for idleTimeout (1 s) and is stopped: none runs.
    await dev.portico.waitFor(/\[burst\] burst-00001-[a-z]{3} instance-1: got SIGTERM/);
    const mark = dev.portico.output.length;
    const burst = await Promise.all(Array.from({ length: 5 }, () => dev.request("burst", "/")));
    const pids = new Set(burst.map((response) => answer(response).pid));
    assert.equal(pids.size, 1);
    // Output is printed in batches, after the answers: once the burst's instance is stopped for idling, all that
    // the burst started has been printed.
    await dev.portico.waitFor(/\[burst\] \S+ instance-\d+: got SIGTERM/, { from: mark });
    const started = dev.portico.output.slice(mark).match(/\[burst\] \S+ instance-\d+: listening on/g);
    assert.equal(started?.length, 1, "instances started for 5 requests with concurrency 80");
  });

  test("minInstances 1 and maxInstances 1: one instance runs, and takes requests one at a time", async () => {
    const both = await Promise.all([dev.request("single", "/"), dev.request("single", "/")]);
    assert.equal(new Set(both.map((response) => answer(response).pid)).size, 1);
    const started = linesOf("single").filter((line) => / instance-\d+: listening on/.test(line));
    assert.equal(started.length, 1, started.join("\n"));
  });

  test("server-sent events reach the client as they are written", async () => {
    const { request, response } = open("stream", `/events?gate=${gates.ref("events")}`);
    request.end();
    const events = await response;
    events.setEncoding("utf8");
    assert.equal(events.statusCode, 200);
    assert.equal(events.headers["content-type"], "text/event-stream");
    assert.equal(events.headers["transfer-encoding"], "chunked");
    const chunks = events[Symbol.asyncIterator]() as AsyncIterator<string>;
    let received = "";
    while (!received.endsWith("\n\n")) {
      const next = await chunks.next();
      assert.ok(!next.done, `the stream ended after ${JSON.stringify(received)}`);
      received += next.value;
    }
    // The app writes the second event only once the gate opens: the first arrived on its own.
    assert.equal(received, "data: one\n\n");
    gates.open("events");
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) received += next.value;
    assert.equal(received, "data: one\n\ndata: two\n\n");
  });

  test("a streamed request body reaches the app while the client is still sending it", async () => {
    gates.open("upload");
    const { request, response } = open("stream", `/upload?gate=${gates.ref("upload")}`, "POST");
    request.write("first-chunk;");
    // The app reports its first chunk before the client has sent the rest.
    const [arrival] = await gates.arrivals("upload");
    const first = arrival?.query.get("first") ?? "";
    assert.ok(first !== "" && "first-chunk;".startsWith(first), `the app first got ${JSON.stringify(first)}`);
    request.end("second-chunk");

    const echo = await response;
    assert.equal(echo.statusCode, 200);
    echo.setEncoding("utf8");
    let body = "";
    for await (const chunk of echo) body += chunk;
    assert.equal(body, "first-chunk;second-chunk");
  });

  test("concurrency 2 and maxInstances 3: 6 requests at once are spread over 3 instances, at most 2 each", async () => {
    const requests = Array.from({ length: 6 }, () =>
      dev.request("spread", `/hold?gate=${gates.ref("spread")}`, { timeoutMs: 30_000 }),
    );
    // All 6 are in the app at once before any may finish.
    await gates.arrivals("spread", 6, 20_000);
    gates.open("spread");
    const answers = (await Promise.all(requests)).map(answer);

    const perInstance = new Map<number, number>();
    for (const { pid } of answers) perInstance.set(pid, (perInstance.get(pid) ?? 0) + 1);
    assert.deepEqual([...perInstance.values()], [2, 2, 2]);
    for (const { pid, peak } of answers) assert.ok(peak <= 2, `instance ${pid} had ${peak} requests at once`);
  });
});
