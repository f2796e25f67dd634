import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalHeaderName } from "../../../src/aws/index.js";

test("canonicalHeaderName capitalises each dash-separated word", () => {
  const cases: Array<[name: string, expected: string]> = [
    ["myheader", "Myheader"],
    ["x-custom-header", "X-Custom-Header"],
    ["content-type", "Content-Type"],
    ["CONTENT-TYPE", "Content-Type"],
    ["X-API-KEY", "X-Api-Key"],
    ["set-cookie", "Set-Cookie"],
    ["Content-Type", "Content-Type"],
    ["x-amzn-trace-id", "X-Amzn-Trace-Id"],
    ["www-authenticate", "Www-Authenticate"],
    ["x--double", "X--Double"],
    ["-leading", "-Leading"],
    ["x_under_score", "X_under_score"],
    ["x-1a", "X-1a"],
    ["", ""],
  ];
  for (const [name, expected] of cases) assert.equal(canonicalHeaderName(name), expected, name);
});
