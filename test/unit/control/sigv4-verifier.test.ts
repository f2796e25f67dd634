/**
 * The SigV4 verifier against requests signed by AWS's own signers: the SDK's SignatureV4 directly, and
 * end to end the SDK's Lambda and API Gateway v2 clients and the AWS CLI (botocore), talking to a small
 * server that runs the verifier and answers as those APIs do.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { ApiGatewayV2Client, GetApisCommand } from "@aws-sdk/client-apigatewayv2";
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { HttpRequest } from "@smithy/core/protocols";
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  renderSigV4Refusal,
  type SignedRequest,
  type SigV4Refusal,
  type SigV4Verdict,
  SigV4Verifier,
  type SigV4VerifierOptions,
} from "../../../src/control/aws-api/index.js";
import { listen, readLimitedBody } from "../../../src/http/index.js";
import { send } from "../../helpers/http-client.js";

const run = promisify(execFile);

// The SDK warns once per process that its releases from 2027 want Node.js 22; that is not under test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const ACCESS_KEY_ID = "portico-test";
const SECRET = "test-secret-0123456789abcdef";
const CREDENTIALS = new Map([[ACCESS_KEY_ID, SECRET]]);
const HOST = "127.0.0.1:3001";
/** 2026-03-14T15:09:26Z: tests that sign directly pin both clocks here. */
const SIGNED_AT = Date.UTC(2026, 2, 14, 15, 9, 26);
const FIVE_MINUTES = 5 * 60_000;

class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super("sha256", secret);
  }
}

interface ToSign {
  readonly method?: string;
  /** Percent-encoded, as an SDK puts it on the wire. */
  readonly path?: string;
  readonly query?: Record<string, string | string[]>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly accessKeyId?: string;
  readonly secret?: string;
  readonly service?: string;
  readonly signedAt?: number;
  /** Adds `x-amz-content-sha256`, as the JS SDK does (botocore does not). */
  readonly contentSha256?: boolean;
}

interface Signed {
  readonly request: SignedRequest;
  readonly body: Buffer;
}

/** A request signed by the SDK's SignatureV4, laid out as node's parser hands it over. */
async function sign(options: ToSign = {}): Promise<Signed> {
  const body = Buffer.from(options.body ?? "");
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId ?? ACCESS_KEY_ID,
      secretAccessKey: options.secret ?? SECRET,
    },
    region: "us-east-1",
    service: options.service ?? "lambda",
    sha256: Sha256,
    applyChecksum: options.contentSha256 ?? true,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: options.method ?? "GET",
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 3001,
      path: options.path ?? "/2015-03-31/functions/",
      query: options.query ?? {},
      headers: { host: HOST, ...options.headers },
      body: body.length > 0 ? body : undefined,
    }),
    { signingDate: new Date(options.signedAt ?? SIGNED_AT) },
  );
  const rawHeaders = Object.entries(signed.headers).flat();
  return {
    request: { method: signed.method, url: urlOf(signed.path, signed.query ?? {}), rawHeaders },
    body,
  };
}

/** Path and query as an SDK writes them: values percent-encoded, repeated keys repeated. */
function urlOf(path: string, query: Record<string, string | string[] | null>): string {
  const pairs = Object.entries(query).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value ?? ""]).map(
      (one) => `${encodeURIComponent(key)}=${encodeURIComponent(one)}`,
    ),
  );
  return pairs.length > 0 ? `${path}?${pairs.join("&")}` : path;
}

function verifier(options: Partial<SigV4VerifierOptions> = {}): SigV4Verifier {
  return new SigV4Verifier({ credentials: CREDENTIALS, now: () => SIGNED_AT, ...options });
}

/** A copy of a signed request with one header's value replaced (or added), as a proxy might. */
function withHeader(signed: Signed, name: string, value: string): Signed {
  const rawHeaders = [...signed.request.rawHeaders];
  const at = rawHeaders.findIndex((header, i) => i % 2 === 0 && header.toLowerCase() === name);
  if (at === -1) rawHeaders.push(name, value);
  else rawHeaders[at + 1] = value;
  return { ...signed, request: { ...signed.request, rawHeaders } };
}

function withoutHeader(signed: Signed, name: string): Signed {
  const rawHeaders: string[] = [];
  const sent = signed.request.rawHeaders;
  for (let i = 0; i < sent.length; i += 2) {
    if ((sent[i] as string).toLowerCase() !== name) rawHeaders.push(sent[i] as string, sent[i + 1] as string);
  }
  return { ...signed, request: { ...signed.request, rawHeaders } };
}

