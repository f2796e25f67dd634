import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseRouteKey, RouteKeySet } from "../../../src/config/route-key.js";

describe("route keys", () => {
  const valid: [string, string, string, string | null][] = [
    ["$default", "$default", "$default", null],
    ["GET /items", "GET /items", "GET", "/items"],
    ["get /items", "GET /items", "GET", "/items"],
    ["  Post   /items  ", "POST /items", "POST", "/items"],
    ["ANY /{proxy+}", "ANY /{proxy+}", "ANY", "/{proxy+}"],
    ["any /", "ANY /", "ANY", "/"],
    ["DELETE /items/{id}/tags/{tag}", "DELETE /items/{id}/tags/{tag}", "DELETE", "/items/{id}/tags/{tag}"],
    ["OPTIONS /files/{path+}", "OPTIONS /files/{path+}", "OPTIONS", "/files/{path+}"],
    ["HEAD /a.b/c-d_e", "HEAD /a.b/c-d_e", "HEAD", "/a.b/c-d_e"],
    ["PATCH /v1/{item.id}", "PATCH /v1/{item.id}", "PATCH", "/v1/{item.id}"],
  ];
  for (const [text, routeKey, method, path] of valid) {
    test(`accepts ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseRouteKey(text), { ok: true, value: { routeKey, method, path } });
    });
  }

  const invalid: [string, string][] = [
    ["", "is not a route key"],
    ["GET", "is not a route key"],
    ["GET /a /b", "is not a route key"],
    ["CONNECT /a", "has an unknown method `CONNECT`"],
    ["GET a", "does not start with `/`"],
    ["GET /a/", "ending in `/`"],
    ["GET /a//b", "empty path segment"],
    ["GET /a{b}", "not a whole segment: `a{b}`"],
    ["GET /{a}b", "not a whole segment"],
    ["GET /{}", "not a whole segment"],
    ["GET /{proxy+}/more", "greedy variable `{proxy+}` that is not the last segment"],
    ["GET /{id}/{id}", "uses the path variable `{id}` twice"],
    ["GET /a?b=1", "character not allowed"],
  ];
  for (const [text, reason] of invalid) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      const result = parseRouteKey(text);
      assert.equal(result.ok, false);
      if (!result.ok) assert.ok(result.reason.includes(reason), result.reason);
    });
  }

  test("a set refuses duplicates and routes of the same shape", () => {
    const keys = new RouteKeySet();
    const add = (text: string) => {
      const parsed = parseRouteKey(text);
      assert.ok(parsed.ok);
      return keys.add(parsed.value);
    };
    assert.equal(add("GET /items/{id}"), undefined);
    assert.equal(add("POST /items/{id}"), undefined);
    assert.equal(add("GET /items/{id}/x"), undefined);
    assert.equal(add("GET /items/{proxy+}"), undefined);
    assert.equal(add("get /items/{id}"), "duplicates route `GET /items/{id}`");
    assert.equal(
      add("GET /items/{name}"),
      "conflicts with route `GET /items/{id}`: same method and path shape",
    );
    assert.equal(
      add("GET /items/{rest+}"),
      "conflicts with route `GET /items/{proxy+}`: same method and path shape",
    );
    assert.equal(add("$default"), undefined);
    assert.equal(add("$default"), "duplicates route `$default`");
  });
});
