/**
 * End to end through `portico dev`: real Lambda web adapters (serverless-http around Express 5, hono/aws-lambda)
 * behind the gateway, in both payload formats, answer exactly as the same app served by plain node:http.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Express } from "express";
import { send, type TestResponse } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

const projectDir = join(fixturesDir, "projects", "adapters");

interface AdapterCase {
  readonly name: string;
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Checks the plain app's own answer, so that "the same as the plain app" is never vacuously true. */
  readonly expect: (plain: TestResponse) => void;
}

const PNG_BYTES = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff];

const cases: readonly AdapterCase[] = [
  {
    name: "GET JSON with a query echo (repeated and encoded values)",
    path: "/items?color=red&tag=a&tag=b&note=hello%20world",
    expect: (plain) => {
      assert.equal(plain.status, 200);
      assert.match(String(plain.headers["content-type"]), /^application\/json/);
      assert.match(plain.text, /"hello world"/);
    },
  },
  {
    name: "POST JSON body echo",
    method: "POST",
    path: "/echo",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "widget", tags: ["a", "b"], price: 1.5, nested: { ok: true } }),
    expect: (plain) => {
      assert.equal(plain.status, 201);
      assert.deepEqual((plain.json() as { received: unknown }).received, {
        name: "widget",
        tags: ["a", "b"],
        price: 1.5,
        nested: { ok: true },
      });
    },
  },
  {
    name: "a custom header, two cookies set, request cookies read",
    path: "/headers",
    headers: { cookie: "session=old; theme=light", "user-agent": "adapter-test/1.0" },
    expect: (plain) => {
      assert.equal(plain.status, 200);
      assert.equal(plain.headers["x-app-version"], "1.2.3");
      assert.equal((plain.headers["set-cookie"] as string[]).length, 2);
      assert.deepEqual(plain.json(), { cookie: "session=old; theme=light", agent: "adapter-test/1.0" });
    },
  },
  {
    name: "a 404 from the app itself",
    path: "/nope",
    expect: (plain) => {
      assert.equal(plain.status, 404);
      assert.notEqual(plain.text, '{"message":"Not Found"}');
    },
  },
  {
    name: "a text/html page",
    path: "/page?name=Ada",
    expect: (plain) => {
      assert.match(String(plain.headers["content-type"]), /^text\/html/);
      assert.equal(plain.text, "<!doctype html><h1>Hello, Ada</h1>");
    },
  },
  {
    name: "path parameters",
    path: "/users/u-42/orders/7",
    expect: (plain) => assert.deepEqual(plain.json(), { params: { userId: "u-42", orderId: "7" } }),
  },
  {
    name: "a binary body (base64 through Lambda)",
    path: "/logo.png",
    expect: (plain) => {
      assert.equal(plain.headers["content-type"], "image/png");
      assert.deepEqual([...plain.body], PNG_BYTES);
    },
  },
];

/** Compared between the plain app and the gateway; Date and connection headers legitimately differ. */
const COMPARED_HEADERS = [
  "content-type",
  "content-length",
  "set-cookie",
  "x-app-version",
  "x-powered-by",
  "etag",
  "content-security-policy",
  "x-content-type-options",
];

function assertSameAnswer(actual: TestResponse, expected: TestResponse, label: string): void {
  assert.equal(actual.status, expected.status, `${label}: status`);
  assert.equal(actual.body.toString("base64"), expected.body.toString("base64"), `${label}: body`);
  for (const name of COMPARED_HEADERS) {
    assert.deepEqual(actual.headers[name], expected.headers[name], `${label}: ${name} header`);
  }
  assert.ok(actual.headers["apigw-requestid"], `${label}: answered through the gateway`);
}

let portico: PorticoProcess;
let port: number;

before(async () => {
  ({ portico, port } = await startDev(projectDir));
});
after(() => portico.stop());

/** Sends one case to the plain server and to the gateway under each API host, and compares the answers. */
async function compareAll(plainPort: number, apiHosts: readonly string[], item: AdapterCase): Promise<void> {
  const request = { path: item.path, method: item.method, body: item.body };
  const plain = await send({ port: plainPort, ...request, headers: { ...item.headers } });
  item.expect(plain);
  for (const api of apiHosts) {
    const viaGateway = await send({
      port,
      ...request,
      headers: { ...item.headers, host: `${api}.localhost:${port}` },
    });
    assertSameAnswer(viaGateway, plain, api);
  }
}

async function listening(server: Server): Promise<number> {
  if (!server.listening) await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

async function close(server: Server | undefined): Promise<void> {
  if (!server?.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

describe("Express 5 through serverless-http", () => {
  let server: Server | undefined;
  let plainPort: number;

  before(async () => {
    const app = createRequire(import.meta.url)(join(projectDir, "express-app.cjs")) as Express;
    server = app.listen(0, "127.0.0.1");
    plainPort = await listening(server);
  });
  after(() => close(server));

  for (const item of cases) {
    test(item.name, () => compareAll(plainPort, ["express", "express-v1"], item));
  }
});

describe("Hono through hono/aws-lambda", () => {
  let server: Server | undefined;
  let plainPort: number;

  before(async () => {
    const { app } = (await import(pathToFileURL(join(projectDir, "hono-app.mjs")).href)) as {
      app: { fetch(request: Request): Response | Promise<Response> };
    };
    server = createServer((req, res) => void serveFetch(app.fetch, req, res)).listen(0, "127.0.0.1");
    plainPort = await listening(server);
  });
  after(() => close(server));

  for (const item of cases) {
    test(item.name, () => compareAll(plainPort, ["hono", "hono-v1"], item));
  }
});

/** The smallest node:http adapter for a fetch-style app (what @hono/node-server does, buffered). */
async function serveFetch(
  fetch: (request: Request) => Response | Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
    }
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: body.length > 0 ? body : undefined,
    });
    const response = await fetch(request);
    const payload = Buffer.from(await response.arrayBuffer());
    const out: string[] = [];
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") out.push(name, value);
    });
    for (const cookie of response.headers.getSetCookie()) out.push("set-cookie", cookie);
    out.push("content-length", String(payload.length));
    res.writeHead(response.status, out);
    res.end(payload);
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(String(error));
  }
}