function assertRefused(
  verdict: SigV4Verdict,
  status: number,
  errorType: string,
  message?: RegExp,
): SigV4Refusal {
  assert.equal(verdict.ok, false, `expected a refusal, got ${JSON.stringify(verdict)}`);
  const refusal = verdict as SigV4Refusal;
  assert.equal(refusal.status, status);
  assert.equal(refusal.errorType, errorType);
  if (message) assert.match(refusal.message, message);
  assert.ok(refusal.reason.length > 0 && !refusal.reason.includes("\n"), "the reason is one line");
  assert.ok(!refusal.message.includes(SECRET) && !refusal.reason.includes(SECRET), "the secret never shows");
  return refusal;
}

const MISMATCH = /^The request signature we calculated does not match the signature you provided\./;

describe("SigV4Verifier, with requests signed by the SDK's SignatureV4", () => {
  test("accepts a signed request and names its access key", async () => {
    const { request, body } = await sign();
    assert.deepEqual(await verifier().verify(request, body, { service: "lambda" }), {
      ok: true,
      accessKeyId: ACCESS_KEY_ID,
    });
  });

  test("accepts a signed body, with and without x-amz-content-sha256", async () => {
    for (const contentSha256 of [true, false]) {
      const { request, body } = await sign({
        method: "POST",
        path: "/2015-03-31/functions/my-function/invocations",
        headers: { "content-type": "application/json" },
        body: '{"hello":"world"}',
        contentSha256,
      });
      const hasHeader = request.rawHeaders.includes("x-amz-content-sha256");
      assert.equal(hasHeader, contentSha256);
      assert.equal((await verifier().verify(request, body)).ok, true, `contentSha256: ${contentSha256}`);
    }
  });

  test("accepts an encoded path and a query with encoded, repeated and empty values", async () => {
    const { request, body } = await sign({
      path: `/2015-03-31/functions/${encodeURIComponent("arn:aws:lambda:us-east-1:123456789012:function:f")}/aliases`,
      query: { Qualifier: "a b/c", Marker: ["2", "1"], Empty: "" },
    });
    assert.match(request.url as string, /arn%3Aaws%3Alambda.*Qualifier=a%20b%2Fc/);
    assert.equal((await verifier().verify(request, body)).ok, true);
  });

  test("accepts user-agent when the client signed it, and a header sent twice as its joined value", async () => {
    const signed = await sign({ headers: { "user-agent": "aws-sdk-java/1.11", "x-custom": "a,b" } });
    assert.match(signed.request.rawHeaders.join(" "), /user-agent/);
    // On the wire the header comes twice; SigV4 signs the values comma-joined.
    const twice = withoutHeader(signed, "x-custom");
    const rawHeaders = [...twice.request.rawHeaders, "X-Custom", "a", "X-Custom", " b "];
    assert.equal((await verifier().verify({ ...twice.request, rawHeaders }, twice.body)).ok, true);
  });

  test("ignores headers that were not signed", async () => {
    const signed = withHeader(await sign(), "x-forwarded-for", "10.0.0.1");
    assert.equal((await verifier().verify(signed.request, signed.body)).ok, true);
  });

  test("refuses a wrong secret as AWS does, showing what it signed", async () => {
    const { request, body } = await sign({ secret: "not-the-secret-0123456789" });
    const refusal = assertRefused(
      await verifier().verify(request, body),
      403,
      "InvalidSignatureException",
      MISMATCH,
    );
    assert.match(
      refusal.message,
      /The Canonical String for this request should have been\n'GET\n\/2015-03-31\/functions\/\n/,
    );
    assert.match(
      refusal.message,
      /The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260314T150926Z\n20260314\/us-east-1\/lambda\/aws4_request\n[0-9a-f]{64}'/,
    );
  });

  test("refuses an access key it does not hold", async () => {
    const { request, body } = await sign({ accessKeyId: "someone-else" });
    assertRefused(
      await verifier().verify(request, body),
      403,
      "UnrecognizedClientException",
      /^The security token included in the request is invalid\.$/,
    );
  });

  test("refuses temporary credentials (a session token)", async () => {
    const signed = withHeader(await sign(), "x-amz-security-token", "FwoGZXIvYXdzE");
    assertRefused(await verifier().verify(signed.request, signed.body), 403, "UnrecognizedClientException");
  });

  test("refuses a request changed after it was signed", async () => {
    const post = { method: "POST", path: "/2015-03-31/functions/f/invocations", body: '{"n":1}' };
    const withHash = await sign(post);
    const withoutHash = await sign({ ...post, contentSha256: false });
    const plain = await sign({ query: { MaxItems: "10" } });
    const cases: Array<[string, Signed, RegExp]> = [
      [
        "the body, under x-amz-content-sha256",
        { ...withHash, body: Buffer.from('{"n":2}') },
        /x-amz-content-sha256/,
      ],
      ["the body, without x-amz-content-sha256", { ...withoutHash, body: Buffer.from('{"n":2}') }, MISMATCH],
      [
        "the path",
        {
          ...plain,
          request: { ...plain.request, url: (plain.request.url as string).replace("functions", "layers") },
        },
        MISMATCH,
      ],
      [
        "the query",
        { ...plain, request: { ...plain.request, url: (plain.request.url as string).replace("10", "11") } },
        MISMATCH,
      ],
      ["the method", { ...plain, request: { ...plain.request, method: "DELETE" } }, MISMATCH],
      ["a signed header", withHeader(plain, "host", "127.0.0.1:3002"), MISMATCH],
      ["a signed header, removed", withoutHeader(withHash, "x-amz-content-sha256"), MISMATCH],
    ];
    for (const [title, signed, message] of cases) {
      const refusal = assertRefused(
        await verifier().verify(signed.request, signed.body),
        403,
        "InvalidSignatureException",
        message,
      );
      assert.ok(refusal.reason.length > 0, title);
    }
  });

  test("refuses UNSIGNED-PAYLOAD: the body would go unchecked", async () => {
    const { request, body } = await sign({
      method: "POST",
      path: "/2015-03-31/functions/f/invocations",
      headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      body: "{}",
    });
    const refusal = assertRefused(await verifier().verify(request, body), 403, "InvalidSignatureException");
    assert.match(refusal.reason, /UNSIGNED-PAYLOAD/);
  });

  test("allows 5 minutes of clock skew either way, and refuses more in AWS's words", async () => {
    const { request, body } = await sign();
    // Each verifier remembers what it accepted, so each case gets its own.
    for (const offset of [-FIVE_MINUTES, FIVE_MINUTES, 0]) {
      assert.equal((await verifier({ now: () => SIGNED_AT + offset }).verify(request, body)).ok, true);
    }
    assertRefused(
      await verifier({ now: () => SIGNED_AT + FIVE_MINUTES + 1000 }).verify(request, body),
      403,
      "InvalidSignatureException",
      /^Signature expired: 20260314T150926Z is now earlier than 20260314T150927Z \(20260314T151427Z - 5 min\.\)$/,
    );
    assertRefused(
      await verifier({ now: () => SIGNED_AT - FIVE_MINUTES - 1000 }).verify(request, body),
      403,
      "InvalidSignatureException",
      /^Signature not yet current: 20260314T150926Z is still later than 20260314T150925Z \(20260314T150425Z \+ 5 min\.\)$/,
    );
  });

  test("takes the allowed skew as an option", async () => {
    const { request, body } = await sign();
    const strict = verifier({ now: () => SIGNED_AT + 61_000, maxSkewMs: 60_000 });
    assertRefused(await strict.verify(request, body), 403, "InvalidSignatureException", /- 1 min\.\)$/);
  });

  test("refuses a replay, and remembers each signature only while it could be replayed", async () => {
    let now = SIGNED_AT;
    const once = verifier({ now: () => now });
    const first = await sign();
    assert.equal((await once.verify(first.request, first.body)).ok, true);
    assertRefused(
      await once.verify(first.request, first.body),
      429,
      "TooManyRequestsException",
      /^Rate exceeded$/,
    );
    // Another request, signed at the same second, is another signature.
    const second = await sign({ query: { MaxItems: "1" } });
    assert.equal((await once.verify(second.request, second.body)).ok, true);
    // Past the skew the replay is refused as expired, and forgotten.
    now = SIGNED_AT + FIVE_MINUTES + 1000;
    assertRefused(
      await once.verify(first.request, first.body),
      403,
      "InvalidSignatureException",
      /^Signature expired/,
    );
  });

  test("asks clients to slow down when its replay memory is full, and makes room as signatures expire", async () => {
    let now = SIGNED_AT;
    const small = verifier({ now: () => now, maxRemembered: 1 });
    const first = await sign();
    const second = await sign({ query: { MaxItems: "1" }, signedAt: SIGNED_AT + 60_000 });
    assert.equal((await small.verify(first.request, first.body)).ok, true);
    const refusal = assertRefused(
      await small.verify(second.request, second.body),
      429,
      "TooManyRequestsException",
    );
    assert.match(refusal.reason, /replay memory is full/);
    now = SIGNED_AT + FIVE_MINUTES + 1000;
    assert.equal((await small.verify(second.request, second.body)).ok, true);
  });

  test("refuses a credential scoped to another service or day", async () => {
    const apigateway = await sign({ service: "apigateway" });
    assertRefused(
      await verifier().verify(apigateway.request, apigateway.body, { service: "lambda" }),
      403,
      "InvalidSignatureException",
      /^Credential should be scoped to correct service: 'lambda'\. $/,
    );
    assert.equal(
      (await verifier().verify(apigateway.request, apigateway.body, { service: "apigateway" })).ok,
      true,
    );
    const otherDay = withHeader(apigateway, "x-amz-date", "20260315T000000Z");
    assertRefused(
      await verifier().verify(otherDay.request, otherDay.body),
      403,
      "InvalidSignatureException",
      /^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260314' != '20260315'/,
    );
  });

  test("refuses a missing or malformed Authorization, before it reads any body", async () => {
    const signed = await sign();
    const authorization = signed.request.rawHeaders[
      signed.request.rawHeaders.indexOf("authorization") + 1
    ] as string;
    const cases: Array<[string, Signed, string, RegExp]> = [
      [
        "no Authorization",
        withoutHeader(signed, "authorization"),
        "MissingAuthenticationTokenException",
        /^Missing Authentication Token$/,
      ],
      [
        "a bearer token",
        withHeader(signed, "authorization", "Bearer correct-horse-battery-staple"),
        "IncompleteSignatureException",
        /^Authorization header requires 'Credential' parameter\. Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\.$/,
      ],
      [
        "no Signature",
        withHeader(signed, "authorization", authorization.replace(/, Signature=.*$/, "")),
        "IncompleteSignatureException",
        /^Authorization header requires 'Signature' parameter\.$/,
      ],
      [
        "a Credential of 4 parts",
        withHeader(signed, "authorization", authorization.replace("/us-east-1/", "/")),
        "IncompleteSignatureException",
        /^Credential must have exactly 5 slash-delimited elements/,
      ],
      [
        "another terminator",
        withHeader(signed, "authorization", authorization.replace("aws4_request", "aws5_request")),
        "IncompleteSignatureException",
        /^Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'\.$/,
      ],
      [
        "host not signed",
        withHeader(signed, "authorization", authorization.replace("SignedHeaders=host;", "SignedHeaders=")),
        "IncompleteSignatureException",
        /'Host' or ':authority' must be a 'SignedHeader'/,
      ],
      [
        "no X-Amz-Date",
        withoutHeader(signed, "x-amz-date"),
        "IncompleteSignatureException",
        /requires existence of either a 'X-Amz-Date' or a 'Date' header/,
      ],
      [
        "an X-Amz-Date of no real day",
        withHeader(signed, "x-amz-date", "20260231T000000Z"),
        "IncompleteSignatureException",
        /^Date must be in ISO-8601 'basic format'\. Got '20260231T000000Z'/,
      ],
      [
        "a presigned URL",
        {
          ...withoutHeader(signed, "authorization"),
          request: {
            ...withoutHeader(signed, "authorization").request,
            url: "/2015-03-31/functions/?X-Amz-Signature=00",
          },
        },
        "IncompleteSignatureException",
        /^Presigned URLs are not accepted here/,
      ],
    ];
    for (const [title, { request, body }, errorType, message] of cases) {
      const head = verifier().checkHead(request);
      assert.ok(head, `${title}: refused from the head`);
      assertRefused(head, 403, errorType, message);
      assert.deepEqual(await verifier().verify(request, body), head, title);
    }
    assert.equal(verifier().checkHead(signed.request), undefined, "a good head passes");
  });

  test("checkHead refuses an unknown key and a stale signature too", async () => {
    const stranger = await sign({ accessKeyId: "someone-else" });
    assert.equal(verifier().checkHead(stranger.request)?.errorType, "UnrecognizedClientException");
    const stale = await sign({ signedAt: SIGNED_AT - FIVE_MINUTES - 1000 });
    assert.equal(verifier().checkHead(stale.request)?.errorType, "InvalidSignatureException");
  });

  test("refuses options it cannot work with", () => {
    assert.throws(() => verifier({ maxSkewMs: 0 }), RangeError);
    assert.throws(() => verifier({ maxRemembered: 0.5 }), RangeError);
  });
});

