/**
 * `up` keeps log lines from a thread of its own, through its own connection to the store file: the lines are
 * there for the main connection to read, bounded by the store's retention, and a thread that cannot start hands
 * its work to the fallback writer.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MemoryStore, SqliteStore } from "../../../src/control/store/index.js";
import { packLogTexts } from "../../../src/control/store/log-chunk.js";
import { type LogText, logText } from "../../../src/observability/channels.js";
import { LogRecorder } from "../../../src/observability/logs/log-recorder.js";
import { StoreLogWriter } from "../../../src/observability/logs/log-writer.js";
import { ThreadLogWriter } from "../../../src/observability/logs/thread-log-writer.js";

const text = (body: string, requestId?: string): LogText => ({
  kind: "function",
  name: "f",
  text: body,
  time: Date.now(),
  instance: "i-1",
  ...(requestId === undefined ? {} : { requestId }),
});

async function withStore(
  logRetention: { maxBytes: number; maxAgeMs: number } | undefined,
  use: (store: SqliteStore) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "portico-log-thread-"));
  const store = SqliteStore.open(join(dir, "state.db"), logRetention ? { logRetention } : {});
  try {
    await use(store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test("a line one batch leaves unfinished is kept whole once a later batch ends it", async () => {
  await withStore(undefined, async (store) => {
    const writer = new ThreadLogWriter(store.logs.location, new StoreLogWriter(store.logs));
    const recorder = new LogRecorder(writer);
    recorder.start();
    try {
      logText.publish(text("first\nhalf a "));
      await recorder.flush();
      logText.publish(text("line\n"));
      await recorder.flush();
      logText.publish(text("after it\n"));
      logText.publish({ ...text("another instance\n"), instance: "i-2" });
      await recorder.flush();
      assert.deepEqual(
        (await store.logs.query({})).map((record) => record.message),
        ["first", "half a line", "after it", "another instance"],
      );
    } finally {
      await recorder.stop();
    }
  });
});

test("published texts are split, parsed and kept by the thread; stop keeps the unfinished line", async () => {
  await withStore(undefined, async (store) => {
    const location = store.logs.location;
    const writer = new ThreadLogWriter(location, new StoreLogWriter(store.logs));
    const recorder = new LogRecorder(writer);
    recorder.start();
    logText.publish(text("plain\n", "req-1"));
    logText.publish(text('{"level":"warn","message":"parsed","requestId":"req-2"}\nunfin', "req-1"));
    logText.publish(text("ished"));
    await recorder.flush();
    const kept = await store.logs.query({});
    assert.deepEqual(
      kept.map((record) => [record.message, record.level, record.requestId]),
      [
        ["plain", undefined, "req-1"],
        ["parsed", "WARN", "req-1"],
      ],
    );
    await recorder.stop();
    assert.equal((await store.logs.query({})).at(-1)?.message, "unfinished");
    assert.equal(writer.failed, false, "the thread did the writing, not the fallback");
    assert.equal(logText.hasSubscribers, false);
  });
});

test("chunks the thread keeps as bytes are found by name, text and request id, in any script", async () => {
  await withStore(undefined, async (store) => {
    const writer = new ThreadLogWriter(store.logs.location, new StoreLogWriter(store.logs));
    writer.add(text("Grüße aus Köln 🚀\n", "req-1"));
    writer.add({ ...text("second ABC\n", "req-2"), name: "g" });
    assert.equal(await writer.flush(undefined), 0);
    writer.add(text("third\n", "req-1"));
    assert.equal(await writer.flush(undefined), 0);
    const messages = async (query: Parameters<typeof store.logs.query>[0]) =>
      (await store.logs.query(query)).map((record) => record.message);
    assert.deepEqual(await messages({}), ["Grüße aus Köln 🚀", "second ABC", "third"]);
    assert.deepEqual(await messages({ requestId: "req-1" }), ["Grüße aus Köln 🚀", "third"]);
    assert.deepEqual(await messages({ name: "g" }), ["second ABC"]);
    assert.deepEqual(await messages({ filter: "abc" }), ["second ABC"]);
    assert.deepEqual(await messages({ filter: "Köln" }), ["Grüße aus Köln 🚀"]);
    const [first] = await store.logs.query({});
    assert.deepEqual(await messages({ after: first?.seq }), ["second ABC", "third"]);
    await writer.close();
  });
});

test("a batch is full at an eighth of the ring's bytes, however many texts it holds; the recorder keeps it then", async () => {
  await withStore(undefined, async (store) => {
    const writer = new ThreadLogWriter(store.logs.location, new StoreLogWriter(store.logs), {
      ringBytes: 64_000,
    });
    const recorder = new LogRecorder(writer);
    recorder.start();
    try {
      const line = `${"x".repeat(99)}\n`;
      const packedBytes = Buffer.byteLength(packLogTexts([text(line)]).text);
      const fitting = Math.floor((64_000 / 8 - 1) / packedBytes);
      for (let i = 0; i < fitting; i++) logText.publish(text(line));
      assert.equal(writer.gathered, fitting, "one byte short of an eighth: not full");
      logText.publish(text(line));
      assert.equal(writer.gathered, 0, "taken on the text that filled the batch, not at the interval");
      await recorder.flush();
      assert.equal((await store.logs.query({ limit: 1000 })).length, fitting + 1);
    } finally {
      await recorder.stop();
    }
  });
});

test("with a size bound smaller than the ring, a batch is full at an eighth of the bound", async () => {
  await withStore({ maxBytes: 16_000, maxAgeMs: 3600_000 }, async (store) => {
    const writer = new ThreadLogWriter(store.logs.location, new StoreLogWriter(store.logs), {
      ringBytes: 64_000,
    });
    const line = `${"y".repeat(99)}\n`;
    const packedBytes = Buffer.byteLength(packLogTexts([text(line)]).text);
    const fitting = Math.floor((16_000 / 8 - 1) / packedBytes);
    for (let i = 0; i < fitting; i++) assert.ok(writer.add(text(line)));
    assert.equal(writer.full, false, "one byte short of an eighth of the bound");
    assert.ok(writer.add(text(line)));
    assert.equal(writer.full, true);
    assert.equal(await writer.flush(undefined), 0);
    await writer.close();
  });
});

test("the thread drops the oldest lines past the store's size bound", async () => {
  await withStore({ maxBytes: 2000, maxAgeMs: 3600_000 }, async (store) => {
    const writer = new ThreadLogWriter(store.logs.location, new StoreLogWriter(store.logs));
    for (let i = 0; i < 100; i++) {
      assert.ok(writer.add(text(`line ${i} ${"x".repeat(50)}\n`)));
      assert.equal(await writer.flush(undefined), 0);
    }
    await writer.close();
    const kept = await store.logs.query({ limit: 1000 });
    assert.ok(kept.length > 0 && kept.length < 100, `some kept, the oldest dropped (kept ${kept.length})`);
    assert.match(kept.at(-1)?.message ?? "", /^line 99 /);
    assert.equal(writer.failed, false);
  });
});

test("when the thread cannot open the store, writes fail until it is known, then go to the fallback", async () => {
  const fallback = new MemoryStore();
  const missing = join(tmpdir(), "portico-no-such-dir", "state.db");
  const writer = new ThreadLogWriter(
    { sqliteFile: missing, retention: { maxBytes: 1_000_000, maxAgeMs: 3600_000 } },
    new StoreLogWriter(fallback.logs),
  );
  writer.add(text("lost\n"));
  assert.equal(await writer.flush(undefined), 1, "the line sent to the failed thread is counted as lost");
  assert.equal(writer.failed, true);
  assert.ok(writer.add(text("kept\n")));
  assert.equal(await writer.flush(undefined), 0);
  await writer.close();
  assert.deepEqual(
    (await fallback.logs.query({})).map((record) => record.message),
    ["kept"],
  );
});
