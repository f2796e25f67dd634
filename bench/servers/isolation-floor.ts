/**
 * The isolation floor: the most any process-per-request design can reach on this machine. A node:http front hands
 * each request to one of 10 child processes, one request per child at a time, as length-prefixed JSON frames on
 * pipes (u32 BE length, then the JSON), and writes what the child answers. It does no routing, builds no events
 * and writes no logs. `node isolation-floor.js node|python`: children in Node.js (floor-child.js) or in Python
 * (floor_child.py), each calling a handler that returns the functions' answer.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { createServer, type ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { encodeFloorFrame, floorFrameReader } from "./floor-frames.js";
import { serveBaseline } from "./serve-baseline.js";

const CHILDREN = 10;
const here = dirname(fileURLToPath(import.meta.url));
const runtime = process.argv[2];
const command =
  runtime === "node"
    ? [process.execPath, join(here, "floor-child.js")]
    : runtime === "python"
      ? ["python3", join(here, "..", "..", "..", "bench", "servers", "floor_child.py")]
      : undefined;
if (command === undefined) throw new Error("usage: isolation-floor.js node|python");

type Child = ChildProcessByStdio<Writable, Readable, null>;

interface FloorChild {
  readonly process: Child;
  /** The response the child's answer goes to, while it serves one. */
  serving: ServerResponse | undefined;
}

const children: FloorChild[] = [];
const idle: FloorChild[] = [];
const waiting: { readonly request: object; readonly response: ServerResponse }[] = [];

function startChild(): FloorChild {
  const [file, ...args] = command as string[];
  const child: FloorChild = {
    process: spawn(file as string, args, { stdio: ["pipe", "pipe", "inherit"] }),
    serving: undefined,
  };
  child.process.stdout.on(
    "data",
    floorFrameReader((reply) => answer(child, reply as Reply)),
  );
  children.push(child);
  return child;
}

interface Reply {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function answer(child: FloorChild, reply: Reply) {
  child.serving
    ?.writeHead(reply.statusCode, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) })
    .end(reply.body);
  child.serving = undefined;
  const next = waiting.shift();
  if (next) send(child, next.request, next.response);
  else idle.push(child);
}

function send(child: FloorChild, request: object, response: ServerResponse): void {
  child.serving = response;
  child.process.stdin.write(encodeFloorFrame(request));
}

for (let i = 0; i < CHILDREN; i++) idle.push(startChild());

const server = createServer((request, response) => {
  const message = { method: request.method, path: request.url };
  const child = idle.pop();
  if (child) send(child, message, response);
  else waiting.push({ request: message, response });
});
serveBaseline(server);
process.on("exit", () => {
  for (const child of children) child.process.kill();
});