describe("renderSigV4Refusal", () => {
  test("answers as AWS's front end does: the type in x-amzn-ErrorType, the message in JSON", async () => {
    const { request, body } = await sign({ accessKeyId: "someone-else" });
    const answer = renderSigV4Refusal((await verifier().verify(request, body)) as SigV4Refusal, "req-1");
    assert.deepEqual(answer, {
      status: 403,
      headers: {
        "Content-Type": "application/json",
        "x-amzn-RequestId": "req-1",
        "x-amzn-ErrorType":
          "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/",
      },
      body: '{"message":"The security token included in the request is invalid."}',
    });
  });

  test("tells a client asked to slow down when to retry", async () => {
    const first = await sign();
    const once = verifier();
    await once.verify(first.request, first.body);
    const answer = renderSigV4Refusal((await once.verify(first.request, first.body)) as SigV4Refusal);
    assert.equal(answer.status, 429);
    assert.equal(answer.headers["Retry-After"], "1");
    assert.match(answer.headers["x-amzn-RequestId"] as string, /^[0-9a-f-]{36}$/);
  });
});

/** What the test server saw of a request it accepted, to send again. */
interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/**
 * The Lambda API and API Gateway v2 API on 127.0.0.1, as far as these tests need: every request passes
 * the verifier (scoped to `apigateway` under /v2/, to `lambda` elsewhere), then gets a canned answer.
 */
