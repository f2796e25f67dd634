import assert from "node:assert/strict";
import { test } from "node:test";
import { type HttpResponse, mapResponseV1 } from "../../../src/aws/index.js";
import { readAwsFixture } from "../../helpers/aws-fixtures.js";

function mapped(payload: string): HttpResponse {
  const result = mapResponseV1(Buffer.from(payload));
  assert.ok(result.ok, result.ok ? "" : result.reason);
  return result.response;
}

function reasonFor(payload: string): string {
  const result = mapResponseV1(Buffer.from(payload));
  assert.equal(result.ok, false, `expected ${payload} to be malformed`);
  return result.ok ? "" : result.reason;
}

const TEXT_PLAIN: readonly [string, string] = ["Content-Type", "text/plain; charset=utf-8"];

test("v1: statusCode, headers and body are read; no Content-Type → text/plain; charset=utf-8", () => {
  const cases: Array<[label: string, payload: object, expected: HttpResponse]> = [
    [
      "plain response",
      { statusCode: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' },
      { statusCode: 200, headers: [["Content-Type", "application/json"]], body: '{"ok":true}' },
    ],
    [
      "no headers",
      { statusCode: 404, body: "nope" },
      { statusCode: 404, headers: [TEXT_PLAIN], body: "nope" },
    ],
    ["no body", { statusCode: 204 }, { statusCode: 204, headers: [TEXT_PLAIN], body: "" }],
    [
      "single value first, then the multi values, for the same name",
      { statusCode: 200, headers: { "X-Thing": "single" }, multiValueHeaders: { "x-thing": ["m1", "m2"] } },
      {
        statusCode: 200,
        headers: [["X-Thing", "single"], ["X-Thing", "m1"], ["X-Thing", "m2"], TEXT_PLAIN],
        body: "",
      },
    ],
    [
      "names only in one map are all kept",
      {
        statusCode: 200,
        headers: { "X-A": "a" },
        multiValueHeaders: { "Set-Cookie": ["s=1", "t=2"], "content-type": ["text/csv"], "X-Num": [1, true] },
      },
      {
        statusCode: 200,
        headers: [
          ["X-A", "a"],
          ["Set-Cookie", "s=1"],
          ["Set-Cookie", "t=2"],
          ["Content-Type", "text/csv"],
          ["X-Num", "1"],
          ["X-Num", "true"],
        ],
        body: "",
      },
    ],
    [
      "null maps and null values are skipped",
      { statusCode: 200, headers: null, multiValueHeaders: { "X-A": null }, body: null },
      { statusCode: 200, headers: [TEXT_PLAIN], body: "" },
    ],
    [
      "cookies (a 2.0 field) are ignored",
      { statusCode: 200, cookies: ["a=1"] },
      { statusCode: 200, headers: [TEXT_PLAIN], body: "" },
    ],
  ];
  for (const [label, payload, expected] of cases)
    assert.deepEqual(mapped(JSON.stringify(payload)), expected, label);
});

test("v1: missing, zero or non-integer statusCode, non-objects and invalid JSON are malformed", () => {
  const cases: Array<[payload: string, reason: string]> = [
    ["{}", "statusCode must be an integer from 100 to 599, got nothing"],
    ['{"body":"x"}', "statusCode must be an integer from 100 to 599, got nothing"],
    ['{"statusCode":0}', "statusCode must be an integer from 100 to 599, got 0"],
    ['{"statusCode":200.5}', "statusCode must be an integer from 100 to 599, got 200.5"],
    ['{"statusCode":"200"}', 'statusCode must be an integer from 100 to 599, got "200"'],
    ['"Hello"', 'the response must be a JSON object, got "Hello"'],
    ["[1, 2, 3]", "the response must be a JSON object, got an array"],
    ["42", "the response must be a JSON object, got 42"],
    ["null", "the response must be a JSON object, got null"],
    ['{"statusCode": 200, "body":', "the response is not valid JSON"],
    ["Hello", "the response is not valid JSON"],
    ["", "the response is not valid JSON"],
    ['{"statusCode":200,"multiValueHeaders":{"X-A":"a"}}', 'multiValueHeaders.X-A must be an array, got "a"'],
    ['{"statusCode":200,"multiValueHeaders":[]}', "multiValueHeaders must be an object, got an array"],
    ['{"statusCode":200,"headers":"x","multiValueHeaders":{}}', 'headers must be an object, got "x"'],
    ['{"statusCode":200,"body":[]}', "body must be a string, got an array (JSON.stringify it first)"],
  ];
  for (const [payload, reason] of cases) assert.equal(reasonFor(payload), reason, payload);
});

test("v1: the captured multi-value and binary responses map as AWS sends them", () => {
  const multi = mapped(JSON.stringify(readAwsFixture("responses/v1-response-multivalue-headers.json")));
  assert.equal(multi.statusCode, 200);
  assert.deepEqual(multi.headers, [
    ["Content-Type", "application/json"],
    ["X-Transaction-Id", "3490eea9-791b-47a0-91a4-326317db61a9"],
    ["Set-Cookie", "session_id=12345; Secure"],
  ]);
  assert.match(String(multi.body), /^\{"todos":\[/);

  const binaryPayload = readAwsFixture("responses/v1-response-binary-base64.json");
  const binary = mapped(JSON.stringify(binaryPayload));
  assert.deepEqual(binary.headers, [["Content-Type", "image/svg+xml"]]);
  assert.ok(Buffer.isBuffer(binary.body));
  assert.match(binary.body.toString("utf8"), /^<\?xml version="1.0"/);
  assert.equal(binary.body.toString("base64"), binaryPayload.body);
});
