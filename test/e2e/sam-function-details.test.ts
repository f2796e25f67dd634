/**
 * End to end through `portico dev`: the function details real SAM projects carry — InlineCode, a .zip CodeUri,
 * layers, --parameter-overrides and the JSON log format — on a copy of one fixture project.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";
import { rawZip } from "../helpers/zip-bytes.js";

// biome-ignore lint/suspicious/noExplicitAny: the fixture functions answer loosely typed JSON.
type Json = Record<string, any>;

const fixture = join(fixturesDir, "projects", "sam-function-details");
const tempDir = mkdtempSync(join(tmpdir(), "portico-sam-details-"));

/** A fresh copy of the fixture, with the zip its ZipFunction names. */
function projectCopy(name: string): string {
  const dir = join(tempDir, name);
  cpSync(fixture, dir, { recursive: true });
  mkdirSync(join(dir, "build"));
  writeFileSync(
    join(dir, "build", "function.zip"),
    rawZip([
      {
        name: "app.js",
        data: 'exports.handler = async () => ({ statusCode: 200, body: "from the zip " + __dirname.includes(".portico") });\n',
      },
    ]),
  );
  writeFileSync(
    join(dir, "build", "layer.zip"),
    rawZip([
      { name: "nodejs/node_modules/zipped-module/index.js", data: 'exports.source = "zipped layer";\n' },
    ]),
  );
  return dir;
}

after(() => rmSync(tempDir, { recursive: true, force: true }));

/** What AWS tools send; `portico dev` without a token takes it unsigned. */
const signedLooking = {
  authorization:
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00",
};

