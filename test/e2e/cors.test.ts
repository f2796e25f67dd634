/**
 * CORS end to end through `portico dev` (aws.md §0 items 14-15, §5): the gateway's own preflight answer,
 * the headers it adds to actual responses, what it does with the function's own CORS headers, the routes
 * that capture OPTIONS before the gateway can answer it, and the configuration API Gateway refuses.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send, type TestResponse } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";

let portico: PorticoProcess;
let port: number;

before(async () => {
  ({ portico, port } = await startDev(join(fixturesDir, "projects", "cors")));
});
after(() => portico.stop());

/** A request to one of the fixture's APIs, chosen by Host (`listed`, `open`, `plain`, `greedy`, `fallback`). */
const call = (api: string, path: string, method: string, headers: Record<string, string> = {}) =>
  send({ port, path, method, headers: { host: `${api}.localhost:${port}`, ...headers } });

const preflight = (api: string, path: string, origin: string) =>
  call(api, path, "OPTIONS", {
    origin,
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type",
  });

/** Access-Control-* headers of a response, lower-cased names. */
function corsHeadersOf(response: TestResponse): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of response.rawHeaders) {
    if (name.toLowerCase().startsWith("access-control-")) found[name.toLowerCase()] = value;
  }
  return found;
}

/** A comma-separated header value as a list (`GET,POST` and `GET, POST` alike). */
const list = (value: string | string[] | undefined) => String(value).split(/\s*,\s*/);

/** What the fixture's function says about the request that reached it. */
interface Answer {
  readonly routeKey: string;
  readonly method: string;
}

const APP = "https://app.example.test";

describe("preflight answered by the gateway", () => {
  test("listed origins: 204 echoing the origin, with the configured methods, headers, max age and credentials", async () => {
    // POST /items and GET /items exist but no route matches OPTIONS /items; /nowhere has no route at all.
    for (const path of ["/items", "/nowhere/at/all"]) {
      const response = await preflight("listed", path, APP);
      assert.equal(response.status, 204, path);
      assert.equal(response.text, "");
      assert.equal(response.headers["access-control-allow-origin"], APP);
      assert.deepEqual(list(response.headers["access-control-allow-methods"]), ["GET", "POST", "DELETE"]);
      assert.deepEqual(list(response.headers["access-control-allow-headers"]), [
        "content-type",
        "authorization",
      ]);
      assert.equal(response.headers["access-control-max-age"], "600");
      assert.equal(response.headers["access-control-allow-credentials"], "true");
      assert.equal(response.headers["x-request-id"], undefined, "the function was not invoked");
    }
  });

  test("any origin: `*` is sent rather than the origin, and no credentials header", async () => {
    const response = await preflight("open", "/items", "https://anywhere.example.test");
    assert.equal(response.status, 204);
    assert.deepEqual(corsHeadersOf(response), {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "*",
      "access-control-allow-headers": "*",
      "access-control-max-age": "300",
    });
  });

  test("an origin that is not allowed gets no access-control-* headers", async () => {
    // Origins match exactly: another host, scheme or port is another origin.
    for (const origin of ["https://evil.example.test", "http://app.example.test", `${APP}:8443`]) {
      const response = await preflight("listed", "/items", origin);
      assert.deepEqual(corsHeadersOf(response), {}, origin);
      assert.equal(response.headers["x-request-id"], undefined, "the function was not invoked");
    }
  });

  test("without a CORS configuration there is no automatic preflight answer: 404 Not Found", async () => {
    const response = await preflight("plain", "/items", APP);
    assert.equal(response.status, 404);
    assert.deepEqual(response.json(), { message: "Not Found" });
    assert.deepEqual(corsHeadersOf(response), {});
  });
});

