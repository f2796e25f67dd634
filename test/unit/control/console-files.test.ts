import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ConsoleFiles } from "../../../src/control/admin/console-files.js";
import { send } from "../../helpers/http-client.js";

const built = mkdtempSync(join(tmpdir(), "portico-console-files-"));
mkdirSync(join(built, "assets"));
writeFileSync(join(built, "index.html"), "<!doctype html><div id=app></div>");
writeFileSync(join(built, "assets", "index-abc.js"), "console.log(1)");
writeFileSync(join(built, "assets", "notes.txt"), "not a kind of file the console ships");
after(() => rmSync(built, { recursive: true, force: true }));

/** What a listener serving `files` answers to `method` `path`. */
async function served(files: ConsoleFiles, path: string, method = "GET") {
  const server = createServer((request, response) =>
    files.send(request.url ?? "/", request.method ?? "GET", response),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await send({ port: (server.address() as AddressInfo).port, path, method });
  } finally {
    server.close();
  }
}

test("the built page and its files are its own; anything else, including other kinds of file, is not", () => {
  const files = new ConsoleFiles(built);
  assert.ok(files.owns("/"));
  assert.ok(files.owns("/index.html"));
  assert.ok(files.owns("/assets/index-abc.js"));
  assert.ok(!files.owns("/assets/notes.txt"));
  assert.ok(!files.owns("/assets/../index.html"));
  assert.ok(!files.owns("/v1/apis"));
});

test("without a build, the page is a 404 that says how to build it", async () => {
  const answer = await served(new ConsoleFiles(join(built, "missing")), "/");
  assert.equal(answer.status, 404);
  assert.equal((answer.json() as { code: string }).code, "CONSOLE_NOT_BUILT");
  assert.match((answer.json() as { message: string }).message, /npm run build/);
});

test("a HEAD has the headers and no body; a write is refused with the methods allowed", async () => {
  const files = new ConsoleFiles(built);
  const head = await served(files, "/assets/index-abc.js", "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.headers["content-length"], "14");
  assert.equal(head.text, "");
  const write = await served(files, "/", "DELETE");
  assert.equal(write.status, 405);
  assert.equal(write.headers.allow, "GET, HEAD");
});
