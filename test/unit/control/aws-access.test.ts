/** Who may call the AWS-compatible endpoints, in each of the three modes; and the log tail Invoke returns. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AwsAccess } from "../../../src/control/aws-api/index.js";
import { LogTail } from "../../../src/control/log-tail.js";

const AMZ_DATE = new Date()
  .toISOString()
  .replace(/[-:]/g, "")
  .replace(/\.\d{3}/, "");
const request = (authorization?: string) => ({
  method: "GET",
  url: "/2015-03-31/functions",
  rawHeaders: [
    "X-Amz-Date",
    AMZ_DATE,
    "Host",
    "127.0.0.1:3001",
    ...(authorization === undefined ? [] : ["Authorization", authorization]),
  ],
});
const SIGV4 = `AWS4-HMAC-SHA256 Credential=anything/${AMZ_DATE.slice(0, 8)}/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
const credentials = new Map([["portico", "aws-secret-0123456789abcdef"]]);

describe("AwsAccess", () => {
  test("without a token or a key: any credentials, as long as they come as AWS tools send them", async () => {
    const access = new AwsAccess({});
    assert.equal(access.mode, "open");
    assert.equal(access.checkHead(request(SIGV4), "lambda"), undefined);
    assert.equal(await access.verify(request(SIGV4), Buffer.alloc(0), "lambda"), undefined);
    assert.equal(access.checkHead(request(), "lambda")?.errorType, "MissingAuthenticationTokenException");
    assert.equal(
      access.checkHead(request("Bearer admin-token-0123456789"), "lambda")?.errorType,
      "IncompleteSignatureException",
    );
  });

  test("with a token and no key: shut, saying which variables open it", () => {
    const access = new AwsAccess({ token: "admin-token-0123456789" });
    assert.equal(access.mode, "closed");
    const refusal = access.checkHead(request(SIGV4), "lambda");
    assert.equal(refusal?.status, 403);
    assert.equal(refusal?.errorType, "UnrecognizedClientException");
    assert.match(refusal?.message ?? "", /PORTICO_AWS_ACCESS_KEY_ID and PORTICO_AWS_SECRET_ACCESS_KEY/);
  });

  test("with a key, token or not: signatures are checked", async () => {
    for (const access of [
      new AwsAccess({ credentials }),
      new AwsAccess({ credentials, token: "admin-token-0123456789" }),
    ]) {
      assert.equal(access.mode, "signed");
      // An access key Portico does not hold is refused from the head alone.
      assert.equal(access.checkHead(request(SIGV4), "lambda")?.errorType, "UnrecognizedClientException");
    }
  });
});

describe("LogTail", () => {
  test("keeps the last bytes however much is written", () => {
    const tail = new LogTail(10);
    assert.equal(tail.bytes().toString(), "");
    tail.append("START\n");
    assert.equal(tail.bytes().toString(), "START\n");
    for (let i = 0; i < 100; i++) tail.append(`line ${i}\n`);
    assert.equal(tail.bytes().toString(), "8\nline 99\n");
  });
});