describe("actual requests", () => {
  test("an allowed origin gets Allow-Origin, Expose-Headers and Allow-Credentials; the function's own CORS headers are dropped", async () => {
    const origin = "https://admin.example.test";
    const response = await call("listed", "/items", "GET", { origin });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { routeKey: "GET /items", method: "GET" });
    assert.equal(response.headers["x-request-id"], "fn-1", "the function's other headers pass through");
    assert.equal(response.headers["access-control-allow-origin"], origin);
    assert.deepEqual(list(response.headers["access-control-expose-headers"]), ["x-request-id", "x-total"]);
    assert.equal(response.headers["access-control-allow-credentials"], "true");
    assert.notEqual(response.headers["access-control-allow-methods"], "PATCH", "the function's own value");
    assert.notEqual(response.headers["access-control-max-age"], "1", "the function's own value");
  });

  test("any origin: the response carries `*`, not the function's origin", async () => {
    const response = await call("open", "/items", "GET", { origin: "https://anywhere.example.test" });
    assert.equal(response.status, 200);
    assert.equal(response.headers["access-control-allow-origin"], "*");
    assert.notEqual(response.headers["access-control-allow-methods"], "PATCH");
    assert.notEqual(response.headers["access-control-max-age"], "1");
  });

  test("an origin that is not allowed gets the function's answer with every access-control-* header removed", async () => {
    const response = await call("listed", "/items", "GET", { origin: "https://evil.example.test" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { routeKey: "GET /items", method: "GET" });
    assert.deepEqual(corsHeadersOf(response), {});
  });

  test("without a CORS configuration the function's own access-control-* headers pass through", async () => {
    const response = await call("plain", "/items", "GET", { origin: APP });
    assert.equal(response.status, 200);
    assert.deepEqual(corsHeadersOf(response), {
      "access-control-allow-origin": "https://function.example.test",
      "access-control-allow-methods": "PATCH",
      "access-control-max-age": "1",
    });
  });
});

describe("routes that capture OPTIONS before the gateway's preflight answer (aws.md §0 item 14)", () => {
  test("ANY /{proxy+} catches a preflight, even for a path that has a GET route: the function answers", async () => {
    for (const path of ["/items", "/other/path"]) {
      const response = await preflight("greedy", path, APP);
      assert.equal(response.status, 200, path);
      assert.deepEqual(response.json() as Answer, { routeKey: "ANY /{proxy+}", method: "OPTIONS" });
      assert.equal(response.headers["x-request-id"], "fn-1");
      // CORS is configured, so the function's own CORS headers are ignored here too.
      assert.equal(response.headers["access-control-allow-origin"], "*");
      assert.notEqual(response.headers["access-control-allow-methods"], "PATCH");
    }
  });

  test("$default catches a preflight: the function answers", async () => {
    const response = await preflight("fallback", "/items", APP);
    assert.equal(response.status, 200);
    assert.deepEqual(response.json() as Answer, { routeKey: "$default", method: "OPTIONS" });
    assert.equal(response.headers["access-control-allow-origin"], "*");
  });
});

describe("configuration", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "portico-cors-"));
    mkdirSync(join(dir, "fns"));
    writeFileSync(join(dir, "fns", "hello.mjs"), 'export const handler = async () => "hello";\n');
    writeFileSync(
      join(dir, "portico.yaml"),
      [
        "functions:",
        "  hello: { runtime: nodejs20.x, handler: fns/hello.handler }",
        "apis:",
        "  app:",
        '    cors: { allowOrigins: ["*"], allowCredentials: true }',
        "    routes:",
        "      GET /hello: hello",
        "",
      ].join("\n"),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("allowCredentials with allowOrigins ['*'] is refused at startup, naming the file and the key", async () => {
    const result = await runPortico(["dev", dir, "--port", "0", "--admin-port", "0"], { timeoutMs: 15_000 });
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /portico\.yaml: apis\.app\.cors\.allowCredentials: allow-credentials is not supported if 'allow-origin' is \*/,
    );
    assert.doesNotMatch(result.stdout, /Portico dev: serving/);
  });
});
