/** Log texts to records: lines split across texts, JSON lines parsed, tags kept. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { logRecord } from "../../../src/control/store/log-record.js";
import type { LogText } from "../../../src/observability/channels.js";
import { LogLineSplitter } from "../../../src/observability/logs/log-lines.js";

const text = (body: string, tags: Partial<LogText> = {}): LogText => ({
  kind: "function",
  name: "items",
  text: body,
  time: 1000,
  ...tags,
});

test("a text of many lines is many records; an unfinished line waits for its end", () => {
  const splitter = new LogLineSplitter();
  const tags = { instance: "i1", revision: "key1", requestId: "r1" };
  assert.deepEqual(
    splitter.split(text("one\r\ntwo\n\nthr", tags)).map((r) => r.message),
    ["one", "two"],
  );
  assert.deepEqual(
    splitter.split(text("other instance\n", { instance: "i2" })).map((r) => r.message),
    ["other instance"],
  );
  const [three] = splitter.split(text("ee\n", tags));
  assert.deepEqual(three, {
    time: 1000,
    kind: "function",
    name: "items",
    revision: "key1",
    instance: "i1",
    requestId: "r1",
    message: "three",
  });
  splitter.split(text("never ended", tags));
  assert.deepEqual(
    splitter.drain().map((r) => r.message),
    ["never ended"],
  );
  assert.deepEqual(splitter.drain(), []);
});

test("a line that never ends is cut rather than held without bound", () => {
  const splitter = new LogLineSplitter();
  const records = splitter.split(text("x".repeat(200 * 1024)));
  assert.ok(records.length >= 3);
  assert.ok(records.every((r) => r.message.length <= 64 * 1024));
});

test("Lambda's JSON log format: level, message and request id from the line, the object kept", () => {
  const line = JSON.stringify({
    timestamp: "2026-01-01T00:00:00.000Z",
    level: "ERROR",
    message: { code: 7 },
    requestId: "abc",
  });
  const record = logRecord(text(""), line);
  assert.equal(record.level, "ERROR");
  assert.equal(record.message, '{"code":7}');
  assert.equal(record.requestId, "abc");
  assert.deepEqual(record.json, JSON.parse(line));
});

test("the instance's request id wins over a JSON line's; platform JSON lines give theirs", () => {
  const tagged = logRecord(text("", { requestId: "served" }), '{"message":"m","requestId":"other"}');
  assert.equal(tagged.requestId, "served");
  const platform = logRecord(text(""), '{"type":"platform.start","record":{"requestId":"r9"}}');
  assert.equal(platform.requestId, "r9");
  assert.equal(platform.message, '{"type":"platform.start","record":{"requestId":"r9"}}');
});

test("Cloud Run structured logging: severity and message; the service prefix becomes tags", () => {
  const service = text("", {
    kind: "service",
    name: "web",
    revision: "web-00001-abc",
    instance: "instance-1",
  });
  const line = `web-00001-abc instance-1: ${JSON.stringify({
    severity: "warning",
    message: "slow",
    "logging.googleapis.com/trace": "projects/p/traces/t1",
  })}`;
  const record = logRecord(service, line);
  assert.equal(record.level, "WARNING");
  assert.equal(record.message, "slow");
  assert.equal(record.json?.["logging.googleapis.com/trace"], "projects/p/traces/t1");
  assert.equal(logRecord(service, "web-00001-abc instance-1: plain").message, "plain");
});

test("plain text stays as written; Lambda's text format gives its level; broken JSON is text", () => {
  assert.deepEqual(logRecord(text(""), "hello"), {
    time: 1000,
    kind: "function",
    name: "items",
    message: "hello",
  });
  const lambda = logRecord(text(""), "2026-01-01T00:00:00.000Z\tr1\tERROR\tboom");
  assert.equal(lambda.level, "ERROR");
  assert.equal(lambda.message, "2026-01-01T00:00:00.000Z\tr1\tERROR\tboom");
  const broken = logRecord(text(""), "{not json}");
  assert.equal(broken.json, undefined);
  assert.equal(broken.message, "{not json}");
});
