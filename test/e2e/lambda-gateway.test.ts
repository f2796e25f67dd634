/** End to end through `portico dev`: routing, both payload formats, runtimes and every gateway error path. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  APIGatewayProxyEventSchema,
  APIGatewayProxyEventV2Schema,
} from "@aws-lambda-powertools/parser/schemas";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

let portico: PorticoProcess;
let port: number;

before(async () => {
  ({ portico, port } = await startDev(join(fixturesDir, "projects", "core")));
});
after(() => portico.stop());

const v2 = (
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
) => send({ port, path, ...init, headers: { host: `v2.localhost:${port}`, ...init.headers } });
const v1 = (
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
) => send({ port, path, ...init, headers: { host: `v1.localhost:${port}`, ...init.headers } });

interface Echo {
  // biome-ignore lint/suspicious/noExplicitAny: events are deep, loosely typed JSON; assertions check the shape.
  event: Record<string, any>;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  context: Record<string, any>;
  env: Record<string, string | undefined>;
}

describe("payload format 2.0", () => {
  test("GET with query, cookies and duplicate headers builds AWS's event", async () => {
    const response = await v2("/echo/a%20b/c?tag=x&tag=y&q=Hello%20World", {
      headers: { cookie: "a=1; b=2", "x-multi": "one", "user-agent": "curl/8.0" },
    });
    assert.equal(response.status, 200);
    const { event, context, env } = response.json() as Echo;
    APIGatewayProxyEventV2Schema.parse(event);
    assert.equal(event.version, "2.0");
    assert.equal(event.routeKey, "ANY /echo/{proxy+}");
    assert.equal(event.rawPath, "/echo/a b/c");
    assert.equal(event.rawQueryString, "tag=x&tag=y&q=Hello%20World");
    assert.deepEqual(event.queryStringParameters, { tag: "x,y", q: "Hello World" });
    assert.deepEqual(event.pathParameters, { proxy: "a b/c" });
    assert.deepEqual(event.cookies, ["a=1", "b=2"]);
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.headers["content-length"], "0");
    assert.equal(event.headers["user-agent"], "curl/8.0");
    assert.match(event.headers["x-amzn-trace-id"], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal(event.body, undefined);
    assert.equal(event.isBase64Encoded, false);
    assert.deepEqual(event.stageVariables, { table: "items" });
    assert.equal(event.requestContext.stage, "$default");
    assert.equal(event.requestContext.http.method, "GET");
    assert.equal(event.requestContext.http.sourceIp, "127.0.0.1");
    assert.match(event.requestContext.requestId, /^[A-Za-z0-9_-]{15}=$/);
    assert.equal(response.headers["apigw-requestid"], event.requestContext.requestId);
    assert.match(event.requestContext.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(typeof event.requestContext.timeEpoch, "number");
    assert.equal(context.functionName, "echo");
    assert.equal(context.memoryLimitInMB, "128");
    assert.match(context.invokedFunctionArn, /^arn:aws:lambda:[a-z0-9-]+:123456789012:function:echo$/);
    assert.ok(context.remaining > 0 && context.remaining <= 3000);
    assert.equal(env.GREETING, "hi");
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, "echo");
    assert.equal(env._HANDLER, "fns/echo.handler");
    assert.equal(env.AWS_EXECUTION_ENV, "AWS_Lambda_nodejs20.x");
    // The function sees the event's trace, with the gateway's span as parent.
    assert.equal(env._X_AMZN_TRACE_ID?.split(";")[0], event.headers["x-amzn-trace-id"]);
    assert.match(
      env._X_AMZN_TRACE_ID ?? "",
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    );
  });

  test("a named stage stays in rawPath but not in the route key", async () => {
    const { event } = (await v2("/beta/items/42")).json() as Echo;
    assert.equal(event.rawPath, "/beta/items/42");
    assert.equal(event.routeKey, "GET /items/{id}");
    assert.equal(event.requestContext.stage, "beta");
    assert.deepEqual(event.stageVariables, { table: "items_beta" });
    assert.deepEqual(event.pathParameters, { id: "42" });
  });

  test("JSON bodies arrive as text, others base64-encoded", async () => {
    const json = (
      await v2("/echo/x", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"a":1}',
      })
    ).json() as Echo;
    assert.equal(json.event.body, '{"a":1}');
    assert.equal(json.event.isBase64Encoded, false);
    const form = (
      await v2("/echo/x", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "request body",
      })
    ).json() as Echo;
    assert.equal(form.event.body, Buffer.from("request body").toString("base64"));
    assert.equal(form.event.isBase64Encoded, true);
    APIGatewayProxyEventV2Schema.parse(form.event);
  });

  test("response mapping: inference, cookies, base64, default content type, canonical header names", async () => {
    const respond = (payload: unknown) =>
      v2("/respond", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
      });

    const inferred = await respond({ result: { hello: "world" } });
    assert.equal(inferred.status, 200);
    assert.equal(inferred.headers["content-type"], "application/json");
    assert.deepEqual(inferred.json(), { hello: "world" });

    const text = await respond({ result: "Hello" });
    assert.equal(text.text, "Hello");

    const full = await respond({
      result: {
        statusCode: 201,
        headers: { myheader: "v", "x-custom-header": "1,2" },
        cookies: ["a=1; Path=/", "b=2"],
        body: "made",
      },
    });
    assert.equal(full.status, 201);
    assert.equal(full.text, "made");
    assert.equal(full.headers["content-type"], "text/plain; charset=utf-8");
    assert.deepEqual(full.headers["set-cookie"], ["a=1; Path=/", "b=2"]);
    const names = full.rawHeaders.map(([name]) => name);
    assert.ok(
      names.includes("Myheader") && names.includes("X-Custom-Header") && names.includes("Apigw-Requestid"),
      names.join(),
    );

    const binary = await respond({
      result: {
        statusCode: 200,
        isBase64Encoded: true,
        body: Buffer.from([0, 1, 2, 255]).toString("base64"),
      },
    });
    assert.deepEqual([...binary.body], [0, 1, 2, 255]);

    const malformed = await respond({ result: { statusCode: 200.5 } });
    assert.equal(malformed.status, 500);
    assert.deepEqual(malformed.json(), { message: "Internal Server Error" });
  });
});

describe("payload format 1.0", () => {
  test("builds the 1.0 event with nulls, multi-value maps and client header case", async () => {
    const response = await v1("/echo/x?a=1&a=2", { headers: { "X-Client": "A" } });
    const { event } = response.json() as Echo;
    APIGatewayProxyEventSchema.parse(event);
    assert.equal(event.version, "1.0");
    assert.equal(event.resource, "/echo/{proxy+}");
    assert.equal(event.httpMethod, "GET");
    assert.equal(event.headers["X-Client"], "A");
    assert.deepEqual(event.multiValueQueryStringParameters, { a: ["1", "2"] });
    assert.equal(event.queryStringParameters.a, "2");
    assert.equal(event.body, null);
    assert.equal(event.stageVariables, null);
    assert.equal(event.requestContext.resourceId, "ANY /echo/{proxy+}");
    assert.equal(event.requestContext.requestId, event.requestContext.extendedRequestId);
  });

  test("merges headers and multiValueHeaders; a missing statusCode is an error", async () => {
    const respond = (payload: unknown) =>
      v1("/respond", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
      });
    const ok = await respond({
      result: {
        statusCode: 200,
        headers: { a: "1" },
        multiValueHeaders: { "set-cookie": ["x=1", "y=2"] },
        body: "ok",
      },
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.headers["set-cookie"], ["x=1", "y=2"]);
    assert.equal(ok.headers.a, "1");
    const bad = await respond({ result: { body: "no status" } });
    assert.equal(bad.status, 500);
    assert.deepEqual(bad.json(), { message: "Internal Server Error" });
  });
});

describe("runtimes", () => {
  test("TypeScript handler importing another .ts file", async () => {
    const response = await v2("/ts");
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { message: "TYPED /TS!" });
  });

  test("CommonJS and callback-style handlers", async () => {
    assert.deepEqual((await v2("/cjs")).json(), { style: "commonjs" });
    assert.deepEqual((await v2("/callback")).json(), { style: "callback" });
  });

  test("Python handler gets the same event and a Python context", async () => {
    const { event, context } = (
      await v2("/py/a?x=1", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" })
    ).json() as Echo;
    APIGatewayProxyEventV2Schema.parse(event);
    assert.equal(event.body, "hi");
    assert.equal(event.routeKey, "ANY /py/{proxy+}");
    assert.equal(context.function_name, "pyEcho");
    assert.equal(context.memory_limit_in_mb, "128");
    const v1Event = ((await v1("/py/a")).json() as Echo).event;
    APIGatewayProxyEventSchema.parse(v1Event);
  });

  test("provided runtime: a shell bootstrap speaking the Runtime API over HTTP", async () => {
    const response = await v2("/custom", { method: "PUT" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { runtime: "provided", method: "PUT", handler: "echo.handler" });
  });
});

describe("errors", () => {
  test("no route gives 404 Not Found", async () => {
    const response = await v2("/nowhere");
    assert.equal(response.status, 404);
    assert.deepEqual(response.json(), { message: "Not Found" });
    assert.ok(response.headers["apigw-requestid"]);
    assert.equal((await v2("/items/42/")).status, 404, "a trailing slash is significant");
  });

  test("a thrown error gives 500 and Lambda's error object in the logs", async () => {
    const mark = portico.output.length;
    const response = await v2("/fail");
    assert.equal(response.status, 500);
    assert.deepEqual(response.json(), { message: "Internal Server Error" });
    await portico.waitFor(
      /\[fail\] .*\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"the item could not be read","stack":\[/,
      { from: mark },
    );
    await portico.waitFor(
      /\[fail\] REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t/,
      { from: mark },
    );
    const py = await v2("/py-fail");
    assert.equal(py.status, 500);
    await portico.waitFor(/\[pyFail\] \[ERROR\] ValueError: python says no/, { from: mark });
  });

  test("a timeout kills the instance: 500 and 'Task timed out after 1.00 seconds'", async () => {
    const mark = portico.output.length;
    const response = await v2("/slow");
    assert.equal(response.status, 500);
    await portico.waitFor(/\[slow\] \S+ [0-9a-f-]{36} Task timed out after 1\.00 seconds/, { from: mark });
    await portico.waitFor(/\[slow\] REPORT .*Status: timeout/, { from: mark });
  });

  test("a process that exits or outgrows its memory is reported and replaced", async () => {
    const mark = portico.output.length;
    assert.equal((await v2("/exits")).status, 500);
    await portico.waitFor(/\[exits\] REPORT .*Status: error\tError Type: Runtime\.ExitError/, { from: mark });
    assert.equal((await v2("/hog")).status, 500);
    await portico.waitFor(/\[hog\] REPORT .*Status: error\tError Type: Runtime\.OutOfMemory/, { from: mark });
    // The gateway and other functions are unaffected.
    assert.equal((await v2("/echo")).status, 200);
  });

  test("init errors name the file and handler", async () => {
    const mark = portico.output.length;
    assert.equal((await v2("/syntax")).status, 500);
    await portico.waitFor(/\[syntax\] .*Runtime\.UserCodeSyntaxError/, { from: mark });
    await portico.waitFor(
      /\[syntax\] INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime\.UserCodeSyntaxError/,
      { from: mark },
    );
    assert.equal((await v2("/missing")).status, 500);
    await portico.waitFor(
      /\[missing\] .*Runtime\.HandlerNotFound.*fns\/echo\.nope is undefined or not exported/,
      { from: mark },
    );
  });

  test("an integration over its time limit gives 503 Service Unavailable", async () => {
    const response = await v2("/integration-timeout?ms=2000");
    assert.equal(response.status, 503);
    assert.deepEqual(response.json(), { message: "Service Unavailable" });
  });

  test("a body over 10 MB gives 413", async () => {
    const response = await v2("/echo/x", { method: "POST", body: Buffer.alloc(10 * 1024 * 1024 + 1) });
    assert.equal(response.status, 413);
    assert.deepEqual(response.json(), { message: "Request Entity Too Large" });
  });
});

describe("concurrency", () => {
  test("one request per instance: parallel requests run on distinct processes up to the function's concurrency", async () => {
    const responses = await Promise.all(Array.from({ length: 4 }, () => v2("/sleep?ms=300")));
    assert.ok(responses.every((response) => response.status === 200));
    const pids = new Set(responses.map((response) => (response.json() as { pid: number }).pid));
    assert.equal(pids.size, 2, "concurrency 2 caps the instances; the others queued and reused them");
    const again = (await v2("/sleep?ms=1")).json() as { pid: number };
    assert.ok(pids.has(again.pid), "a warm instance is reused");
  });
});

test("an upgrade request to an API (curl --http2 sends Upgrade: h2c) is answered as a plain request", async () => {
  const response = await v2("/items/42", {
    headers: {
      connection: "Upgrade, HTTP2-Settings",
      upgrade: "h2c",
      "http2-settings": "AAMAAABkAAQAoAAAAAIAAAAA",
    },
  });
  assert.equal(response.status, 200);
  assert.equal((response.json() as Echo).event.routeKey, "GET /items/{id}");
  assert.equal(response.headers.connection, "close");
});
