/**
 * Access logs end to end: `portico up` prints each API request's line in its stage's format (the default JSON, or
 * a `$context` format from portico.yaml) naming the `apigw-requestid` the client got and the Lambda request id the
 * function saw, and each service request's Cloud Run `httpRequest` line; `dev --access-log` applies a SAM
 * template's `AccessLogSettings.Format`.
 */
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startDev, startServer } from "../helpers/portico-process.js";

const ECHO = `exports.handler = async (event, context) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ awsRequestId: context.awsRequestId, routeKey: event.routeKey }),
});
`;

const PROD_FORMAT = '$context.requestId $context.integration.requestId "$context.routeKey" $context.status';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), "portico-access-logs-"));
});
after(() => rm(work, { recursive: true, force: true }));

/** The line after `from` in `portico`'s output that names `requestId`. */
async function lineNaming(portico: PorticoProcess, requestId: string, from: number): Promise<string> {
  const escaped = requestId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const [line] = await portico.waitFor(new RegExp(`^.*${escaped}.*$`, "m"), { from });
  return line;
}

describe("portico up", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let project: string;

  before(async () => {
    project = join(work, "shop");
    await mkdir(join(project, "fns"), { recursive: true });
    await writeFile(join(project, "fns", "echo.js"), ECHO);
    await writeFile(join(project, "package.json"), '{ "type": "commonjs" }');
    await cp(join(fixturesDir, "projects", "services", "web"), join(project, "web"), { recursive: true });
    await writeFile(
      join(project, "portico.yaml"),
      `functions:
  echo:
    runtime: nodejs20.x
    handler: fns/echo.handler
apis:
  shop:
    stages:
      prod:
        accessLog: { format: '${PROD_FORMAT}' }
      quiet:
        accessLog: false
    routes:
      GET /hello: echo
services:
  web:
    source: web
`,
    );
    server = await startServer(join(work, "data"));
    const deployed = await runPortico(["deploy", project, "--server", server.server], { timeoutMs: 60_000 });
    assert.equal(deployed.code, 0, deployed.stderr);
  });
  after(() => server?.portico.stop());

  const get = (host: string, path: string) =>
    send({ port: server.port, path, headers: { host, "user-agent": "access-test" } });

  test("the default JSON line names the request id the client got", async () => {
    const from = server.portico.output.length;
    const response = await get("shop.localhost", "/hello");
    assert.equal(response.status, 200, response.text);
    const requestId = response.headers["apigw-requestid"] as string;
    assert.ok(requestId);
    const line = JSON.parse(await lineNaming(server.portico, requestId, from));
    assert.equal(line.requestId, requestId);
    assert.equal(line.routeKey, "GET /hello");
    assert.equal(line.path, "/hello");
    assert.equal(line.status, "200");
    assert.equal(line.httpMethod, "GET");
    assert.equal(line.ip, "127.0.0.1");
    assert.equal(line.integrationStatus, "200");
    assert.match(line.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  });

  test("a stage's $context format names the gateway's and the function's request ids", async () => {
    const from = server.portico.output.length;
    const response = await get("shop.localhost", "/prod/hello");
    assert.equal(response.status, 200, response.text);
    const requestId = response.headers["apigw-requestid"] as string;
    const { awsRequestId } = response.json() as { awsRequestId: string };
    const line = await lineNaming(server.portico, requestId, from);
    assert.equal(line, `${requestId} ${awsRequestId} "GET /hello" 200`);
  });

  test("a stage with accessLog: false prints nothing", async () => {
    const response = await get("shop.localhost", "/quiet/hello");
    assert.equal(response.status, 200, response.text);
    const requestId = response.headers["apigw-requestid"] as string;
    // A later request's line is printed, so the quiet one's would have been by then.
    const from = server.portico.output.length;
    const next = await get("shop.localhost", "/hello");
    await lineNaming(server.portico, next.headers["apigw-requestid"] as string, from);
    assert.ok(!server.portico.output.includes(requestId), server.portico.output);
  });

  test("a service request prints Cloud Run's httpRequest line", async () => {
    const from = server.portico.output.length;
    const response = await get("web.localhost", "/items?x=1");
    assert.equal(response.status, 200, response.text);
    const [line] = await server.portico.waitFor(/^\{"httpRequest".*\/items\?x=1.*$/m, {
      from,
      timeoutMs: 30_000,
    });
    const entry = JSON.parse(line);
    assert.equal(entry.httpRequest.requestMethod, "GET");
    assert.equal(entry.httpRequest.requestUrl, "http://web.localhost/items?x=1");
    assert.equal(entry.httpRequest.status, 200);
    assert.equal(entry.httpRequest.userAgent, "access-test");
    assert.equal(entry.httpRequest.remoteIp, "127.0.0.1");
    assert.equal(entry.httpRequest.responseSize, String(Number(entry.httpRequest.responseSize)));
    assert.match(entry.httpRequest.latency, /^\d+\.\d{6}s$/);
    assert.equal(entry.severity, "INFO");
    assert.match(entry.labels.revision, /^web-/);
  });
});

describe("portico dev --access-log with a SAM template", () => {
  let dev: Awaited<ReturnType<typeof startDev>>;

  before(async () => {
    const project = join(work, "sam");
    await mkdir(join(project, "src"), { recursive: true });
    await writeFile(join(project, "src", "echo.js"), ECHO);
    await writeFile(
      join(project, "template.yaml"),
      `Transform: AWS::Serverless-2016-10-31
Resources:
  Shop:
    Type: AWS::Serverless::HttpApi
    Properties:
      AccessLogSettings:
        Format: '{"id":"$context.requestId","lambda":"$context.awsEndpointRequestId","status":$context.status}'
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: echo.handler
      CodeUri: src/
      Events:
        Hello: { Type: HttpApi, Properties: { ApiId: !Ref Shop, Path: /hello, Method: get } }
`,
    );
    dev = await startDev(project, ["--access-log"]);
  });
  after(() => dev?.portico.stop());

  test("the template's format is applied", async () => {
    const from = dev.portico.output.length;
    const response = await send({ port: dev.port, path: "/hello", headers: { host: "shop.localhost" } });
    assert.equal(response.status, 200, response.text);
    const requestId = response.headers["apigw-requestid"] as string;
    const { awsRequestId } = response.json() as { awsRequestId: string };
    const line = await lineNaming(dev.portico, requestId, from);
    assert.deepEqual(JSON.parse(line), { id: requestId, lambda: awsRequestId, status: 200 });
  });
});
