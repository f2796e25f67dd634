/** isoTime against Date's own toISOString, across seconds, in order and out of it. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isoTime } from "../../../src/model/iso-time.js";

test("writes what toISOString writes, whichever second came before", () => {
  const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
  const times = [0, 1, 9, 10, 99, 100, 999, 1000, 1001];
  for (let i = 0; i < 3000; i += 7) times.push(start + i);
  times.push(start + 5, start - 86_400_000 + 123, start + 5);
  for (const time of times) assert.equal(isoTime(time), new Date(time).toISOString(), String(time));
});