class AwsApiStandIn {
  readonly received: Received[] = [];
  /** The status of each refusal, in order. */
  readonly refused: number[] = [];
  readonly server: Server;
  port = 0;
  #verifier: SigV4Verifier;

  constructor(verifier: SigV4Verifier) {
    this.#verifier = verifier;
    this.server = createServer((request, response) => {
      void this.#answer(request).then(({ status, headers, body }) => {
        response.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(body) });
        response.end(body);
      });
    });
  }

  set verifier(verifier: SigV4Verifier) {
    this.#verifier = verifier;
  }

  async start(): Promise<void> {
    this.port = await listen(this.server, 0, "127.0.0.1");
  }

  async #answer(
    request: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const body = await readLimitedBody(request, 6 * 1024 * 1024);
    if (!Buffer.isBuffer(body)) return { status: 413, headers: {}, body: "" };
    const apiGateway = request.url?.startsWith("/v2/") === true;
    const verdict = await this.#verifier.verify(request, body, {
      service: apiGateway ? "apigateway" : "lambda",
    });
    if (!verdict.ok) {
      this.refused.push(verdict.status);
      return renderSigV4Refusal(verdict);
    }
    this.received.push({
      method: request.method as string,
      url: request.url as string,
      headers: rawHeaderObject(request),
      body,
    });
    const json = { "Content-Type": "application/json" };
    if (request.method === "POST" && /\/invocations(\?|$)/.test(request.url ?? "")) {
      return {
        status: 200,
        headers: { ...json, "X-Amz-Executed-Version": "$LATEST" },
        body: JSON.stringify({ echo: body.toString() }),
      };
    }
    return { status: 200, headers: json, body: apiGateway ? '{"items":[]}' : '{"Functions":[]}' };
  }
}

