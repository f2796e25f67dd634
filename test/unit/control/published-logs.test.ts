/** Function output is printed text by text, and published an invocation at a time, each text tagged as it came. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { PublishedLogs } from "../../../src/control/published-logs.js";
import type { LogTags } from "../../../src/functions/index.js";
import { type LogText, logText } from "../../../src/observability/channels.js";

let published: LogText[];
const onText = (message: unknown) => published.push(message as LogText);
beforeEach(() => {
  published = [];
  logText.subscribe(onText);
});
afterEach(() => logText.unsubscribe(onText));

/** The tags the instance pool gives an invocation's texts. */
function invocation(instance: string, requestId: string) {
  const tags = { revision: "1", instance, requestId };
  return {
    start: { ...tags, platform: true, ends: false } satisfies LogTags,
    output: tags satisfies LogTags,
    end: { ...tags, platform: true, ends: true } satisfies LogTags,
  };
}

test("an invocation's START, output and END are printed as they come and published as one text", () => {
  const printed: string[] = [];
  const logs = new PublishedLogs("function", (_name, text) => printed.push(text));
  const a = invocation("i-a", "r-a");
  const b = invocation("i-b", "r-b");
  logs.sink("f", "START a\n", a.start);
  logs.sink("f", "START b\n", b.start);
  logs.sink("f", "line a\n", a.output);
  assert.equal(published.length, 0, "nothing published before the invocation ends");
  logs.sink("f", "END a\n", a.end);
  logs.sink("f", "line b\n", b.output);
  logs.sink("f", "END b\n", b.end);
  assert.deepEqual(printed, ["START a\n", "START b\n", "line a\n", "END a\n", "line b\n", "END b\n"]);
  assert.deepEqual(
    published.map(({ text, instance, requestId, revision, kind, name }) => ({
      text,
      instance,
      requestId,
      revision,
      kind,
      name,
    })),
    [
      {
        text: "START a\nline a\nEND a\n",
        instance: "i-a",
        requestId: "r-a",
        revision: "1",
        kind: "function",
        name: "f",
      },
      {
        text: "START b\nline b\nEND b\n",
        instance: "i-b",
        requestId: "r-b",
        revision: "1",
        kind: "function",
        name: "f",
      },
    ],
  );
});

test("output outside an invocation is published at once, after what its instance's invocation wrote", () => {
  const logs = new PublishedLogs("function", () => {});
  const a = invocation("i-a", "r-a");
  logs.sink("f", "START a\n", a.start);
  logs.sink("f", "init done\n", { revision: "1" });
  assert.deepEqual(
    published.map((text) => text.text),
    ["init done\n"],
    "another writer's text does not close it",
  );
  logs.sink("f", "late timer\n", { revision: "1", instance: "i-a" });
  assert.deepEqual(
    published.map((text) => [text.text, text.requestId]),
    [
      ["init done\n", undefined],
      ["START a\n", "r-a"],
      ["late timer\n", undefined],
    ],
  );
});

test("a running invocation's texts are published without waiting for its end, and later ones keep their own time", async () => {
  const logs = new PublishedLogs("function", () => {});
  const a = invocation("i-a", "r-a");
  logs.sink("f", "START a\n", a.start);
  const deadline = Date.now() + 5_000;
  while (published.length === 0 && Date.now() < deadline) await sleep(5);
  assert.deepEqual(
    published.map((text) => text.text),
    ["START a\n"],
  );
  await sleep(30);
  const before = Date.now();
  logs.sink("f", "slow line\n", a.output);
  logs.sink("f", "END a\n", a.end);
  assert.deepEqual(
    published.map((text) => text.text),
    ["START a\n", "slow line\nEND a\n"],
  );
  assert.ok(
    (published[1] as LogText).time >= before,
    "a text joined later has the time of its own first line",
  );
});

test("a flood of output is published in texts of at most 64 K characters, nothing lost", () => {
  const logs = new PublishedLogs("function", () => {});
  const a = invocation("i-a", "r-a");
  logs.sink("f", "START a\n", a.start);
  const line = `${"x".repeat(1023)}\n`;
  for (let i = 0; i < 200; i++) logs.sink("f", line, a.output);
  logs.sink("f", "END a\n", a.end);
  assert.ok(published.length >= 4, `${published.length} texts`);
  assert.ok(published.every((text) => text.text.length < 64 * 1024 + line.length));
  assert.equal(published.map((text) => text.text).join(""), `START a\n${line.repeat(200)}END a\n`);
  assert.ok(published.every((text) => text.requestId === "r-a" && text.instance === "i-a"));
});

test("flush publishes what is open; nothing is gathered while nobody subscribes", () => {
  const logs = new PublishedLogs("service", () => {});
  const a = invocation("i-a", "r-a");
  logs.sink("web", "START a\n", a.start);
  logs.flush();
  assert.deepEqual(
    published.map((text) => [text.kind, text.name, text.text]),
    [["service", "web", "START a\n"]],
  );
  logText.unsubscribe(onText);
  const printed: string[] = [];
  const quiet = new PublishedLogs("function", (_name, text) => printed.push(text));
  quiet.sink("f", "START a\n", a.start);
  quiet.flush();
  assert.deepEqual(printed, ["START a\n"]);
  assert.equal(published.length, 1);
});
