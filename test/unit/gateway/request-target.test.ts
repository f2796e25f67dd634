/** RFC 9112's checks of a request's line and Host, and absolute-form targets read as origin form. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { absoluteForm, checkRequestTarget, type RequestLine } from "../../../src/gateway/request-target.js";

function requestLine(url: string, rawHeaders: string[], version = "1.1"): RequestLine {
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    headers[(rawHeaders[i] as string).toLowerCase()] ??= rawHeaders[i + 1] as string;
  }
  return { url, rawHeaders, headers, httpVersion: version, httpVersionMajor: Number(version.split(".")[0]) };
}

test("requests RFC 9112 says to refuse get a reason that says what to fix", () => {
  const cases: Array<[RequestLine, RegExp]> = [
    [requestLine("/a", ["Host", "x", "host", "y"]), /^more than one Host header/],
    [requestLine("/a", ["HOST", "x", "Host", "x"]), /^more than one Host header/],
    [requestLine("/a", ["Host", "x"], "0.9"), /no HTTP version \(send `GET \/path HTTP\/1\.1`\)/],
    [requestLine("/a", ["Host", "x"], "2.0"), /^HTTP\/2\.0 is not spoken here/],
    [requestLine("a/b", ["Host", "x"]), /^the request target `a\/b` is neither a path nor an absolute URL/],
    [requestLine("http:///a", ["Host", "x"]), /neither a path nor an absolute URL/],
  ];
  for (const [request, reason] of cases) assert.match(checkRequestTarget(request) ?? "", reason);
});

test("well-formed requests pass unchanged", () => {
  for (const request of [
    requestLine("/a?b=1", ["Host", "x", "X-Hostname", "y"]),
    requestLine("*", ["Host", "x"]),
    requestLine("/", [], "1.0"),
  ]) {
    const before = structuredClone(request);
    assert.equal(checkRequestTarget(request), undefined);
    assert.deepEqual(request, before);
  }
});

test("an absolute-form request takes its path as url and its authority as Host, replacing the one sent", () => {
  const request = requestLine("http://Other.localhost:3000/a%20b?q=1", [
    "Host",
    "api.localhost",
    "Accept",
    "*/*",
  ]);
  assert.equal(checkRequestTarget(request), undefined);
  assert.equal(request.url, "/a%20b?q=1");
  assert.equal(request.headers.host, "Other.localhost:3000");
  assert.deepEqual(request.rawHeaders, ["Host", "Other.localhost:3000", "Accept", "*/*"]);

  const withoutHost = requestLine("http://api.localhost", [], "1.0");
  assert.equal(checkRequestTarget(withoutHost), undefined);
  assert.equal(withoutHost.url, "/");
  assert.deepEqual(withoutHost.rawHeaders, ["Host", "api.localhost"]);
});

test("absolute URLs: authority without userinfo, and the origin form of what follows", () => {
  const cases: Array<[string, ReturnType<typeof absoluteForm>]> = [
    ["http://a.test/x/y?z", { authority: "a.test", originForm: "/x/y?z" }],
    ["https://a.test", { authority: "a.test", originForm: "/" }],
    ["HTTP://a.test?z=1", { authority: "a.test", originForm: "/?z=1" }],
    ["http://user:pw@a.test:8080/x", { authority: "a.test:8080", originForm: "/x" }],
    ["http://[::1]:3000/x", { authority: "[::1]:3000", originForm: "/x" }],
    ["/x", null],
    ["a.test/x", null],
    ["http://", null],
  ];
  for (const [url, expected] of cases) assert.deepEqual(absoluteForm(url), expected, url);
});
