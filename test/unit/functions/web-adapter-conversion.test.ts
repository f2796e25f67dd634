/** The Web Adapter stand-in's conversions: API Gateway events to HTTP requests, HTTP answers to Lambda responses. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { lambdaResponse, requestOf } from "../../../src/functions/runtimes/web-adapter/event-conversion.js";
import { fixturesDir } from "../../helpers/paths.js";

/** The fields of a captured HTTP API event these tests read. */
type CapturedEvent = Record<string, unknown> & {
  rawPath: string;
  rawQueryString: string;
  cookies: string[];
  body: string;
  requestContext: { http: { method: string } };
};

const v2 = { version: "2.0" };
const v1 = { version: "1.0" };

describe("web adapter: event to request", () => {
  test("payload 2.0: method, raw path and query, headers, cookies and a base64 body", () => {
    const request = requestOf({
      version: "2.0",
      rawPath: "/items/a%20b",
      rawQueryString: "x=1&x=2",
      headers: { "content-type": "application/octet-stream", "x-key": "k" },
      cookies: ["a=1", "b=2"],
      requestContext: { http: { method: "PUT" }, requestId: "r1" },
      body: Buffer.from([0, 255]).toString("base64"),
      isBase64Encoded: true,
    });
    assert.equal(request.method, "PUT");
    assert.equal(request.path, "/items/a%20b?x=1&x=2");
    assert.equal(request.headers.cookie, "a=1; b=2");
    assert.equal(request.headers["x-key"], "k");
    assert.deepEqual(JSON.parse(String(request.headers["x-amzn-request-context"])), {
      http: { method: "PUT" },
      requestId: "r1",
    });
    assert.deepEqual([...request.body], [0, 255]);
  });

  test("payload 1.0: the query rebuilt from its multi-value parameters, headers from multiValueHeaders", () => {
    const request = requestOf({
      httpMethod: "POST",
      path: "/items",
      multiValueQueryStringParameters: { tag: ["a b", "c&d"] },
      headers: { accept: "text/plain" },
      multiValueHeaders: { accept: ["text/plain"], "x-many": ["1", "2"] },
      body: "hello",
      isBase64Encoded: false,
      requestContext: {},
    });
    assert.equal(request.path, "/items?tag=a+b&tag=c%26d");
    assert.equal(request.headers["x-many"], "1, 2");
    assert.equal(request.body.toString(), "hello");
  });

  test("a captured HTTP API event becomes its request: cookies back in one header, the base64 form body decoded", () => {
    const read = (name: string) =>
      JSON.parse(readFileSync(join(fixturesDir, "aws", "events-v2", name), "utf8")) as CapturedEvent;
    const browser = read("v2-get-browser-cookies-named-stage.json");
    const request = requestOf(browser);
    assert.equal(request.method, browser.requestContext.http.method);
    assert.equal(
      request.path,
      `${browser.rawPath}${browser.rawQueryString ? `?${browser.rawQueryString}` : ""}`,
    );
    assert.equal(request.headers.cookie, browser.cookies.join("; "));
    const form = read("v2-post-curl-form-body-base64.json");
    assert.equal(requestOf(form).body.toString(), Buffer.from(form.body, "base64").toString());
  });
});

describe("web adapter: answer to response", () => {
  test("payload 2.0: text as is, headers joined, Set-Cookie as cookies, hop-by-hop headers dropped", () => {
    const response = lambdaResponse(v2, {
      statusCode: 201,
      headers: {
        "content-type": "application/json",
        "set-cookie": ["a=1", "b=2"],
        vary: "accept",
        connection: "keep-alive",
        "transfer-encoding": "chunked",
      },
      body: Buffer.from('{"ok":true}'),
    });
    assert.deepEqual(response, {
      statusCode: 201,
      headers: { "content-type": "application/json", vary: "accept" },
      cookies: ["a=1", "b=2"],
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
  });

  test("binary and compressed answers travel base64-encoded", () => {
    for (const headers of [
      { "content-type": "image/png" },
      { "content-type": "text/plain", "content-encoding": "gzip" },
    ]) {
      const response = lambdaResponse(v2, { statusCode: 200, headers, body: Buffer.from([1, 2, 3]) });
      assert.equal(response.isBase64Encoded, true);
      assert.equal(response.body, "AQID");
    }
  });

  test("payload 1.0: multiValueHeaders, Set-Cookie among them", () => {
    const response = lambdaResponse(v1, {
      statusCode: 302,
      headers: { location: "/x", "set-cookie": ["a=1", "b=2"] },
      body: Buffer.alloc(0),
    });
    assert.deepEqual(response, {
      statusCode: 302,
      multiValueHeaders: { location: ["/x"], "set-cookie": ["a=1", "b=2"] },
      body: "",
      isBase64Encoded: false,
    });
  });
});
