/** The physical limit the benchmark compares against: a bare node:http server answering the functions' JSON. */
import { createServer } from "node:http";
import { serveBaseline } from "./serve-baseline.js";

const body = JSON.stringify({ ok: true, msg: "hello", path: "/" });
const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
serveBaseline(server);
