/** The admin listener's guard: Host, Origin and Fetch Metadata, bearer token and content type, in order. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AdminGuard,
  type GuardedRequest,
  isLoopbackAddress,
} from "../../../src/control/admin/admin-guard.js";
import { PorticoError } from "../../../src/model/index.js";

const PORT = 3001;
const TOKEN = "correct-horse-battery-staple";

interface Sent {
  readonly method?: string;
  /** Header name → value; an array sends the header once per value. Host defaults to 127.0.0.1:PORT. */
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly localAddress?: string;
}

/** The request head as node's parser hands it over: first value wins in `headers`, all in `rawHeaders`. */
function request({ method = "GET", headers = {}, localAddress = "127.0.0.1" }: Sent): GuardedRequest {
  const all: Record<string, string | string[] | undefined> = { host: `127.0.0.1:${PORT}`, ...headers };
  const rawHeaders: string[] = [];
  const parsed: Record<string, string> = {};
  for (const [name, value] of Object.entries(all)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      rawHeaders.push(name, one);
      parsed[name] ??= one;
    }
  }
  return { method, headers: parsed, rawHeaders, socket: { localAddress, localPort: PORT } };
}

const open = new AdminGuard({ host: "127.0.0.1" });
const guarded = new AdminGuard({ host: "127.0.0.1", token: TOKEN });
const bearer = `Bearer ${TOKEN}`;