function rawHeaderObject(request: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] as string;
    const value = request.rawHeaders[i + 1] as string;
    const known = headers[name];
    headers[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
  }
  return headers;
}

describe("SigV4Verifier behind a server, with the AWS SDK's clients", { timeout: 60_000 }, () => {
  const standIn = new AwsApiStandIn(new SigV4Verifier({ credentials: CREDENTIALS }));
  const clients: LambdaClient[] = [];

  function client(accessKeyId = ACCESS_KEY_ID, secretAccessKey = SECRET): LambdaClient {
    const made = new LambdaClient({
      endpoint: `http://127.0.0.1:${standIn.port}`,
      region: "eu-west-3",
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    });
    clients.push(made);
    return made;
  }

  before(() => standIn.start());
  after(async () => {
    for (const made of clients) made.destroy();
    await new Promise((resolve) => standIn.server.close(resolve));
  });

  test("lists functions and invokes one with the right key", async () => {
    assert.deepEqual((await client().send(new ListFunctionsCommand({}))).Functions, []);
    const invoked = await client().send(
      new InvokeCommand({
        FunctionName: "arn:aws:lambda:eu-west-3:123456789012:function:my-function",
        Qualifier: "live",
        Payload: Buffer.from('{"hello":"world"}'),
      }),
    );
    assert.equal(invoked.StatusCode, 200);
    assert.deepEqual(JSON.parse(Buffer.from(invoked.Payload as Uint8Array).toString()), {
      echo: '{"hello":"world"}',
    });
    assert.match(
      standIn.received.at(-1)?.url as string,
      /functions\/arn%3Aaws%3Alambda%3A.*\/invocations\?Qualifier=live$/,
    );
  });

  test("a wrong secret surfaces in the SDK as InvalidSignatureException", async () => {
    const error = await client(ACCESS_KEY_ID, "not-the-secret-0123456789")
      .send(new ListFunctionsCommand({}))
      .then(
        () => assert.fail("accepted"),
        (caught: unknown) => caught as Error & { $metadata: { httpStatusCode: number } },
      );
    assert.equal(error.name, "InvalidSignatureException");
    assert.equal(error.$metadata.httpStatusCode, 403);
    assert.match(error.message, MISMATCH);
  });

  test("an unknown access key surfaces as UnrecognizedClientException", async () => {
    const error = await client("someone-else")
      .send(new ListFunctionsCommand({}))
      .then(
        () => assert.fail("accepted"),
        (caught: unknown) => caught as Error,
      );
    assert.equal(error.name, "UnrecognizedClientException");
    assert.equal(error.message, "The security token included in the request is invalid.");
  });

  test("a clock more than 5 minutes off surfaces as InvalidSignatureException: Signature expired", async () => {
    standIn.verifier = new SigV4Verifier({ credentials: CREDENTIALS, now: () => Date.now() + 10 * 60_000 });
    try {
      const error = await client()
        .send(new ListFunctionsCommand({}))
        .then(
          () => assert.fail("accepted"),
          (caught: unknown) => caught as Error,
        );
      assert.equal(error.name, "InvalidSignatureException");
      assert.match(error.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    } finally {
      standIn.verifier = new SigV4Verifier({ credentials: CREDENTIALS });
    }
  });

  test("a request sent again as it was is refused; changed, it no longer matches", async () => {
    await client().send(new InvokeCommand({ FunctionName: "f", Payload: Buffer.from('{"n":1}') }));
    const { method, url, headers, body } = standIn.received.at(-1) as Received;
    const replay = await send({ port: standIn.port, method, path: url, headers, body });
    assert.equal(replay.status, 429);
    assert.match(String(replay.headers["x-amzn-errortype"]), /^TooManyRequestsException:/);

    const tampered = await send({ port: standIn.port, method, path: url, headers, body: '{"n":2}' });
    assert.equal(tampered.status, 403);
    assert.match(String(tampered.headers["x-amzn-errortype"]), /^InvalidSignatureException:/);
    const moved = await send({ port: standIn.port, method, path: url.replace("/f/", "/g/"), headers, body });
    assert.equal(moved.status, 403);
    assert.deepEqual(Object.keys(moved.json() as object), ["message"]);
  });

  test("the API Gateway v2 client is accepted, and reads a refusal the same way", async () => {
    const apis = (accessKeyId: string, secretAccessKey: string) => {
      const made = new ApiGatewayV2Client({
        endpoint: `http://127.0.0.1:${standIn.port}`,
        region: "eu-west-3",
        credentials: { accessKeyId, secretAccessKey },
        maxAttempts: 1,
      });
      return made.send(new GetApisCommand({})).finally(() => made.destroy());
    };
    assert.deepEqual((await apis(ACCESS_KEY_ID, SECRET)).Items, []);
    const error = await apis(ACCESS_KEY_ID, "not-the-secret-0123456789").then(
      () => assert.fail("accepted"),
      (caught: unknown) => caught as Error,
    );
    assert.equal(error.name, "InvalidSignatureException");
    assert.match(error.message, MISMATCH);
  });

  test("a request without a signature is refused with MissingAuthenticationTokenException", async () => {
    const answer = await send({ port: standIn.port, path: "/2015-03-31/functions/" });
    assert.equal(answer.status, 403);
    assert.match(String(answer.headers["x-amzn-errortype"]), /^MissingAuthenticationTokenException:/);
    assert.deepEqual(answer.json(), { message: "Missing Authentication Token" });
  });
});

/** The AWS CLI, if this machine has one: Debian's awscli, or a pip install. */
async function awsCliVersion(): Promise<string | Error> {
  try {
    const { stdout, stderr } = await run("aws", ["--version"], { timeout: 20_000 });
    return (stdout || stderr).trim();
  } catch (error) {
    return error as Error;
  }
}

/** botocore, which the AWS CLI is built on, if python3 has it. */
async function botocoreVersion(): Promise<string | Error> {
  try {
    const { stdout } = await run("python3", ["-c", "import botocore; print(botocore.__version__)"], {
      timeout: 20_000,
    });
    return stdout.trim();
  } catch (error) {
    return error as Error;
  }
}

const cli = await awsCliVersion();
const botocore = await botocoreVersion();

describe("SigV4Verifier behind a server, with the AWS CLI", {
  timeout: 120_000,
  skip: cli instanceof Error ? `no AWS CLI (aws) here: ${cli.message}` : false,
}, () => {
  const standIn = new AwsApiStandIn(new SigV4Verifier({ credentials: CREDENTIALS }));
  let dir = "";

  before(async () => {
    await standIn.start();
    dir = await mkdtemp(join(tmpdir(), "portico-sigv4-"));
  });
  after(async () => {
    await new Promise((resolve) => standIn.server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  /** `aws ARGS` against the stand-in, with these keys and nothing from the user's own AWS setup. */
  /** This process's environment without the user's own AWS setup (keys, profiles, endpoints, config files). */
  function awsFreeEnvironment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!name.startsWith("AWS_")) env[name] = value;
    }
    return {
      ...env,
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    };
  }

  async function aws(
    args: string[],
    secret = SECRET,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = {
      ...awsFreeEnvironment(),
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_PAGER: "",
      AWS_MAX_ATTEMPTS: "1",
    };
    const endpoint = ["--endpoint-url", `http://127.0.0.1:${standIn.port}`, "--region", "us-east-1"];
    try {
      const { stdout, stderr } = await run("aws", [...args, ...endpoint], { env, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  test(`aws lambda list-functions is accepted (${cli})`, async () => {
    const { code, stdout, stderr } = await aws(["lambda", "list-functions"]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { Functions: [] });
  });

  test("aws lambda invoke signs its payload, which botocore hashes without x-amz-content-sha256", async () => {
    const out = join(dir, "out.json");
    const { code, stderr } = await aws([
      "lambda",
      "invoke",
      "--function-name",
      "f",
      "--payload",
      '{"x":1}',
      out,
    ]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(await readFile(out, "utf8")), { echo: '{"x":1}' });
    const received = standIn.received.at(-1) as Received;
    assert.ok(!Object.keys(received.headers).some((name) => name.toLowerCase() === "x-amz-content-sha256"));
  });

  test("the same call made three times in a row by botocore succeeds: a replay is retried, signed anew", {
    skip: botocore instanceof Error ? `no botocore for python3 here: ${botocore.message}` : false,
  }, async () => {
    // botocore signs only host and x-amz-date, so identical calls within one second share a signature.
    const script = [
      "import botocore.session, sys",
      "client = botocore.session.get_session().create_client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])",
      "print([client.list_functions()['Functions'] for _ in range(3)])",
    ].join("\n");
    const endpoint = `http://127.0.0.1:${standIn.port}`;
    const { stdout } = await run("python3", ["-c", script, endpoint, ACCESS_KEY_ID, SECRET], {
      env: awsFreeEnvironment(),
      timeout: 60_000,
    });
    assert.equal(stdout.trim(), "[[], [], []]");
    assert.ok(standIn.refused.includes(429), "at least one call was asked to slow down, then retried");
  });

  test("a wrong secret is reported by the CLI as InvalidSignatureException", async () => {
    const { code, stderr } = await aws(["lambda", "list-functions"], "not-the-secret-0123456789");
    assert.notEqual(code, 0);
    assert.match(
      stderr,
      /\(InvalidSignatureException\) when calling the ListFunctions operation: The request signature/,
    );
  });
});
