/** The service proxy over real sockets: forwarded headers, hop-by-hop removal, streaming, 503/504. */
import assert from "node:assert/strict";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { after, before, test } from "node:test";
import { listen } from "../../../src/http/index.js";
import {
  connectionPool,
  type InstanceUpstream,
  PLATFORM_MESSAGES,
  proxyRequest,
} from "../../../src/services/service-proxy.js";
import { send } from "../../helpers/http-client.js";

let releaseStream: () => void = () => {};
const upstream = createServer((request: IncomingMessage, response: ServerResponse) => {
  if (request.url === "/stream") {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write("data: first\n\n");
    releaseStream = () => response.end("data: last\n\n");
    return;
  }
  if (request.url === "/hang") return;
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const body = JSON.stringify({
      headers: request.headers,
      body: Buffer.concat(chunks).toString(),
      url: request.url,
    });
    response.writeHead(200, {
      "content-type": "application/json",
      "keep-alive": "timeout=7",
      "x-app": "yes",
    });
    response.end(body);
  });
});

let pool: InstanceUpstream;
let deadPool: InstanceUpstream;
let front: Server;
let frontPort: number;

before(async () => {
  const upstreamPort = await listen(upstream, 0, "127.0.0.1");
  pool = connectionPool(upstreamPort, 4);
  deadPool = connectionPool(1, 1);
  front = createServer((request, response) => {
    const target = request.url === "/dead" ? deadPool : pool;
    void proxyRequest(target, request, response, {
      forwardedProto: "http",
      timeoutMs: request.url === "/hang" ? 200 : 5000,
    });
  });
  frontPort = await listen(front, 0, "127.0.0.1");
});

after(async () => {
  releaseStream();
  await Promise.all([pool.close(), deadPool.close()]);
  front.closeAllConnections();
  upstream.closeAllConnections();
  front.close();
  upstream.close();
});

test("adds X-Forwarded-*, Forwarded and traceparent; drops hop-by-hop headers both ways", async () => {
  const response = await send({
    port: frontPort,
    path: "/echo?q=1",
    headers: {
      host: "web.localhost:3000",
      "x-custom": "kept",
      te: "trailers",
      connection: "keep-alive, x-private",
      "x-private": "dropped",
    },
  });
  assert.equal(response.status, 200);
  const { headers, url } = response.json() as { headers: Record<string, string>; url: string };
  assert.equal(url, "/echo?q=1");
  assert.equal(headers.host, "web.localhost:3000");
  assert.equal(headers["x-custom"], "kept");
  assert.equal(headers["x-forwarded-for"], "127.0.0.1");
  assert.equal(headers["x-forwarded-proto"], "http");
  assert.equal(headers["x-forwarded-host"], "web.localhost:3000");
  assert.equal(headers.forwarded, "for=127.0.0.1;proto=http;host=web.localhost:3000");
  assert.match(headers.traceparent as string, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  const [, traceId, spanId] = (headers.traceparent as string).split("-") as [string, string, string];
  assert.equal(headers["x-cloud-trace-context"], `${traceId}/${BigInt(`0x${spanId}`)};o=0`);
  assert.equal(headers.te, undefined);
  assert.equal(headers["x-private"], undefined);
  assert.equal(response.headers["x-app"], "yes");
  assert.equal(
    response.headers["keep-alive"] === "timeout=7",
    false,
    "the upstream's keep-alive header is not relayed",
  );
});

test("request bodies are forwarded", async () => {
  const response = await send({ port: frontPort, path: "/echo", method: "POST", body: "hello body" });
  assert.equal((response.json() as { body: string }).body, "hello body");
});

test("responses stream: the first event arrives before the upstream finishes", async () => {
  const firstChunk = await new Promise<string>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: frontPort, path: "/stream" }, (res) => {
      res.once("data", (chunk: Buffer) => {
        resolve(chunk.toString());
        releaseStream();
        res.resume();
      });
    });
    req.on("error", reject);
    req.end();
  });
  assert.equal(firstChunk, "data: first\n\n");
});

test("a request past its timeout gets Cloud Run's 504; an unreachable instance gets 503", async () => {
  const slow = await send({ port: frontPort, path: "/hang" });
  assert.equal(slow.status, 504);
  assert.equal(slow.text, `${PLATFORM_MESSAGES.timeout}\n`);
  const dead = await send({ port: frontPort, path: "/dead" });
  assert.equal(dead.status, 503);
  assert.equal(dead.text, `${PLATFORM_MESSAGES.connectionError}\n`);
});