describe("SAM function details through portico dev", () => {
  let portico: PorticoProcess;
  let port: number;
  let adminPort: number;
  let dir: string;

  before(async () => {
    dir = projectCopy("served");
    ({ portico, port, adminPort } = await startDev(dir, [
      "--parameter-overrides",
      'Greeting="hi there"',
      "--parameter-overrides",
      "ParameterKey=Stage,ParameterValue=prod",
    ]));
  });
  after(() => portico.stop());

  test("InlineCode (Node.js) runs from index.js in a generated directory, with the overridden parameters", async () => {
    const response = await send({ port, path: "/inline-node" });
    assert.equal(response.status, 200);
    const body = response.json() as Json;
    assert.equal(body.version, "v1");
    assert.match(body.file, /[/\\]\.portico[/\\]generated[/\\]inline-[0-9a-f]+[/\\]index\.js$/);
    assert.equal(body.taskRoot, join(body.file, ".."));
    assert.equal(readFileSync(body.file, "utf8").includes('version: "v1"'), true);
    assert.equal(body.greeting, "hi there");
    assert.equal(body.stage, "prod");
  });

  test("InlineCode (Python) runs from index.py", async () => {
    const body = (await send({ port, path: "/inline-python" })).json() as Json;
    assert.match(body.file, /[/\\]inline-[0-9a-f]+[/\\]index\.py$/);
    assert.equal(body.greeting, "hi there");
  });

  test("a .zip CodeUri is extracted and served", async () => {
    const response = await send({ port, path: "/zipped" });
    assert.equal(response.status, 200);
    assert.equal(response.text, "from the zip true");
  });

  test("Node.js layers: modules from every layer, a later layer's winning; an ARN layer is a warning", async () => {
    const body = (await send({ port, path: "/layered-node" })).json() as Json;
    assert.deepEqual(body, {
      greeting: "override layer",
      sharedOnly: "shared layer",
      zipped: "zipped layer",
    });
    assert.match(
      portico.output,
      /warning: template\.yaml: Resources\.LayeredNodeFunction\.Properties\.Layers\[3\]: arn:aws:lambda:us-east-1:123456789012:layer:only-in-aws:3 \(an ARN\) is not a layer of this template; the function runs without it\n/,
    );
  });

  test("Node.js layers reach an ES module's imports too", async () => {
    const body = (await send({ port, path: "/layered-esm" })).json() as Json;
    assert.deepEqual(body, { greeting: "override layer", sharedOnly: "shared layer" });
  });

  test("Python layers: python/ and python/lib/python3.12/site-packages are on sys.path", async () => {
    const body = (await send({ port, path: "/layered-python" })).json() as Json;
    assert.deepEqual(body, { plain: "python/", site: "python/lib/python3.12/site-packages" });
  });

  test("LogFormat JSON: platform and console records are JSON, below ApplicationLogLevel left out", async () => {
    const mark = portico.output.length;
    const body = (await send({ port, path: "/json-logs" })).json() as Json;
    assert.deepEqual(body, { format: "JSON", level: "WARN" });
    const [reportLine] = await portico.waitFor(
      /\[JsonLogsFunction\] \{"time":[^\n]*"type":"platform\.report"[^\n]*\n/,
      {
        from: mark,
      },
    );
    const report = JSON.parse(reportLine.replace("[JsonLogsFunction] ", "")) as Json;
    const requestId = report.record.requestId as string;
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.equal(report.record.status, "success");
    assert.equal(report.record.metrics.memorySizeMB, 128);
    assert.equal(typeof report.record.metrics.durationMs, "number");

    const lines = portico.output
      .slice(mark)
      .split("\n")
      .filter((line) => line.startsWith("[JsonLogsFunction] "))
      .map((line) => line.slice("[JsonLogsFunction] ".length));
    const records = lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Json);
    const start = records.find((record) => record.type === "platform.start");
    assert.deepEqual(start?.record, { requestId, version: "$LATEST" });
    assert.equal(records.find((record) => record.type === "platform.runtimeDone")?.record.status, "success");
    const warn = records.find((record) => record.level === "WARN");
    assert.equal(warn?.message, "careful { count: 2 }");
    assert.equal(warn?.requestId, requestId);
    assert.match(warn?.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // A lone argument stays a value.
    assert.deepEqual(records.find((record) => record.level === "ERROR")?.message, { structured: true });
    assert.equal(
      lines.some((line) => line.includes("below the level")),
      false,
    );
    // Raw writes to stdout are not records: they pass through as written.
    assert.ok(lines.includes("raw line"));
    // Other functions keep the text format.
    assert.doesNotMatch(portico.output, /\[InlineNodeFunction\] \{"time"/);
  });

  test("TenancyConfig: X-Amz-Tenant-Id is context.tenantId, and an instance serves one tenant only", async () => {
    const as = async (tenant: string) =>
      (await send({ port, path: "/tenant-node", headers: { "x-amz-tenant-id": tenant } })).json() as Json;
    const blue = await as("blue");
    const green = await as("green");
    const blueAgain = await as("blue");
    assert.deepEqual([blue.tenantId, blue.instanceTenant], ["blue", "blue"]);
    assert.deepEqual([green.tenantId, green.instanceTenant], ["green", "green"]);
    assert.notEqual(green.pid, blue.pid);
    // The blue instance is warm and kept for blue.
    assert.deepEqual([blueAgain.instanceTenant, blueAgain.pid], ["blue", blue.pid]);

    const python = (
      await send({ port, path: "/tenant-python", headers: { "X-Amz-Tenant-Id": "red" } })
    ).json();
    assert.deepEqual(python, { tenantId: "red" });
  });

  test("TenancyConfig: a request without a tenant fails as Lambda refuses the call; Invoke answers 400", async () => {
    const response = await send({ port, path: "/tenant-node" });
    assert.equal(response.status, 500);
    assert.deepEqual(response.json(), { message: "Internal Server Error" });

    const invoke = (name: string, headers: Record<string, string>) =>
      send({
        port: adminPort,
        method: "POST",
        path: `/2015-03-31/functions/${name}/invocations`,
        headers: { ...signedLooking, "content-type": "application/json", ...headers },
        body: "{}",
      });
    const missing = await invoke("TenantNodeFunction", {});
    assert.equal(missing.status, 400);
    assert.equal(missing.headers["x-amzn-errortype"], "InvalidParameterValueException");
    const unexpected = await invoke("ZipFunction", { "x-amz-tenant-id": "blue" });
    assert.equal(unexpected.status, 400);
    assert.match(unexpected.text, /does not have tenant isolation enabled/);
    const queued = await invoke("TenantNodeFunction", {
      "x-amz-tenant-id": "violet",
      "x-amz-invocation-type": "Event",
    });
    assert.equal(queued.status, 400);
    assert.match(queued.text, /does not queue invocations of a function with tenant isolation/);
    const invoked = await invoke("TenantNodeFunction", { "x-amz-tenant-id": "violet" });
    assert.equal(invoked.status, 200);
    const answer = JSON.parse((invoked.json() as Json).body) as Json;
    assert.deepEqual([answer.tenantId, answer.instanceTenant], ["violet", "violet"]);
  });

  test("LogFormat JSON: a handler's error is an ERROR record with the error's fields", async () => {
    const mark = portico.output.length;
    const response = await send({ port, path: "/json-logs?fail=1" });
    assert.equal(response.status, 500);
    const [line] = await portico.waitFor(/\[JsonLogsFunction\] \{[^\n]*"message":"Invoke Error"[^\n]*\n/, {
      from: mark,
    });
    const record = JSON.parse(line.replace("[JsonLogsFunction] ", "")) as Json;
    assert.equal(record.level, "ERROR");
    assert.equal(record.errorType, "TypeError");
    assert.equal(record.errorMessage, "asked to fail");
    assert.match(record.stackTrace[0], /^TypeError: asked to fail/);
    assert.match(record.requestId, /^[0-9a-f-]{36}$/);
  });

  test("InlineCode: the same code keeps its directory across reloads, an edit gets a new one", async () => {
    const before = ((await send({ port, path: "/inline-node" })).json() as Json).file as string;
    const template = join(dir, "template.yaml");
    let mark = portico.output.length;
    writeFileSync(join(dir, "src", "logs.js"), readFileSync(join(dir, "src", "logs.js"), "utf8"));
    await portico.waitFor(/Reloaded after a change to src\/logs\.js\n/, { from: mark });
    assert.equal(((await send({ port, path: "/inline-node" })).json() as Json).file, before);

    mark = portico.output.length;
    writeFileSync(template, readFileSync(template, "utf8").replace('version: "v1"', 'version: "v2"'));
    await portico.waitFor(/Reloaded after a change to template\.yaml\n/, { from: mark });
    const edited = (await send({ port, path: "/inline-node" })).json() as Json;
    assert.equal(edited.version, "v2");
    assert.notEqual(edited.file, before);
  });

  test("an edit to a layer gives the functions using it a new version", async () => {
    const mark = portico.output.length;
    writeFileSync(join(dir, "layers", "python", "python", "layer_plain.py"), 'SOURCE = "edited"\n');
    await portico.waitFor(/Reloaded after a change to layers\/python\/python\/layer_plain\.py\n/, {
      from: mark,
    });
    const body = (await send({ port, path: "/layered-python" })).json() as Json;
    assert.equal(body.plain, "edited");
  });

  test("a new .zip is extracted again and served after the reload", async () => {
    const mark = portico.output.length;
    writeFileSync(
      join(dir, "build", "function.zip"),
      rawZip([
        { name: "app.js", data: 'exports.handler = async () => ({ statusCode: 200, body: "zip two" });\n' },
      ]),
    );
    await portico.waitFor(/Reloaded after a change to build\/function\.zip\n/, { from: mark });
    assert.equal((await send({ port, path: "/zipped" })).text, "zip two");
  });
});

describe("generated code is removed when portico dev exits", () => {
  test("the project's .portico directory is gone after a stop", async () => {
    const dir = projectCopy("exits");
    const { portico, port } = await startDev(dir);
    assert.equal((await send({ port, path: "/zipped" })).status, 200);
    assert.ok(existsSync(join(dir, ".portico", "generated")));
    await portico.stop();
    assert.equal(existsSync(join(dir, ".portico")), false);
  });
});

describe("portico invoke", () => {
  test("--tenant-id reaches a tenant-isolated function, --parameter-overrides its parameters", async () => {
    const dir = projectCopy("invoke");
    const tenant = await runPortico(["invoke", "TenantNodeFunction", "--dir", dir, "--tenant-id", "amber"]);
    assert.equal(tenant.code, 0, tenant.stderr);
    assert.deepEqual(JSON.parse((JSON.parse(tenant.stdout) as Json).body).tenantId, "amber");

    const overridden = await runPortico([
      "invoke",
      "InlineNodeFunction",
      "--dir",
      dir,
      "--parameter-overrides",
      "Stage=qa",
    ]);
    assert.equal(overridden.code, 0, overridden.stderr);
    assert.equal(JSON.parse((JSON.parse(overridden.stdout) as Json).body).stage, "qa");
  });
});

describe("--parameter-overrides mistakes", () => {
  test("a key the template does not declare is an error naming it", async () => {
    const dir = projectCopy("unknown-key");
    const result = await runPortico([
      "dev",
      dir,
      "--port",
      "0",
      "--admin-port",
      "0",
      "--parameter-overrides",
      "Greeting=hi Stag=prod",
    ]);
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /template\.yaml: Parameters: --parameter-overrides names Stag, which the template does not declare \(it declares Greeting, Stage\)/,
    );
  });

  test("a malformed pair is an error naming it", async () => {
    const result = await runPortico(["dev", fixture, "--port", "0", "--parameter-overrides", "Greeting"]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /--parameter-overrides: "Greeting" is not Key=Value/);
  });
});
