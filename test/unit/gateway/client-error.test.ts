/** What the gateway answers when Node's parser gives up on a connection. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type ClientError, clientErrorAnswer } from "../../../src/gateway/client-error.js";

function parseError(code: string, reason?: string): ClientError {
  return Object.assign(new Error("Parse Error"), { code, reason });
}

test("each parser error gets its status and a JSON body; a client that is gone gets nothing", () => {
  const cases: Array<[ClientError, number | null, string | null]> = [
    [
      parseError("HPE_INVALID_METHOD", "Invalid method encountered"),
      400,
      '{"message":"Bad Request: malformed request (Invalid method encountered)"}',
    ],
    [
      parseError("HPE_INVALID_HEADER_TOKEN"),
      400,
      '{"message":"Bad Request: malformed request (Parse Error)"}',
    ],
    [parseError("ERR_HTTP_REQUEST_TIMEOUT"), 408, '{"message":"Request Timeout"}'],
    [parseError("HPE_HEADER_OVERFLOW"), 431, '{"message":"Request Header Fields Too Large"}'],
    [parseError("ECONNRESET"), null, null],
  ];
  for (const [error, status, body] of cases) {
    const answer = clientErrorAnswer(error);
    assert.equal(answer?.statusCode ?? null, status, error.code);
    assert.equal(answer?.body ?? null, body, error.code);
    if (answer) assert.deepEqual(answer.headers, [["Content-Type", "application/json"]]);
  }
});
