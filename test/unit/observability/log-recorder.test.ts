/** The recorder keeps published log texts in the store in batches, bounded, and lets go on stop. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStore } from "../../../src/control/store/index.js";
import { type LogText, logText } from "../../../src/observability/channels.js";
import { LogRecorder } from "../../../src/observability/logs/log-recorder.js";
import { StoreLogWriter } from "../../../src/observability/logs/log-writer.js";

const publish = (body: string) =>
  logText.publish({ kind: "function", name: "f", text: body, time: Date.now() } satisfies LogText);

test("lines published while it records reach the store in one batch; none after stop", async () => {
  const store = new MemoryStore();
  const recorder = new LogRecorder(new StoreLogWriter(store.logs));
  recorder.start();
  publish("a\nb\n");
  publish("partial");
  assert.deepEqual(await store.logs.query({}), [], "not written on the publisher's path");
  await recorder.flush();
  assert.deepEqual(
    (await store.logs.query({})).map((r) => r.message),
    ["a", "b"],
  );
  await recorder.stop();
  assert.deepEqual(
    (await store.logs.query({})).map((r) => r.message),
    ["a", "b", "partial"],
    "stop writes the unfinished line",
  );
  publish("after stop\n");
  await recorder.flush();
  assert.equal((await store.logs.query({})).length, 3);
  assert.equal(logText.hasSubscribers, false);
});

test("a batch of 500 texts on the heap is kept at once, not at the interval", async () => {
  const store = new MemoryStore();
  const writer = new StoreLogWriter(store.logs);
  const recorder = new LogRecorder(writer);
  recorder.start();
  try {
    for (let i = 0; i < 499; i++) publish(`line ${i}\n`);
    assert.equal(writer.gathered, 499);
    publish("line 499\n");
    assert.equal(writer.gathered, 0);
  } finally {
    await recorder.stop();
  }
  assert.equal((await store.logs.query({ limit: 1000 })).length, 500);
});

test("a flood beyond the pending bound is dropped and counted", async () => {
  const store = new MemoryStore();
  const recorder = new LogRecorder(new StoreLogWriter(store.logs, { maxPendingChars: 50_000 }));
  recorder.start();
  // Appends are queued behind one that has not finished: the batch cannot be written meanwhile.
  const original = store.logs.append.bind(store.logs);
  let release: () => void = () => {};
  const blocked = new Promise<void>((resolve) => {
    release = resolve;
  });
  store.logs.append = async (records) => {
    await blocked;
    return original(records);
  };
  for (let i = 0; i < 100; i++) publish(`${"line\n".repeat(1000)}`);
  assert.ok(recorder.dropped > 0, "some lines dropped");
  release();
  await recorder.stop();
  const kept = await store.logs.query({ limit: 1_000_000 });
  const notice = kept.at(-1);
  assert.equal(notice?.level, "WARN");
  assert.equal(
    notice?.message,
    `${recorder.dropped} log lines dropped here: they came faster than the log store could keep them`,
  );
  assert.equal(kept.length - 1 + recorder.dropped, 100_000);
});
