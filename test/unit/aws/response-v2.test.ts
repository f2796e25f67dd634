import assert from "node:assert/strict";
import { test } from "node:test";
import { type HttpResponse, mapResponseV2 } from "../../../src/aws/index.js";
import { readAwsFixture } from "../../helpers/aws-fixtures.js";

function mapped(payload: string): HttpResponse {
  const result = mapResponseV2(Buffer.from(payload));
  assert.ok(result.ok, result.ok ? "" : result.reason);
  return result.response;
}

function reasonFor(payload: string): string {
  const result = mapResponseV2(Buffer.from(payload));
  assert.equal(result.ok, false, `expected ${payload} to be malformed`);
  return result.ok ? "" : result.reason;
}

const JSON_TYPE: Array<readonly [string, string]> = [["Content-Type", "application/json"]];
const TEXT_PLAIN: readonly [string, string] = ["Content-Type", "text/plain; charset=utf-8"];

test("v2: anything that is not an object with statusCode is a 200 application/json body", () => {
  const cases: Array<[payload: string, body: string]> = [
    ['"Hello"', "Hello"],
    ['"Hello, World!"', "Hello, World!"],
    ['""', ""],
    ['"Special \\"quoted\\" text"', 'Special "quoted" text'],
    ['"line\\nbreak \\u00e9"', "line\nbreak é"],
    ["[1, 2, 3]", "[1, 2, 3]"],
    ["42", "42"],
    ["true", "true"],
    ["null", "null"],
    ['{"name": "John Doe", "age": 30}', '{"name": "John Doe", "age": 30}'],
    ['{"message":"no status","status":201}', '{"message":"no status","status":201}'],
    ['{"name": "John Doe", "age":', '{"name": "John Doe", "age":'],
    ["Hello, World!", "Hello, World!"],
    ["", ""],
  ];
  for (const [payload, body] of cases) {
    assert.deepEqual(mapped(payload), { statusCode: 200, headers: JSON_TYPE, body }, payload);
  }
});

test("v2: an object with statusCode is read as the response", () => {
  const cases: Array<[label: string, payload: object, expected: HttpResponse]> = [
    [
      "status, headers and body",
      {
        statusCode: 201,
        headers: { "content-type": "application/json", "x-custom-header": "a,b" },
        body: "{}",
      },
      {
        statusCode: 201,
        headers: [
          ["Content-Type", "application/json"],
          ["X-Custom-Header", "a,b"],
        ],
        body: "{}",
      },
    ],
    [
      "no content-type → text/plain; charset=utf-8",
      { statusCode: 200, body: "hi" },
      {
        statusCode: 200,
        headers: [TEXT_PLAIN],
        body: "hi",
      },
    ],
    ["missing body → empty", { statusCode: 204 }, { statusCode: 204, headers: [TEXT_PLAIN], body: "" }],
    [
      "null body → empty",
      { statusCode: 200, body: null },
      { statusCode: 200, headers: [TEXT_PLAIN], body: "" },
    ],
    [
      "numbers and booleans in headers are stringified; null headers skipped",
      {
        statusCode: 200,
        headers: { "X-Count": 3, "X-Flag": false, "X-None": null, "Content-Type": "text/html" },
      },
      {
        statusCode: 200,
        headers: [
          ["X-Count", "3"],
          ["X-Flag", "false"],
          ["Content-Type", "text/html"],
        ],
        body: "",
      },
    ],
    [
      "cookies become one Set-Cookie each",
      {
        statusCode: 200,
        cookies: ["a=1; Secure", "b=2; Max-Age=60"],
        headers: { "Content-Type": "text/plain" },
      },
      {
        statusCode: 200,
        headers: [
          ["Content-Type", "text/plain"],
          ["Set-Cookie", "a=1; Secure"],
          ["Set-Cookie", "b=2; Max-Age=60"],
        ],
        body: "",
      },
    ],
    [
      "framing headers from the function are dropped",
      {
        statusCode: 200,
        headers: { "Content-Length": "999", Connection: "close", "Transfer-Encoding": "chunked" },
      },
      { statusCode: 200, headers: [TEXT_PLAIN], body: "" },
    ],
    [
      "unknown keys and multiValueHeaders are ignored",
      { statusCode: 200, multiValueHeaders: { "X-A": ["1"] }, extra: true, body: "x" },
      { statusCode: 200, headers: [TEXT_PLAIN], body: "x" },
    ],
    ["statusCode 599 is accepted", { statusCode: 599 }, { statusCode: 599, headers: [TEXT_PLAIN], body: "" }],
  ];
  for (const [label, payload, expected] of cases)
    assert.deepEqual(mapped(JSON.stringify(payload)), expected, label);
});

test("v2: isBase64Encoded true decodes the body into bytes", () => {
  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
  const response = mapped(
    JSON.stringify({
      statusCode: 200,
      headers: { "content-type": "image/png" },
      body: bytes.toString("base64"),
      isBase64Encoded: true,
    }),
  );
  assert.deepEqual(response.body, bytes);
  assert.equal(
    mapped(JSON.stringify({ statusCode: 200, body: "aGk=", isBase64Encoded: false })).body,
    "aGk=",
  );
});

test("v2: an object with a bad statusCode or bad fields is malformed, with a reason for the log", () => {
  const cases: Array<[payload: object, reason: string]> = [
    [{ statusCode: 200.5 }, "statusCode must be an integer from 100 to 599, got 200.5"],
    [{ statusCode: 0 }, "statusCode must be an integer from 100 to 599, got 0"],
    [{ statusCode: "200" }, 'statusCode must be an integer from 100 to 599, got "200"'],
    [{ statusCode: null }, "statusCode must be an integer from 100 to 599, got null"],
    [{ statusCode: 99 }, "statusCode must be an integer from 100 to 599, got 99"],
    [{ statusCode: 600 }, "statusCode must be an integer from 100 to 599, got 600"],
    [{ statusCode: 200, body: { a: 1 } }, "body must be a string, got an object (JSON.stringify it first)"],
    [{ statusCode: 200, body: 5 }, "body must be a string, got 5 (JSON.stringify it first)"],
    [{ statusCode: 200, headers: ["x"] }, "headers must be an object, got an array"],
    [{ statusCode: 200, headers: { "X-A": { b: 1 } } }, "headers.X-A must be a string, got an object"],
    [{ statusCode: 200, headers: { "bad name": "v" } }, 'headers has an invalid header name "bad name"'],
    [
      { statusCode: 200, headers: { "X-A": "a\r\nX-Injected: 1" } },
      "headers.X-A has a character not allowed in a header value",
    ],
    [{ statusCode: 200, cookies: "a=1" }, 'cookies must be an array, got "a=1"'],
    [{ statusCode: 200, cookies: [1] }, "cookies must hold strings, got 1"],
    [{ statusCode: 200, isBase64Encoded: "true" }, 'isBase64Encoded must be a boolean, got "true"'],
  ];
  for (const [payload, reason] of cases) assert.equal(reasonFor(JSON.stringify(payload)), reason);
});

test("v2: the captured cookies response maps to Set-Cookie lines", () => {
  const payload = readAwsFixture("responses/v2-response-cookies.json");
  assert.deepEqual(mapped(JSON.stringify(payload)), {
    statusCode: 201,
    headers: [
      ["Content-Type", "application/json"],
      ["My-Custom-Header", "Custom Value"],
      ["Set-Cookie", "Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT"],
      ["Set-Cookie", "Cookie_2=Value2; Max-Age=78000"],
    ],
    body: '{ "message": "Hello, world!" }',
  });
});
