/**
 * The service proxy against instances that answer byte by byte: body framings, HEAD, interim answers,
 * keep-alive reuse and a stale connection, malformed answers, backpressure and client aborts.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer as createHttpServer, request as httpRequest, type Server } from "node:http";
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from "node:net";
import { after, before, test } from "node:test";
import { listen } from "../../../src/http/index.js";
import {
  connectionPool,
  type InstanceUpstream,
  PLATFORM_MESSAGES,
  proxyRequest,
} from "../../../src/services/service-proxy.js";
import { send } from "../../helpers/http-client.js";

/** Answers each request by its path, writing the raw bytes of the answer itself. */
const requestsPerConnection = new WeakMap<Socket, number>();
const raw: TcpServer = createTcpServer((socket) => {
  let buffered = "";
  socket.on("data", (data: Buffer) => {
    buffered += data.toString("latin1");
    for (let end = buffered.indexOf("\r\n\r\n"); end >= 0; end = buffered.indexOf("\r\n\r\n")) {
      const head = buffered.slice(0, end);
      buffered = buffered.slice(end + 4);
      const served = (requestsPerConnection.get(socket) ?? 0) + 1;
      requestsPerConnection.set(socket, served);
      answer(socket, head, served);
    }
  });
  socket.on("error", () => {});
});

