/**
 * Functions Framework HTTP functions through `portico dev`: Node.js ones served by Google's own
 * framework, Python ones by Portico's Flask launcher, each a service at NAME.localhost.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send, type TestResponse } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { PorticoProcess } from "../helpers/portico-process.js";

const fixture = join(fixturesDir, "projects", "functions-framework");
// Python functions run with the python3 on PATH: put the system one (apt's python3-flask) ahead of a
// pyenv or virtualenv one that may lack Flask.
const env = { PATH: `/usr/bin:${process.env.PATH}` };
/** Flask's answer to a crash, as Google's Python framework sends it (str() of the 500 error). */
const FLASK_CRASH =
  "500 Internal Server Error: The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.";
const FLASK_NOT_FOUND =
  "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>Not Found</p>\n";

// A copy outside Portico's tree: no node_modules above it, so Node.js functions get Portico's framework.
const projectDir = mkdtempSync(join(tmpdir(), "portico-ff-"));
let portico: PorticoProcess;
let port: number;

before(async () => {
  cpSync(fixture, projectDir, { recursive: true, filter: (path) => !path.includes("missing-target") });
  portico = new PorticoProcess(["dev", projectDir, "--port", "0", "--admin-port", "0"], { env });
  const [, found] = await portico.waitFor(/Service \[py\] Service URL: http:\/\/py\.localhost:(\d+)\//, {
    timeoutMs: 30_000,
  });
  port = Number(found);
  await portico.waitFor(/Watching for changes/);
});
after(async () => {
  await portico?.stop();
  rmSync(projectDir, { recursive: true, force: true });
});

function call(
  service: string,
  path: string,
  options: { method?: string; body?: string; type?: string } = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { host: `${service}.localhost:${port}` };
  if (options.type !== undefined) headers["content-type"] = options.type;
  return send({ port, path, method: options.method, headers, body: options.body });
}

test("Node.js functions.http: Express req/res with the JSON body parsed, FUNCTION_TARGET and FUNCTION_SIGNATURE_TYPE set", async () => {
  const response = await call("declarative", "/items?name=Ann", {
    method: "POST",
    body: '{"count":2}',
    type: "application/json",
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers["content-type"], "application/json; charset=utf-8");
  assert.deepEqual(response.json(), {
    message: "Hello Ann!",
    method: "POST",
    path: "/items",
    body: { count: 2 },
    target: "helloHttp",
    signatureType: "http",
    service: "declarative",
  });
});

test("Node.js exports: the target from env FUNCTION_TARGET, and a dotted target into the module", async () => {
  const hello = await call("legacy", "/");
  assert.equal(hello.status, 200);
  assert.equal(hello.text, "Hello from hello");

  const created = await call("dotted", "/anything", { method: "PUT", body: "raw text", type: "text/plain" });
  assert.equal(created.status, 201);
  assert.equal(created.headers["x-handler"], "handlers.created");
  assert.equal(created.text, "created text/plain raw text");
});

test("Node.js: a thrown error answers 500 with X-Google-Status: crash; /favicon.ico is 404", async () => {
  const mark = portico.output.length;
  const crashed = await call("declarative", "/boom");
  assert.equal(crashed.status, 500);
  assert.equal(crashed.headers["x-google-status"], "crash");
  assert.equal(crashed.text, "the function failed");
  await portico.waitFor(/\[declarative\] declarative-00001-[a-z]{3} instance-1: Error: the function failed/, {
    from: mark,
  });

  const favicon = await call("declarative", "/favicon.ico");
  assert.equal(favicon.status, 404);
  assert.equal(favicon.text, "");
});

test("Python def name(request): a dict answers as JSON", async () => {
  const response = await call("py", "/dict?name=Bo");
  assert.equal(response.status, 200);
  assert.equal(response.headers["content-type"], "application/json");
  assert.deepEqual(response.json(), { message: "Hello Bo!", target: "api" });
});

test("Python: a (body, status, headers) tuple sets all three", async () => {
  const response = await call("py", "/tuple");
  assert.equal(response.status, 201);
  assert.equal(response.headers["x-function"], "api");
  assert.equal(response.headers["content-type"], "text/plain");
  assert.equal(response.text, "created\n");
});

test("Python: the Flask request gives the JSON body and repeated query args, on any method and path", async () => {
  const echo = await call("py", "/echo?tag=a&tag=b&page=2", {
    method: "PATCH",
    body: '{"name":"pen","count":3}',
    type: "application/json",
  });
  assert.equal(echo.status, 200);
  assert.deepEqual(echo.json(), {
    method: "PATCH",
    args: { tag: ["a", "b"], page: ["2"] },
    json: { name: "pen", count: 3 },
    signatureType: "http",
  });
  const other = await call("py", "/some/deep/path", { method: "DELETE" });
  assert.equal(other.status, 200);
  assert.equal(other.text, "Hello from DELETE /some/deep/path");
});

test("Python: requests are served concurrently by one instance", async () => {
  const [first, second] = await Promise.all([call("py", "/together"), call("py", "/together")]);
  assert.equal(first?.text, "met");
  assert.equal(second?.text, "met");
});

test("Python: an exception answers 500 with X-Google-Status: crash and logs its traceback", async () => {
  const mark = portico.output.length;
  const crashed = await call("py", "/boom");
  assert.equal(crashed.status, 500);
  assert.equal(crashed.headers["x-google-status"], "crash");
  assert.equal(crashed.text, FLASK_CRASH);
  await portico.waitFor(/\[py\] py-00001-[a-z]{3} instance-1: .*Exception on \/boom \[GET\]/, { from: mark });
  await portico.waitFor(/\[py\] py-00001-[a-z]{3} instance-1: ValueError: the function failed/, {
    from: mark,
  });
});

test("Python: /favicon.ico and /robots.txt are 404 without calling the function", async () => {
  for (const path of ["/favicon.ico", "/robots.txt"]) {
    const response = await call("py", path);
    assert.equal(response.status, 404, path);
    assert.equal(response.text, FLASK_NOT_FOUND, path);
  }
});

test("a target missing from the source fails the deploy, naming the file, the target and what is there", async () => {
  const failing = new PorticoProcess(
    ["dev", join(fixture, "missing-target"), "--port", "0", "--admin-port", "0"],
    { env },
  );
  try {
    await failing.waitFor(/Container failed to start/, { timeoutMs: 30_000 });
    assert.equal(await failing.exited, 1);
    assert.match(
      failing.output,
      /portico: Container failed to start\. Failed to start and then listen on the port defined by the PORT environment variable\. Revision fn-00001-[a-z]{3}: the process exited with code 1 before listening on PORT=\d+\./,
    );
    assert.ok(
      failing.output.includes(
        "  portico: main.py has no function named 'hello_world' (functions found: goodbye_http, hello_http). " +
          "Set `functionTarget:` in portico.yaml to the name of the function to serve.",
      ),
      failing.output,
    );
  } finally {
    await failing.stop();
  }
});
