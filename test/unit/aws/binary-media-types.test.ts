import assert from "node:assert/strict";
import { test } from "node:test";
import { BinaryMediaTypes, firstAcceptedType, mediaTypeOf } from "../../../src/aws/index.js";
import { encodeRestEventBody } from "../../../src/aws/request-body.js";

test("media types are read without parameters, in lower case; the first Accept type is the one that counts", () => {
  assert.equal(mediaTypeOf("Text/HTML; charset=utf-8"), "text/html");
  assert.equal(mediaTypeOf("  "), undefined);
  assert.equal(mediaTypeOf(undefined), undefined);
  assert.equal(firstAcceptedType("image/webp,image/apng, */*;q=0.8"), "image/webp");
  assert.equal(firstAcceptedType("application/json"), "application/json");
  assert.equal(firstAcceptedType(undefined), undefined);
});

test("binary media types match exactly, by type or subtype wildcard, or everything with */*", () => {
  const cases: Array<[entries: string[], value: string | undefined, matches: boolean]> = [
    [["image/png"], "image/png", true],
    [["image/png"], "IMAGE/PNG; charset=binary", true],
    [["image/png"], "image/jpeg", false],
    [["image/*"], "image/jpeg", true],
    [["image/*"], "application/jpeg", false],
    [["*/pdf"], "application/pdf", true],
    [["*/*"], "text/plain", true],
    [["*/*"], undefined, true],
    [["image/png"], undefined, false],
    [["image~1png"], "image/png", true],
    [["*~1*"], "application/json", true],
    [["image/png"], "*/*", false],
    [[], "application/octet-stream", false],
  ];
  for (const [entries, value, matches] of cases) {
    assert.equal(new BinaryMediaTypes(entries).matches(value), matches, `${entries.join(",")} vs ${value}`);
  }
});

test("REST request bodies are text unless their type is binary: form posts and untyped bodies included", () => {
  const png = new BinaryMediaTypes(["image/png"]);
  const body = Buffer.from("a=1&b=2");
  assert.deepEqual(encodeRestEventBody(body, "application/x-www-form-urlencoded", png), {
    body: "a=1&b=2",
    isBase64Encoded: false,
  });
  assert.deepEqual(encodeRestEventBody(body, undefined, png), { body: "a=1&b=2", isBase64Encoded: false });
  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]);
  assert.deepEqual(encodeRestEventBody(bytes, "image/png", png), {
    body: bytes.toString("base64"),
    isBase64Encoded: true,
  });
  assert.deepEqual(encodeRestEventBody(body, undefined, new BinaryMediaTypes(["*/*"])), {
    body: body.toString("base64"),
    isBase64Encoded: true,
  });
  assert.deepEqual(encodeRestEventBody(Buffer.alloc(0), "image/png", png), {
    body: null,
    isBase64Encoded: false,
  });
});