function answer(socket: Socket, head: string, served: number): void {
  const path = head.split(" ")[1];
  if (path === "/close-delimited") {
    socket.end("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nuntil the end");
  } else if (path === "/interim") {
    socket.write("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n");
    socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Final: yes\r\n\r\nfinal");
  } else if (path === "/many-headers") {
    let headers = "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nConnection: x-hop\r\nX-Hop: dropped\r\n";
    for (let i = 0; i < 40; i++) headers += `X-Header-${i}: ${i}\r\n`;
    socket.write(`HTTP/1.1 200 OK\r\n${headers}Content-Length: 2\r\n\r\nok`);
  } else if (path === "/malformed") {
    socket.write("HTTP/1.1 2x0 Nope\r\n\r\n");
  } else if (path === "/stale") {
    // The first request on a connection is answered; later ones find it closed, as after a keep-alive timeout.
    if (served > 1) socket.destroy();
    else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${String(served).length}\r\n\r\n${served}`);
  } else {
    socket.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  }
}

const big = Buffer.alloc(8 * 1024 * 1024, "0123456789abcdef");
let sawClientAbort: () => void = () => {};
const clientAborted = new Promise<void>((resolve) => {
  sawClientAbort = resolve;
});
const http: Server = createHttpServer((request, response) => {
  if (request.url === "/big") {
    response.writeHead(200, { "content-length": big.length });
    response.end(big);
  } else if (request.url === "/head") {
    response.writeHead(200, { "content-length": 1234, "x-head": "yes" });
    response.end(request.method === "HEAD" ? undefined : "x".repeat(1234));
  } else if (request.url === "/echo-body") {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () =>
      response.end(JSON.stringify({ body: Buffer.concat(chunks).toString(), headers: request.headers })),
    );
  } else if (request.url === "/forever") {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write("data: open\n\n");
    response.on("close", () => sawClientAbort());
  } else {
    response.writeHead(200, { "x-remote-port": String(request.socket.remotePort) });
    response.end("ok");
  }
});

let rawConnections: InstanceUpstream;
let httpConnections: InstanceUpstream;
let front: Server;
let port: number;

before(async () => {
  await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
  const rawPort = (raw.address() as { port: number }).port;
  rawConnections = connectionPool(rawPort, 4);
  httpConnections = connectionPool(await listen(http, 0, "127.0.0.1"), 4);
  front = createHttpServer((request, response) => {
    const toRaw = request.headers["x-upstream"] === "raw";
    void proxyRequest(toRaw ? rawConnections : httpConnections, request, response, {
      forwardedProto: "http",
      timeoutMs: 10_000,
    });
  });
  port = await listen(front, 0, "127.0.0.1");
});

after(async () => {
  await Promise.all([rawConnections.destroy(), httpConnections.destroy()]);
  front.closeAllConnections();
  http.closeAllConnections();
  front.close();
  http.close();
  raw.close();
});

const viaRaw = (path: string, method = "GET") =>
  send({ port, path, method, headers: { "x-upstream": "raw" } });

test("a body that runs until the instance closes the connection is relayed whole", async () => {
  const response = await viaRaw("/close-delimited");
  assert.equal(response.status, 200);
  assert.equal(response.text, "until the end");
});

test("interim answers (103) are not relayed; the final answer is", async () => {
  const response = await viaRaw("/interim");
  assert.equal(response.status, 200);
  assert.equal(response.headers["x-final"], "yes");
  assert.equal(response.text, "final");
});

test("repeated and numerous headers pass; headers the Connection header names do not", async () => {
  const response = await viaRaw("/many-headers");
  assert.deepEqual(response.headers["set-cookie"], ["a=1", "b=2"]);
  assert.equal(response.headers["x-header-39"], "39");
  assert.equal(response.headers["x-hop"], undefined);
});

test("a malformed answer becomes Cloud Run's 503", async () => {
  const response = await viaRaw("/malformed");
  assert.equal(response.status, 503);
  assert.equal(response.text, `${PLATFORM_MESSAGES.connectionError}\n`);
});

test("a GET on a kept-alive connection the instance closed is sent again on a new one; a POST is not", async () => {
  const first = await viaRaw("/stale");
  assert.equal(first.text, "1");
  const again = await viaRaw("/stale");
  assert.equal(again.status, 200);
  assert.equal(again.text, "1", "answered as the first request of a fresh connection");
  const post = await send({ port, path: "/stale", method: "POST", headers: { "x-upstream": "raw" } });
  assert.equal(post.status, 503, "a request that may change state is never sent twice");
});

test("connections are kept alive and reused", async () => {
  const first = await send({ port, path: "/port" });
  const second = await send({ port, path: "/port" });
  assert.equal(first.headers["x-remote-port"], second.headers["x-remote-port"]);
});

test("HEAD answers keep their Content-Length and carry no body", async () => {
  const response = await send({ port, path: "/head", method: "HEAD" });
  assert.equal(response.status, 200);
  assert.equal(response.headers["content-length"], "1234");
  assert.equal(response.headers["x-head"], "yes");
  assert.equal(response.body.length, 0);
  const next = await send({ port, path: "/head" });
  assert.equal(next.body.length, 1234, "the connection is still in step after the HEAD");
});

test("a chunked request body is forwarded chunked, as it arrives", async () => {
  const answer = await new Promise<string>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/echo-body", method: "POST" }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.write("first,");
    req.write("");
    req.end("second");
  });
  const { body, headers } = JSON.parse(answer) as { body: string; headers: Record<string, string> };
  assert.equal(body, "first,second");
  assert.equal(headers["transfer-encoding"], "chunked");
});

test("a large answer reaches a slow client whole", async () => {
  const digest = await new Promise<string>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/big" }, (res) => {
      const hash = createHash("sha256");
      // Not reading for a while fills the buffers, so the proxy has to stop reading from the instance.
      res.pause();
      setImmediate(() => {
        res.on("data", (chunk: Buffer) => hash.update(chunk));
        res.resume();
      });
      res.on("end", () => resolve(hash.digest("hex")));
    });
    req.on("error", reject);
    req.end();
  });
  assert.equal(digest, createHash("sha256").update(big).digest("hex"));
});

test("a client that goes away ends the instance's request too", async () => {
  await new Promise<void>((resolve) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/forever" }, (res) => {
      res.once("data", () => {
        req.destroy();
        resolve();
      });
    });
    // The destroy above is the only error expected.
    req.on("error", () => {});
    req.end();
  });
  await clientAborted;
});

test("close() waits for the requests in flight; a closed pool answers 503", async () => {
  const connections = connectionPool((http.address() as { port: number }).port, 2);
  let closed: Promise<void> | undefined;
  const server = createHttpServer((request, response) => {
    void proxyRequest(connections, request, response, { forwardedProto: "http", timeoutMs: 10_000 });
    // Closing while the first request is in flight.
    closed ??= connections.close();
  });
  const serverPort = await listen(server, 0, "127.0.0.1");
  const first = await send({ port: serverPort, path: "/big" });
  assert.equal(first.body.length, big.length);
  await closed;
  const refused = await send({ port: serverPort, path: "/port" });
  assert.equal(refused.status, 503);
  server.closeAllConnections();
  server.close();
});
