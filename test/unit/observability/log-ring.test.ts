/**
 * The ring log texts cross to the writer's thread in: every batch reads back as packLogTexts packs the same texts,
 * across wraps and with characters of every UTF-8 length; a full ring refuses texts and loses nothing it took.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { packLogTexts } from "../../../src/control/store/log-chunk.js";
import type { LogText } from "../../../src/observability/channels.js";
import { LogRing, type RingBatch } from "../../../src/observability/logs/log-ring.js";

const text = (body: string, i: number): LogText => ({
  kind: i % 3 === 0 ? "api" : "function",
  name: i % 3 === 0 ? "shop" : "hello",
  time: 1_700_000_000_000 + i,
  revision: "3",
  instance: `i-${i % 4}`,
  requestId: `req-${i}`,
  text: body,
});

/** Bodies with 1-, 2-, 3- and 4-byte characters, and a lone surrogate (written as U+FFFD, one unit as well). */
/** A batch's text, as the writer's thread reads its bytes. */
const read = (ring: LogRing, batch: RingBatch) => LogRing.bytes(ring.buffer, batch).toString("utf8");

/** A text as UTF-8 keeps it, which is how the store has always kept lines: a lone surrogate becomes U+FFFD. */
const asStored = (packed: string) => Buffer.from(packed).toString("utf8");

const BODIES = [
  "plain line\n",
  "café ñ\n",
  "日本語のログ\n",
  "emoji 🚀🎉\n",
  "broken \ud800 pair\n",
  "a\nb\nc\n",
];

test("batches read back as packed, through many wraps of a small ring", () => {
  const ring = new LogRing(1024);
  // Batches taken and not yet released, as while the thread keeps them: what each held is checked when released.
  const inFlight: { batch: RingBatch; packed: string }[] = [];
  let gathered: LogText[] = [];
  let wraps = 0;
  let lastStart = 0;
  for (let i = 0; i < 2000; i++) {
    const logText = text(BODIES[i % BODIES.length] as string, i);
    if (!ring.add(logText)) {
      assert.ok(inFlight.length > 0, "refused with nothing to release");
      for (const { batch, packed } of inFlight.splice(0)) {
        assert.equal(read(ring, batch), packed, "untouched until released");
        ring.release();
      }
      assert.ok(ring.add(logText), "room once released");
    }
    gathered.push(logText);
    if (i % 7 === 6) {
      // A batch that would have run past the end was sealed there: together, in order, they hold the texts.
      const batches = ring.take();
      const packed = batches.map((batch) => read(ring, batch));
      assert.equal(packed.join(""), asStored(packLogTexts(gathered).text));
      for (const [n, batch] of batches.entries()) {
        if (batch.start < lastStart) wraps++;
        lastStart = batch.start;
        inFlight.push({ batch, packed: packed[n] as string });
      }
      gathered = [];
    }
  }
  assert.ok(wraps > 20, `wrapped many times (${wraps})`);
});

test("a batch's fields are its texts' own", () => {
  const ring = new LogRing(4096);
  const texts = [text("one\n", 1), text("two\n", 3), text("unfinished", 2)];
  for (const logText of texts) assert.ok(ring.add(logText));
  assert.equal(ring.gathered, 3);
  const { text: packed, ...fields } = packLogTexts(texts);
  assert.equal(ring.gatheredBytes, Buffer.byteLength(packed));
  const [batch, ...rest] = ring.take();
  assert.equal(rest.length, 0);
  assert.equal(ring.gathered, 0);
  assert.equal(ring.gatheredBytes, 0);
  assert.equal(read(ring, batch as RingBatch), packed);
  assert.deepEqual(
    { ...batch, start: undefined, bytes: undefined },
    { ...fields, start: undefined, bytes: undefined },
  );
  assert.equal(fields.complete, false);
});

test("a full ring refuses texts until the oldest batch is released, and a text larger than it always", () => {
  const ring = new LogRing(600);
  let added = 0;
  while (ring.add(text(`${"x".repeat(40)}\n`, added))) added++;
  assert.ok(added > 3, `some fit (${added})`);
  assert.equal(ring.take().length, 1);
  assert.equal(ring.add(text("no room yet\n", 0)), false);
  ring.release();
  assert.equal(ring.add(text("room again\n", 0)), true);
  assert.equal(ring.add(text("y".repeat(700), 0)), false);
  const [batch] = ring.take();
  assert.equal(read(ring, batch as RingBatch), packLogTexts([text("room again\n", 0)]).text);
});
