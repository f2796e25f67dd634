import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BinaryMediaTypes,
  type HttpResponse,
  mapResponseRest,
  mapResponseV1,
} from "../../../src/aws/index.js";

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
      "without binary media types a base64 body is sent as the function wrote it",
      { statusCode: 200, body: Buffer.from("hi").toString("base64"), isBase64Encoded: true },
      { statusCode: 200, headers: [JSON_TYPE], body: Buffer.from("hi").toString("base64") },
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

test("REST: a base64 body is decoded only when the first Accept type or the response's type is binary", () => {
  const bytes = Buffer.from([0, 1, 2, 255]);
  const payload = (type: string) =>
    Buffer.from(
      JSON.stringify({
        statusCode: 200,
        headers: { "Content-Type": type },
        body: bytes.toString("base64"),
        isBase64Encoded: true,
      }),
    );
  const cases: Array<
    [label: string, types: string[], type: string, accept: string | undefined, decoded: boolean]
  > = [
    ["the response's type is binary", ["image/png"], "image/png", undefined, true],
    [
      "the first Accept type is binary",
      ["application/octet-stream"],
      "text/plain",
      "application/octet-stream",
      true,
    ],
    ["only a later Accept type is binary", ["image/png"], "text/plain", "text/html, image/png", false],
    ["a wildcard entry covers the response's type", ["image/*"], "image/jpeg", "*/*", true],
    ["*/* covers everything", ["*/*"], "application/json", undefined, true],
    ["an Accept of */* names no binary type", ["image/png"], "text/plain", "*/*", false],
    ["neither is binary", ["image/png"], "application/json", "application/json", false],
    ["parameters and case do not matter", ["image/png"], "Image/PNG; q=1", undefined, true],
  ];
  for (const [label, types, type, accept, decoded] of cases) {
    const result = mapResponseRest(payload(type), accept, new BinaryMediaTypes(types));
    assert.ok(result.ok, label);
    assert.deepEqual(result.response.body, decoded ? bytes : bytes.toString("base64"), label);
  }
});

test("REST: isBase64Encoded must still be a boolean when the body is not decoded", () => {
  const result = mapResponseRest(Buffer.from('{"statusCode":200,"body":"aGk=","isBase64Encoded":"yes"}'));
  assert.equal(result.ok, false);
  assert.match(result.ok ? "" : result.reason, /isBase64Encoded must be a boolean/);
});
