/** The start-up check for Node.js's own HTTP parser, which the service proxy reaches through an internal module. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PorticoError } from "../../../src/model/index.js";
import { loadHttpParser } from "../../../src/services/http-response-parser.js";

const parserMissing = (error: unknown): boolean => {
  assert.ok(error instanceof PorticoError);
  assert.equal(error.code, "NODE_HTTP_PARSER_MISSING");
  assert.match(error.message, /HTTPParser from node:_http_common/);
  assert.match(error.message, /Node\.js v99\.0\.0 does not provide/);
  assert.match(error.message, /Run Portico on a supported Node\.js version: Node\.js 20/);
  return true;
};

test("this Node.js has the parser the proxy uses", () => {
  const parser = loadHttpParser();
  assert.equal(typeof parser, "function");
  assert.equal(typeof parser.RESPONSE, "number");
});

test("a Node.js whose _http_common has no HTTPParser fails with what to do", () => {
  assert.throws(() => loadHttpParser(() => ({ methods: [] }), "v99.0.0"), parserMissing);
});

test("a Node.js without _http_common at all fails the same way, keeping the cause", () => {
  const missing = new Error("Cannot find module '_http_common'");
  assert.throws(
    () =>
      loadHttpParser(() => {
        throw missing;
      }, "v99.0.0"),
    (error: unknown) => parserMissing(error) && (error as Error).cause === missing,
  );
});

test("an HTTPParser without the callbacks' slots is not taken for the one the proxy knows", () => {
  const changed = Object.assign(function HTTPParser() {}, { RESPONSE: 2 });
  assert.throws(() => loadHttpParser(() => ({ HTTPParser: changed }), "v99.0.0"), parserMissing);
});
