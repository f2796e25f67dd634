/**
 * `portico dev --debug-port N`: a Node.js instance waits on the inspector at 127.0.0.1:N until a debugger
 * attaches and lets it run; one instance lives at a time, so the next function's instance takes the same port;
 * timeouts are extended. Python runs under debugpy when the interpreter has it, and without it (said once) when not.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import WebSocket from "ws";
import { send } from "../helpers/http-client.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

const debugpyAvailable = (() => {
  try {
    execFileSync(process.env.PORTICO_PYTHON?.trim() || "python3", ["-c", "import debugpy"], {
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
})();

/** Answers with its name, its pid and the time it has left. */
const nodeHandler = (name: string) =>
  `export const handler = async (event, context) => ({ name: ${JSON.stringify(name)}, pid: process.pid, remainingMs: context.getRemainingTimeInMillis() });\n`;

const tempDir = mkdtempSync(join(tmpdir(), "portico-debug-port-"));
let portico: PorticoProcess;
let port: number;
let debugPort: number;

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

before(async () => {
  write(
    join(tempDir, "portico.yaml"),
    [
      "functions:",
      "  first: { runtime: nodejs20.x, handler: first.handler, timeout: 3 }",
      "  second: { runtime: nodejs20.x, handler: second.handler, concurrency: 5 }",
      "  py: { runtime: python3, handler: app.handler }",
      "apis:",
      "  app:",
      "    routes:",
      "      GET /first: first",
      "      GET /second: second",
      "      GET /py: py",
      "",
    ].join("\n"),
  );
  write(join(tempDir, "first.mjs"), nodeHandler("first"));
  write(join(tempDir, "second.mjs"), nodeHandler("second"));
  write(join(tempDir, "app.py"), 'def handler(event, context):\n    return {"name": "py"}\n');
  debugPort = await freePort();
  ({ portico, port } = await startDev(tempDir, ["--debug-port", String(debugPort)]));
});
after(async () => {
  await portico?.stop();
  rmSync(tempDir, { recursive: true, force: true });
});

test("dev says where the debugger attaches and that timeouts are extended", async () => {
  await portico.waitFor(
    new RegExp(
      `Debugger: functions listen on 127\\.0\\.0\\.1:${debugPort} \\(Node\\.js inspector / Python debugpy\\); attach, then send a request\\.`,
    ),
  );
  await portico.waitFor(/Debugger: one function instance runs at a time, and function timeouts are extended/);
});

test("a Node.js instance waits for the debugger, runs once it attaches, and outlives its own timeout", async () => {
  const answer = send({ port, path: "/first", timeoutMs: 20_000 });
  // Nothing runs before the debugger lets it: 4 s is past `first`'s own 3 s timeout.
  const early = await Promise.race([answer.then(() => "answered"), delay(4_000).then(() => "waiting")]);
  assert.equal(early, "waiting");
  await attachAndRun("first", debugPort);
  const response = await answer;
  assert.equal(response.status, 200, response.text);
  const body = response.json() as { name: string; remainingMs: number };
  assert.equal(body.name, "first");
  assert.ok(body.remainingMs > 3_600_000, `remaining time ${body.remainingMs} ms is not extended`);
});

test("the next function's instance takes the port once the previous instance has stopped", async () => {
  const first = (await send({ port, path: "/first" })).json() as { pid: number };
  const answer = send({ port, path: "/second", timeoutMs: 20_000 });
  await attachAndRun("second", debugPort);
  const response = await answer;
  assert.equal(response.status, 200, response.text);
  const second = response.json() as { name: string; pid: number };
  assert.equal(second.name, "second");
  assert.notEqual(second.pid, first.pid);
  assert.throws(() => process.kill(first.pid, 0), /ESRCH/, "the first instance still runs");
});

test("without debugpy a Python function runs as usual, and dev says once how to install it", {
  skip: debugpyAvailable ? "debugpy is installed for this Python" : false,
}, async () => {
  const response = await send({ port, path: "/py", timeoutMs: 20_000 });
  assert.equal(response.status, 200, response.text);
  assert.deepEqual(response.json(), { name: "py" });
  await portico.waitFor(/Debugger: debugpy is not installed for \S+; .* -m pip install debugpy/);
  await send({ port, path: "/py" });
  assert.equal(portico.output.match(/debugpy is not installed/g)?.length, 1);
});

test("with debugpy a Python instance waits for a debugger client", {
  skip: debugpyAvailable
    ? false
    : "debugpy is not installed for this Python (python3 -c 'import debugpy' fails)",
}, async () => {
  const answer = send({ port, path: "/py", timeoutMs: 30_000 });
  const early = await Promise.race([answer.then(() => "answered"), delay(3_000).then(() => "waiting")]);
  assert.equal(early, "waiting");
  await attachDebugpy(debugPort);
  const response = await answer;
  assert.equal(response.status, 200, response.text);
  assert.deepEqual(response.json(), { name: "py" });
});

/**
 * Attaches to the instance of `name` once its inspector answers on `inspectorPort` (bounded), and lets it run
 * past every pause. The instance is told by the id it prints: the one before may answer on the port until it exits.
 */
async function attachAndRun(name: string, inspectorPort: number): Promise<void> {
  const [, id] = await portico.waitFor(
    new RegExp(`\\[${name}\\] Debugger listening on ws://127\\.0\\.0\\.1:${inspectorPort}/([\\w-]+)`),
    { timeoutMs: 15_000 },
  );
  const deadline = Date.now() + 15_000;
  let target: { id: string; webSocketDebuggerUrl: string } | undefined;
  while (!target) {
    if (Date.now() > deadline)
      throw new Error(`the inspector of ${name} did not answer on 127.0.0.1:${inspectorPort}`);
    try {
      const response = await fetch(`http://127.0.0.1:${inspectorPort}/json/list`);
      const list = (await response.json()) as Array<{ id: string; webSocketDebuggerUrl: string }>;
      target = list.find((entry) => entry.id === id);
    } catch {
      // Not listening yet.
    }
    if (!target) await delay(100);
  }
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let sequence = 0;
  const call = (method: string) => socket.send(JSON.stringify({ id: ++sequence, method }));
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { method?: string };
    if (message.method === "Debugger.paused") call("Debugger.resume");
  });
  call("Debugger.enable");
  call("Runtime.runIfWaitingForDebugger");
  // Leaves once the instance has answered, as a developer would; a stopped instance waits for that.
  sockets.push(socket);
}

/** Debugger connections, closed after each test. */
const sockets: WebSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** A minimal Debug Adapter Protocol client: initialize, attach, configurationDone. */
async function attachDebugpy(debugpyPort: number): Promise<void> {
  const { connect } = await import("node:net");
  const socket = connect(debugpyPort, "127.0.0.1");
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let seq = 0;
  const request = (command: string, args: object) => {
    const body = JSON.stringify({ seq: ++seq, type: "request", command, arguments: args });
    socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  request("initialize", { adapterID: "debugpy", clientID: "portico-test" });
  request("attach", {});
  request("configurationDone", {});
  setTimeout(() => socket.destroy(), 5_000).unref();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}
