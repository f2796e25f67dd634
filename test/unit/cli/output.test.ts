/** Function logs printed for people: a destination that falls behind never makes Portico hold them all. */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { BatchedOutput, functionLogPrinter } from "../../../src/cli/output.js";

test("past a 16 MB backlog, function logs are dropped and the drop is reported once the output catches up", async () => {
  // A pipe whose reader has stopped: nothing written completes until the test lets it.
  const held: Array<() => void> = [];
  let written = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString("utf8");
      held.push(done);
    },
  });
  const print = functionLogPrinter(stream);
  const megabyte = `${"x".repeat(1024 * 1024 - 1)}\n`;
  let peak = 0;
  for (let i = 0; i < 40; i++) {
    print("flood", megabyte);
    await new Promise((resolve) => setImmediate(resolve));
    peak = Math.max(peak, stream.writableLength);
  }
  assert.ok(peak < 20 * 1024 * 1024, `backlog grew to ${peak} bytes`);

  while (held.length > 0) (held.shift() as () => void)();
  print("flood", "after\n");
  // Lines wait up to 10 ms for others; this timer, set later and longer, fires after that flush.
  await new Promise((resolve) => setTimeout(resolve, 50));
  while (held.length > 0) (held.shift() as () => void)();
  assert.match(
    written,
    /\[portico\] \d+ bytes of logs dropped: the output did not keep up\n\[flood\] after\n$/,
  );
});

test("lines wait a few milliseconds to be written together, in the order they came", async () => {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString("utf8"));
      done();
    },
  });
  const print = functionLogPrinter(stream);
  print("one", "a\n");
  BatchedOutput.of(stream).write("notice\n");
  print("two", "b\nc\n");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(writes, []);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(writes, ["[one] a\nnotice\n[two] b\n[two] c\n"]);
});

test("a line written in pieces is printed whole; the platform's next line ends one left unfinished", async () => {
  let written = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString("utf8");
      done();
    },
  });
  const print = functionLogPrinter(stream);
  const one = { instance: "i-1", requestId: "r-1" };
  const two = { instance: "i-2", requestId: "r-2" };
  // Werkzeug's request line, as an app wrote it in three writes, with another instance writing in between.
  print("app", '"', one);
  print("app", "\u001b[1mPOST /items HTTP/1.1\u001b[0m", one);
  print("app", "whole line\n", two);
  print("app", '" 400 -\nnext ', one);
  print("app", "END RequestId: r-1\n", { ...one, platform: true });
  print("app", "\rindented\n", two);
  print("app", "a prompt left unfinished: ", two);
  // Lines are written 10 ms after they come, an unfinished one 100 ms after: this timer, set later, fires after.
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(
    written,
    [
      "[app] whole line",
      '[app] "\u001b[1mPOST /items HTTP/1.1\u001b[0m" 400 -',
      "[app] next ",
      "[app] END RequestId: r-1",
      "[app] ",
      "[app]   indented",
      "[app] a prompt left unfinished: ",
      "",
    ].join("\n"),
  );
});
