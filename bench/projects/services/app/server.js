// The service `npm run bench` proxies to: a tiny node:http app answering a small fixed body on $PORT,
// as a Cloud Run service listens. PORT=0 picks a free port (the direct baseline); the line it prints
// says which.
import { createServer } from "node:http";

const body = JSON.stringify({ ok: true, msg: "hello", path: "/" });
const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 8080), () => {
  console.log(`listening on ${server.address().port}`);
});
process.on("SIGTERM", () => {
  console.log("stopping");
  server.close(() => process.exit(0)).closeAllConnections();
});
