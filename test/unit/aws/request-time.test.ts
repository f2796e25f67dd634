import assert from "node:assert/strict";
import { test } from "node:test";
import { formatRequestTime } from "../../../src/aws/index.js";

test("formatRequestTime renders dd/MMM/yyyy:HH:mm:ss +0000 in UTC", () => {
  const cases: Array<[epochMs: number, expected: string]> = [
    [1587481701067, "21/Apr/2020:15:08:21 +0000"],
    [1644163811849, "06/Feb/2022:16:10:11 +0000"],
    [1644265482216, "07/Feb/2022:20:24:42 +0000"],
    [1585091314270, "24/Mar/2020:23:08:34 +0000"],
    [1644163454741, "06/Feb/2022:16:04:14 +0000"],
    [0, "01/Jan/1970:00:00:00 +0000"],
    [Date.UTC(2024, 11, 31, 23, 59, 59, 999), "31/Dec/2024:23:59:59 +0000"],
    [Date.UTC(2024, 4, 5, 6, 7, 8), "05/May/2024:06:07:08 +0000"],
  ];
  for (const [epochMs, expected] of cases)
    assert.equal(formatRequestTime(epochMs), expected, String(epochMs));
});

test("formatRequestTime gives the same text within a second and new text across seconds", () => {
  const base = Date.UTC(2023, 6, 11, 17, 55, 19);
  assert.equal(formatRequestTime(base), "11/Jul/2023:17:55:19 +0000");
  assert.equal(formatRequestTime(base + 999), "11/Jul/2023:17:55:19 +0000");
  assert.equal(formatRequestTime(base + 1000), "11/Jul/2023:17:55:20 +0000");
  assert.equal(formatRequestTime(base - 1), "11/Jul/2023:17:55:18 +0000");
});
