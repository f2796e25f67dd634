import assert from "node:assert/strict";
import { test } from "node:test";
import { type HttpResponse, mapResponseRest, mapResponseV1 } from "../../../src/aws/index.js";

function mapped(payload: object): HttpResponse {
  const result = mapResponseRest(Buffer.from(JSON.stringify(payload)));
  assert.ok(result.ok, result.ok ? "" : result.reason);
  return result.response;
}

const JSON_TYPE: readonly [string, string] = ["Content-Type", "application/json"];

test("REST: a response without Content-Type gets application/json (aws.md §0 item 5), unlike 1.0's text/plain", () => {
  const cases: Array<[label: string, payload: object, expected: HttpResponse]> = [
    [
      "sam init's hello world",
      { statusCode: 200, body: '{"message": "hello world"}' },
      { statusCode: 200, headers: [JSON_TYPE], body: '{"message": "hello world"}' },
    ],
    ["no body", { statusCode: 204 }, { statusCode: 204, headers: [JSON_TYPE], body: "" }],
    [
      "the function's own type is kept",
      { statusCode: 200, headers: { "content-type": "text/html" }, body: "<p>" },
      { statusCode: 200, headers: [["Content-Type", "text/html"]], body: "<p>" },
    ],
    [
      "a type given only in multiValueHeaders counts",
      { statusCode: 200, multiValueHeaders: { "Content-Type": ["text/csv"] } },
      { statusCode: 200, headers: [["Content-Type", "text/csv"]], body: "" },
    ],
    [
      "base64 bodies are decoded",
      { statusCode: 200, body: Buffer.from("hi").toString("base64"), isBase64Encoded: true },
      { statusCode: 200, headers: [JSON_TYPE], body: Buffer.from("hi") },
    ],
  ];
  for (const [label, payload, expected] of cases) assert.deepEqual(mapped(payload), expected, label);
  const v1 = mapResponseV1(Buffer.from('{"statusCode":200}'));
  assert.ok(v1.ok);
  assert.deepEqual(v1.response.headers, [["Content-Type", "text/plain; charset=utf-8"]]);
});

test("REST: for a name in both header maps the multi values come first (aws.md §4.2), 1.0 sends the single first", () => {
  const payload = {
    statusCode: 200,
    headers: { "X-Thing": "single" },
    multiValueHeaders: { "x-thing": ["m1", "m2"] },
  };
  assert.deepEqual(mapped(payload).headers, [
    ["X-Thing", "m1"],
    ["X-Thing", "m2"],
    ["X-Thing", "single"],
    JSON_TYPE,
  ]);
  const v1 = mapResponseV1(Buffer.from(JSON.stringify(payload)));
  assert.ok(v1.ok);
  assert.deepEqual(v1.response.headers.slice(0, 3), [
    ["X-Thing", "single"],
    ["X-Thing", "m1"],
    ["X-Thing", "m2"],
  ]);
});

test("REST: what 1.0 finds malformed, REST does too, for the same reason", () => {
  for (const payload of [
    "{}",
    '{"statusCode":200.5}',
    '"Hello"',
    "[1]",
    "null",
    "not json",
    '{"statusCode":200,"body":{}}',
  ]) {
    const rest = mapResponseRest(Buffer.from(payload));
    const v1 = mapResponseV1(Buffer.from(payload));
    assert.equal(rest.ok, false, payload);
    assert.deepEqual(rest, v1, payload);
  }
});
