/** Log chunks: the texts that go in come out as the lines they hold, whatever a line holds. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LogRecord } from "../../../src/control/store/index.js";
import {
  chunkOfRecords,
  decodeLogChunk,
  lineCount,
  nameKey,
  packLogTexts,
  unpackLogTexts,
} from "../../../src/control/store/log-chunk.js";
import type { LogText } from "../../../src/observability/channels.js";

const odd = 'tabs\tand \u001f separators \u001e, a 😀, \\ and "quotes"';

test("texts come back whole and tagged, whatever they hold", () => {
  const texts: LogText[] = [
    {
      kind: "function",
      name: "items",
      time: 1_700_000_000_123,
      revision: "items:2",
      instance: "i-1",
      requestId: "r1",
      text: `START RequestId: r1\n${odd}\n`,
    },
    {
      kind: "api",
      name: "public",
      time: 5,
      requestId: "a1",
      relatedRequestId: "r1",
      text: '{"status":"200"}\n',
    },
    { kind: "service", name: "web", time: 6, text: "unfinished" },
  ];
  const chunk = packLogTexts(texts);
  assert.deepEqual(unpackLogTexts(chunk.text), texts);
  assert.equal(chunk.firstTime, 5);
  assert.equal(chunk.lastTime, 1_700_000_000_123);
  assert.equal(chunk.complete, false, "a text ends in part of a line");
  assert.equal(packLogTexts(texts.slice(0, 2)).complete, true);
  assert.deepEqual(unpackLogTexts(packLogTexts([]).text), []);
});

test("texts are read up to the first that is not whole: damaged bytes end a chunk, never hang its reader", () => {
  const whole = packLogTexts([{ kind: "function", name: "f", time: 1, text: "kept\n" }]).text;
  const damaged = [
    "function\u001ff\u001f2\u001f\u001f\u001f\u001f\u001f99\u001fshort",
    "function\u001ff\u001f2",
    "\u0000".repeat(64),
    "function\u001ff\u001f2\u001f\u001f\u001f\u001f\u001f-1\u001f",
  ];
  for (const tail of damaged) {
    assert.deepEqual(
      unpackLogTexts(whole + tail).map((text) => text.text),
      ["kept\n"],
      JSON.stringify(tail),
    );
  }
  assert.deepEqual(decodeLogChunk(Buffer.alloc(64), 1), []);
});

test("a chunk's lines are records numbered from its seq, blank lines counted but not kept", () => {
  const chunk = packLogTexts([
    { kind: "function", name: "f", time: 1, requestId: "r1", text: "one\r\n\ntwo\n" },
    { kind: "function", name: "f", time: 2, text: '{"level":"warn","message":"three","n":3}\n' },
  ]);
  assert.equal(lineCount(chunk), 4);
  const records = decodeLogChunk(chunk.text, 10);
  assert.deepEqual(
    records.map((r) => [r.seq, r.message, r.requestId, r.level]),
    [
      [10, "one", "r1", undefined],
      [12, "two", "r1", undefined],
      [13, "three", undefined, "WARN"],
    ],
  );
  assert.deepEqual(records[2]?.json, { level: "warn", message: "three", n: 3 });
});

test("records come back as they went in", () => {
  const accessLine = '{"requestId":"a1","status":"200"}';
  const records: LogRecord[] = [
    {
      time: 1000,
      kind: "function",
      name: "items",
      revision: "items:3",
      instance: "i-1",
      requestId: "r1",
      message: odd,
    },
    {
      time: 1002,
      kind: "function",
      name: "items",
      level: "ERROR",
      message: "bad",
      json: { level: "ERROR", message: "bad", n: 1 },
    },
    {
      time: 999,
      kind: "api",
      name: "public",
      requestId: "a1",
      relatedRequestId: "r1",
      message: accessLine,
      json: JSON.parse(accessLine),
      jsonText: accessLine,
    },
  ];
  const chunk = chunkOfRecords(records);
  assert.equal(lineCount(chunk), 3);
  assert.deepEqual(
    decodeLogChunk(chunk.text, 41),
    records.map(({ jsonText: _, ...record }, i) => ({ ...record, seq: 41 + i })),
  );
  assert.equal(chunk.text.split(accessLine).length, 2, "an access line's text is kept once");
});

test("a chunk's names find it by kind and name, by name alone and by kind alone", () => {
  const { names } = chunkOfRecords([
    { time: 1, kind: "function", name: "items", message: "x" },
    { time: 2, kind: "api", name: "public", message: "y" },
    { time: 3, kind: "function", name: "items", message: "z" },
  ]);
  assert.equal(names, nameKey("function", "items") + nameKey("api", "public"), "each name once");
  assert.ok(names.includes(nameKey(undefined, "public")));
  assert.ok(names.includes(nameKey("api", undefined)));
  assert.ok(!names.includes(nameKey("api", "items")));
  assert.ok(!names.includes(nameKey(undefined, "item")), "a name is matched whole");
  assert.ok(!names.includes(nameKey("service", undefined)));
});
