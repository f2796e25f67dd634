/** WebSockets through the service proxy: the upgrade passes through and holds one concurrency slot. */
import assert from "node:assert/strict";
import { once } from "node:events";
import { join } from "node:path";
import { after, before, test } from "node:test";
import WebSocket from "ws";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { PorticoProcess } from "../helpers/portico-process.js";

let portico: PorticoProcess;
let port: number;

before(async () => {
  portico = new PorticoProcess([
    "dev",
    join(fixturesDir, "projects", "websocket"),
    "--port",
    "0",
    "--admin-port",
    "0",
  ]);
  const [, found] = await portico.waitFor(/Service \[chat\] Service URL: http:\/\/chat\.localhost:(\d+)\//);
  port = Number(found);
});
after(() => portico.stop());

/** Opens a WebSocket to the chat service and resolves with its first message. */
async function connect(path: string): Promise<{ socket: WebSocket; hello: Record<string, string | number> }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
    headers: { host: `chat.localhost:${port}` },
  });
  const [data] = (await once(socket, "message")) as [Buffer];
  return { socket, hello: JSON.parse(data.toString("utf8")) };
}

test("a WebSocket upgrade reaches the app with forwarded headers, and messages flow both ways", async () => {
  const { socket, hello } = await connect("/chat?room=1");
  assert.equal(hello.path, "/chat?room=1");
  assert.match(String(hello.revision), /^chat-00001-[a-z]{3}$/);
  assert.equal(hello.forwardedFor, "127.0.0.1");
  assert.equal(hello.forwardedHost, `chat.localhost:${port}`);
  for (const text of ["hello", "again"]) {
    socket.send(text);
    const [reply] = (await once(socket, "message")) as [Buffer];
    assert.equal(reply.toString("utf8"), `echo: ${text}`);
  }
  const mark = portico.output.length;
  socket.close();
  await once(socket, "close");
  await portico.waitFor(/\[chat\] chat-00001-[a-z]{3} instance-\d+: websocket closed/, { from: mark });
});

test("an open WebSocket fills its instance: with concurrency 1 a request goes to another instance", async () => {
  const { socket, hello } = await connect("/");
  const response = await send({ port, path: "/", headers: { host: `chat.localhost:${port}` } });
  assert.equal(response.status, 200);
  assert.notEqual((response.json() as { pid: number }).pid, hello.pid);
  socket.close();
  await once(socket, "close");
});