/** [title, guard, request, expected status and code, or "ok"] */
const cases: Array<[string, AdminGuard, Sent, "ok" | `${number} ${string}`]> = [
  // Host: a loopback name or the listener's own address, with its port.
  ["Host localhost:PORT", open, { headers: { host: `localhost:${PORT}` } }, "ok"],
  ["Host 127.0.0.1:PORT", open, { headers: { host: `127.0.0.1:${PORT}` } }, "ok"],
  ["Host [::1]:PORT", open, { headers: { host: `[::1]:${PORT}` } }, "ok"],
  ["Host in capitals", open, { headers: { host: `LocalHost:${PORT}` } }, "ok"],
  [
    "Host evil.example:PORT (DNS rebinding)",
    open,
    { headers: { host: `evil.example:${PORT}` } },
    "421 HOST_NOT_ALLOWED",
  ],
  ["Host on another port", open, { headers: { host: "localhost:3000" } }, "421 HOST_NOT_ALLOWED"],
  ["Host without a port", open, { headers: { host: "localhost" } }, "421 HOST_NOT_ALLOWED"],
  ["Host NAME.localhost:PORT", open, { headers: { host: `app.localhost:${PORT}` } }, "421 HOST_NOT_ALLOWED"],
  ["Host localhost. (FQDN form)", open, { headers: { host: `localhost.:${PORT}` } }, "421 HOST_NOT_ALLOWED"],
  ["Host 0.0.0.0:PORT", open, { headers: { host: `0.0.0.0:${PORT}` } }, "421 HOST_NOT_ALLOWED"],
  [
    "Host 127.0.0.2:PORT, bound elsewhere",
    open,
    { headers: { host: `127.0.0.2:${PORT}` } },
    "421 HOST_NOT_ALLOWED",
  ],
  [
    "Host is the address the listener is bound to",
    open,
    { headers: { host: `127.0.0.2:${PORT}` }, localAddress: "127.0.0.2" },
    "ok",
  ],
  ["no Host (HTTP/1.0)", open, { headers: { host: undefined } }, "400 HOST_INVALID"],
  ["empty Host", open, { headers: { host: "" } }, "400 HOST_INVALID"],
  [
    "two Host headers",
    open,
    { headers: { host: [`127.0.0.1:${PORT}`, `evil.example:${PORT}`] } },
    "400 HOST_INVALID",
  ],
  [
    "two Host headers, even with the token",
    guarded,
    { headers: { host: [`127.0.0.1:${PORT}`, `127.0.0.1:${PORT}`], authorization: bearer } },
    "400 HOST_INVALID",
  ],
  // With a token, any name may reach the listener (the token is the proof).
  [
    "any Host with the token",
    guarded,
    { headers: { host: `admin.example.lan:${PORT}`, authorization: bearer } },
    "ok",
  ],
  [
    "any Host without the token",
    guarded,
    { headers: { host: `evil.example:${PORT}` } },
    "401 ADMIN_TOKEN_MISSING",
  ],

  // Origin: only the request's own.
  ["no Origin (CLI, curl)", open, {}, "ok"],
  ["Origin of the admin API itself", open, { headers: { origin: `http://127.0.0.1:${PORT}` } }, "ok"],
  [
    "Origin http://localhost:PORT, Host localhost:PORT",
    open,
    { headers: { host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` } },
    "ok",
  ],
  [
    "Origin https:// of the same host (behind a TLS proxy)",
    guarded,
    { headers: { host: "admin.example.lan", origin: "https://admin.example.lan", authorization: bearer } },
    "ok",
  ],
  ["Origin of another site", open, { headers: { origin: "http://evil.example" } }, "403 CROSS_ORIGIN"],
  ["Origin null (sandboxed frame, file page)", open, { headers: { origin: "null" } }, "403 CROSS_ORIGIN"],
  [
    "Origin of the gateway's port (same site, other origin)",
    open,
    { headers: { origin: "http://127.0.0.1:3000" } },
    "403 CROSS_ORIGIN",
  ],
  [
    "Origin with another loopback name than Host",
    open,
    { headers: { host: `127.0.0.1:${PORT}`, origin: `http://localhost:${PORT}` } },
    "403 CROSS_ORIGIN",
  ],
  [
    "Origin of a rebinding page, with the token configured",
    guarded,
    { headers: { host: `evil.example:${PORT}`, origin: `http://evil.example:${PORT}` } },
    "401 ADMIN_TOKEN_MISSING",
  ],
  // Fetch Metadata, as modern browsers send it.
  ["Sec-Fetch-Site: cross-site", open, { headers: { "sec-fetch-site": "cross-site" } }, "403 CROSS_ORIGIN"],
  ["Sec-Fetch-Site: same-site", open, { headers: { "sec-fetch-site": "same-site" } }, "403 CROSS_ORIGIN"],
  ["Sec-Fetch-Site: same-origin", open, { headers: { "sec-fetch-site": "same-origin" } }, "ok"],
  ["Sec-Fetch-Site: none (typed URL)", open, { headers: { "sec-fetch-site": "none" } }, "ok"],

  // Writes are JSON; reads are not checked.
  ["POST application/json", open, { method: "POST", headers: { "content-type": "application/json" } }, "ok"],
  [
    "POST application/json; charset=utf-8",
    open,
    { method: "POST", headers: { "content-type": "application/json; charset=utf-8" } },
    "ok",
  ],
  ["POST Application/JSON", open, { method: "POST", headers: { "content-type": "Application/JSON" } }, "ok"],
  [
    "POST text/plain (a cross-site simple request)",
    open,
    { method: "POST", headers: { "content-type": "text/plain" } },
    "415 UNSUPPORTED_MEDIA_TYPE",
  ],
  [
    "POST form-urlencoded",
    open,
    { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } },
    "415 UNSUPPORTED_MEDIA_TYPE",
  ],
  [
    "POST multipart",
    open,
    { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" } },
    "415 UNSUPPORTED_MEDIA_TYPE",
  ],
  [
    "POST application/jsonp",
    open,
    { method: "POST", headers: { "content-type": "application/jsonp" } },
    "415 UNSUPPORTED_MEDIA_TYPE",
  ],
  ["POST without Content-Type", open, { method: "POST" }, "415 UNSUPPORTED_MEDIA_TYPE"],
  [
    "PATCH text/plain",
    open,
    { method: "PATCH", headers: { "content-type": "text/plain" } },
    "415 UNSUPPORTED_MEDIA_TYPE",
  ],
  ["PUT without Content-Type", open, { method: "PUT" }, "415 UNSUPPORTED_MEDIA_TYPE"],
  ["DELETE without Content-Type", open, { method: "DELETE" }, "415 UNSUPPORTED_MEDIA_TYPE"],
  ["GET with text/plain", open, { headers: { "content-type": "text/plain" } }, "ok"],

  // Tokens.
  ["the token", guarded, { headers: { authorization: bearer } }, "ok"],
  ["the token, scheme in lower case", guarded, { headers: { authorization: `bearer ${TOKEN}` } }, "ok"],
  ["no Authorization", guarded, {}, "401 ADMIN_TOKEN_MISSING"],
  [
    "Basic credentials",
    guarded,
    { headers: { authorization: "Basic dXNlcjpwYXNz" } },
    "401 ADMIN_TOKEN_MISSING",
  ],
  ["the token without a scheme", guarded, { headers: { authorization: TOKEN } }, "401 ADMIN_TOKEN_MISSING"],
  ["a wrong token", guarded, { headers: { authorization: "Bearer nope" } }, "401 ADMIN_TOKEN_INVALID"],
  [
    "the token less its last character",
    guarded,
    { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } },
    "401 ADMIN_TOKEN_INVALID",
  ],
  [
    "the token with more after it",
    guarded,
    { headers: { authorization: `Bearer ${TOKEN}x` } },
    "401 ADMIN_TOKEN_INVALID",
  ],

  // Order: Host, then Origin, then token, then content type.
  [
    "rebinding Host and another Origin",
    open,
    { headers: { host: `evil.example:${PORT}`, origin: "http://evil.example" } },
    "421 HOST_NOT_ALLOWED",
  ],
  [
    "cross-site and no token",
    guarded,
    { method: "POST", headers: { origin: "http://evil.example", "content-type": "text/plain" } },
    "403 CROSS_ORIGIN",
  ],
  [
    "text/plain without the token",
    guarded,
    { method: "POST", headers: { "content-type": "text/plain" } },
    "401 ADMIN_TOKEN_MISSING",
  ],
  [
    "text/plain with the token",
    guarded,
    { method: "POST", headers: { "content-type": "text/plain", authorization: bearer } },
    "415 UNSUPPORTED_MEDIA_TYPE",
  ],
];

for (const [title, guard, sent, expected] of cases) {
  test(`${title} → ${expected}`, () => {
    const refusal = guard.check(request(sent));
    assert.equal(refusal === undefined ? "ok" : `${refusal.status} ${refusal.code}`, expected);
    if (refusal === undefined) return;
    assert.ok(refusal.message.length > 0);
    assert.ok(!JSON.stringify(refusal).includes(TOKEN), "a refusal never carries the token");
  });
}

test("a missing or wrong token is answered with a Bearer challenge", () => {
  const missing = guarded.check(request({}));
  assert.equal(missing?.headers?.["WWW-Authenticate"], 'Bearer realm="portico-admin"');
  const wrong = guarded.check(request({ headers: { authorization: "Bearer nope" } }));
  assert.equal(wrong?.headers?.["WWW-Authenticate"], 'Bearer realm="portico-admin", error="invalid_token"');
});

test("messages say what was refused and how to fix it", () => {
  const rebinding = open.check(request({ headers: { host: `evil.example:${PORT}` } }));
  assert.match(
    rebinding?.message ?? "",
    /not to Host "evil\.example:3001".*Use http:\/\/127\.0\.0\.1:3001\//,
  );
  const crossSite = open.check(request({ headers: { origin: "http://evil.example" } }));
  assert.match(crossSite?.message ?? "", /Origin: "http:\/\/evil\.example"/);
  const plain = open.check(request({ method: "POST", headers: { "content-type": "text/plain" } }));
  assert.match(plain?.message ?? "", /send Content-Type: application\/json \(got "text\/plain"\)/);
  const noToken = guarded.check(request({}));
  assert.match(noToken?.message ?? "", /Authorization: Bearer TOKEN.*PORTICO_ADMIN_TOKEN/);
});

test("header values shown in messages are bounded and printable", () => {
  const long = `${"a".repeat(300)}\u00ff:${PORT}`;
  const refusal = open.check(request({ headers: { host: long } }));
  assert.ok((refusal?.message.length ?? 0) < 400);
  assert.doesNotMatch(refusal?.message ?? "", /\u00ff/);
});

const startups: Array<[string, { host: string; token?: string }, string | null]> = [
  ["loopback without a token", { host: "127.0.0.1" }, null],
  ["localhost without a token", { host: "localhost" }, null],
  ["::1 without a token", { host: "::1" }, null],
  ["all addresses without a token", { host: "0.0.0.0" }, "ADMIN_TOKEN_REQUIRED"],
  ["all IPv6 addresses without a token", { host: "::" }, "ADMIN_TOKEN_REQUIRED"],
  ["a LAN address without a token", { host: "192.168.1.5" }, "ADMIN_TOKEN_REQUIRED"],
  ["a host name without a token", { host: "devbox.lan" }, "ADMIN_TOKEN_REQUIRED"],
  ["all addresses with an empty token", { host: "0.0.0.0", token: "" }, "ADMIN_TOKEN_REQUIRED"],
  ["all addresses with a token", { host: "0.0.0.0", token: TOKEN }, null],
  ["a short token", { host: "127.0.0.1", token: "hunter2" }, "ADMIN_TOKEN_MALFORMED"],
  ["a token with a space", { host: "127.0.0.1", token: "correct horse battery" }, "ADMIN_TOKEN_MALFORMED"],
  [
    "a token with non-ASCII",
    { host: "127.0.0.1", token: "correct-horse-battery-stäple" },
    "ADMIN_TOKEN_MALFORMED",
  ],
];

for (const [title, access, code] of startups) {
  test(`starting the admin listener: ${title} → ${code ?? "ok"}`, () => {
    if (code === null) {
      assert.doesNotThrow(() => new AdminGuard(access));
      return;
    }
    assert.throws(
      () => new AdminGuard(access),
      (error: unknown) =>
        error instanceof PorticoError &&
        error.code === code &&
        /PORTICO_ADMIN_TOKEN/.test(error.message) &&
        !error.message.includes("\n") &&
        (access.token === undefined || access.token === "" || !error.message.includes(access.token)),
    );
  });
}

const loopback: Array<[string, boolean]> = [
  ["127.0.0.1", true],
  ["127.1.2.3", true],
  ["localhost", true],
  ["LOCALHOST", true],
  ["::1", true],
  ["[::1]", true],
  ["::ffff:127.0.0.1", true],
  ["0.0.0.0", false],
  ["::", false],
  ["10.0.0.1", false],
  ["127.example", false],
  ["app.localhost", false],
];

for (const [address, expected] of loopback) {
  test(`isLoopbackAddress(${address}) is ${expected}`, () => {
    assert.equal(isLoopbackAddress(address), expected);
  });
}
