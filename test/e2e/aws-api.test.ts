/**
 * The AWS-compatible APIs of `portico up` and `portico dev`, driven by the real AWS SDK for JavaScript v3 and the
 * AWS CLI with only the endpoint changed: functions made from zips, APIs quick-created to them and served by the
 * gateway, Invoke with its log tail, updates and deletes, state that outlives a restart, asynchronous invocations
 * that outlive a `kill -9` and are retried as Lambda retries them, and signatures where a token is required.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ApiGatewayV2Client,
  ConflictException,
  CreateApiCommand,
  GetApisCommand,
  NotFoundException,
  UpdateApiCommand,
} from "@aws-sdk/client-apigatewayv2";
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ListFunctionsCommand,
  RequestTooLargeException,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { awsCli, awsCliMissing } from "../helpers/aws-cli.js";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startDev, startServer } from "../helpers/portico-process.js";
import { rawZip } from "../helpers/zip-bytes.js";

const ROLE = "arn:aws:iam::123456789012:role/portico-test";

/** A Node.js function whose answer names its version; it logs each event and fails on `{"fail": true}`. */
function helloZip(version: string): Buffer {
  return rawZip([
    {
      name: "index.js",
      data: `exports.handler = async (event) => {
  console.log("handling", JSON.stringify(event).slice(0, 60));
  if (event.fail) throw new Error("failing on purpose");
  return { statusCode: 200, body: "${version} " + (event.rawPath ?? "direct") };
};
`,
    },
  ]);
}

/**
 * Appends the event's `id` to its `file`. With `counter` it counts its attempts there and fails the first
 * `failTimes`; with `sleepMs` it waits first.
 */
const RECORDER_ZIP = rawZip([
  {
    name: "index.js",
    data: `const fs = require("node:fs");
exports.handler = async (event) => {
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (event.counter) {
    const count = (fs.existsSync(event.counter) ? Number(fs.readFileSync(event.counter, "utf8")) : 0) + 1;
    fs.writeFileSync(event.counter, String(count));
    if (count <= event.failTimes) throw new Error("failing on purpose, attempt " + count);
  }
  fs.appendFileSync(event.file, event.id + "\\n");
  return { recorded: event.id };
};
`,
  },
]);

interface Clients {
  readonly lambda: LambdaClient;
  readonly apis: ApiGatewayV2Client;
  close(): void;
}

function clients(
  adminPort: number,
  credentials = { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts = 1,
): Clients {
  const config = { endpoint: `http://127.0.0.1:${adminPort}`, region: "us-east-1", credentials, maxAttempts };
  const lambda = new LambdaClient(config);
  const apis = new ApiGatewayV2Client(config);
  return {
    lambda,
    apis,
    close: () => {
      lambda.destroy();
      apis.destroy();
    },
  };
}

const createFunction = (lambda: LambdaClient, name: string, zip: Buffer) =>
  lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs20.x",
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: zip },
    }),
  );

const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString("utf8");

/** GET `path` on the gateway as `NAME.localhost:PORT`, as a browser at http://NAME.localhost:PORT would. */
const callApi = (port: number, name: string, path: string) =>
  send({ port, path, headers: { host: `${name}.localhost:${port}` } });

/** Waits until `check` passes, for at most `timeoutMs`: for work that runs in the background, on its own time. */
async function eventually<T>(check: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Headers of a request AWS tools would send, for an unsigned look at the endpoints of a server without a token. */
const signedLooking = {
  authorization:
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=00",
};

describe("portico up: the Lambda and API Gateway v2 APIs, through the AWS SDK", { timeout: 120_000 }, () => {
  let work: string;
  let data: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let aws: Clients;
  let functionArn: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "portico-aws-"));
    data = join(work, "data");
    server = await startServer(data);
    aws = clients(server.adminPort);
  });
  after(async () => {
    aws?.close();
    await server?.portico.stop();
    await rm(work, { recursive: true, force: true });
  });

  test("a function from a zip, an API quick-created to it, Invoke with its log tail, and the route serving it", async () => {
    const created = await createFunction(aws.lambda, "hello", helloZip("v1"));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.State, "Active");
    functionArn = created.FunctionArn as string;
    assert.equal(functionArn, "arn:aws:lambda:us-east-1:123456789012:function:hello");

    const api = await aws.apis.send(
      new CreateApiCommand({
        Name: "greet",
        ProtocolType: "HTTP",
        Target: functionArn,
        RouteKey: "GET /hello",
      }),
    );
    assert.equal(api.ApiEndpoint, `http://greet.localhost:${server.port}`);

    const invoked = await aws.lambda.send(
      new InvokeCommand({ FunctionName: "hello", Payload: Buffer.from('{"name":"sdk"}'), LogType: "Tail" }),
    );
    assert.equal(invoked.StatusCode, 200);
    assert.equal(invoked.ExecutedVersion, "$LATEST");
    assert.equal(invoked.FunctionError, undefined);
    assert.deepEqual(JSON.parse(text(invoked.Payload)), { statusCode: 200, body: "v1 direct" });
    const requestId = invoked.$metadata.requestId as string;
    const tail = Buffer.from(invoked.LogResult ?? "", "base64").toString("utf8");
    assert.match(tail, new RegExp(`^START RequestId: ${requestId} Version: \\$LATEST\\n`, "m"));
    assert.match(tail, /handling \{"name":"sdk"\}/);
    assert.match(tail, new RegExp(`^END RequestId: ${requestId}\\n`, "m"));
    assert.match(tail, new RegExp(`^REPORT RequestId: ${requestId}\\t`, "m"));

    const answer = await callApi(server.port, "greet", "/hello");
    assert.equal(answer.status, 200);
    assert.equal(answer.text, "v1 /hello");

    const listed = await runPortico(["ls", "--server", server.server]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /hello/);
    assert.match(listed.stdout, /greet/);
  });

  test("a function error answers 200 with X-Amz-Function-Error and the error as payload", async () => {
    const failed = await aws.lambda.send(
      new InvokeCommand({ FunctionName: functionArn, Payload: Buffer.from('{"fail":true}') }),
    );
    assert.equal(failed.StatusCode, 200);
    assert.equal(failed.FunctionError, "Unhandled");
    assert.equal(
      (JSON.parse(text(failed.Payload)) as { errorMessage: string }).errorMessage,
      "failing on purpose",
    );
  });

  test("UpdateFunctionCode changes the answer, and GetFunctionConfiguration its CodeSha256", async () => {
    const before = await aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "hello" }));
    const zip = helloZip("v2");
    const updated = await aws.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: "hello", ZipFile: zip }),
    );
    const sha = createHash("sha256").update(zip).digest("base64");
    assert.equal(updated.CodeSha256, sha);
    const after = await aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "hello" }));
    assert.equal(after.CodeSha256, sha);
    assert.notEqual(after.CodeSha256, before.CodeSha256);
    assert.equal((await callApi(server.port, "greet", "/hello")).text, "v2 /hello");
  });

  test("the console's code editor: the text files listed, an edit deployed, the package's other files kept", async () => {
    const logo = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const zip = rawZip([
      { name: "index.js", data: 'exports.handler = async () => "before";\n' },
      { name: "lib/logo.png", data: logo },
    ]);
    await createFunction(aws.lambda, "editable", zip);
    const admin = (method: string, body?: unknown) =>
      send({
        port: server.adminPort,
        method,
        path: "/v1/functions/editable/code",
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const listed = (await admin("GET")).json() as {
      files: { path: string; text: string }[];
      editable: boolean;
    };
    assert.deepEqual(listed, {
      files: [{ path: "index.js", text: 'exports.handler = async () => "before";\n' }],
      editable: true,
    });

    const handler = `const fs = require("node:fs");
exports.handler = async () => "after, logo of " + fs.readFileSync(__dirname + "/lib/logo.png").length + " bytes";
`;
    const edited = await admin("PATCH", { files: { "index.js": handler } });
    assert.equal(edited.status, 200, edited.text);
    assert.equal((edited.json() as { version: number }).version, 2);
    const invoked = await aws.lambda.send(new InvokeCommand({ FunctionName: "editable" }));
    assert.equal(text(invoked.Payload), JSON.stringify(`after, logo of ${logo.length} bytes`));

    const outside = await admin("PATCH", { files: { "../index.js": "x", "lib/logo.png": "x" } });
    assert.equal(outside.status, 400);
    assert.match(
      (outside.json() as { message: string }).message,
      /"\.\.\/index\.js", "lib\/logo\.png" are not/,
    );
    await aws.lambda.send(new DeleteFunctionCommand({ FunctionName: "editable" }));
  });

  test("refusals come in AWS's shapes: a name in use, a zip that is none, an unknown API", async () => {
    await assert.rejects(createFunction(aws.lambda, "hello", helloZip("v1")), (error: unknown) => {
      assert.ok(error instanceof ResourceConflictException);
      assert.equal(error.message, "Function already exist: hello");
      return true;
    });
    await assert.rejects(
      createFunction(aws.lambda, "broken", Buffer.from("PK\x03\x04 not really a zip", "latin1")),
      (error: unknown) => {
        assert.ok(error instanceof InvalidParameterValueException);
        assert.equal(
          error.message,
          "Could not unzip uploaded file. Please check your file, then try to upload again.",
        );
        return true;
      },
    );
    await assert.rejects(
      aws.apis.send(new CreateApiCommand({ Name: "greet", ProtocolType: "HTTP" })),
      (error: unknown) => error instanceof ConflictException && /already exists/.test(error.message),
    );
    const answer = await send({
      port: server.adminPort,
      path: "/v2/apis/nothing123",
      headers: signedLooking,
    });
    assert.equal(answer.status, 404);
    assert.equal(answer.headers["x-amzn-errortype"], "NotFoundException");
    assert.ok(answer.headers["x-amzn-requestid"]);
    assert.deepEqual(answer.json(), { message: "Invalid API identifier specified 123456789012:nothing123" });
  });

  test("bodies are bounded: CreateFunction by Lambda's request limit, Invoke by its invocation type's", async () => {
    const tooLarge = await send({
      port: server.adminPort,
      method: "POST",
      path: "/2015-03-31/functions",
      headers: { ...signedLooking, "content-type": "application/json", "content-length": "69905068" },
      body: "{}",
    });
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.headers["x-amzn-errortype"], "RequestEntityTooLargeException");
    assert.deepEqual(tooLarge.json(), {
      message: "Request must be smaller than 69905067 bytes for the CreateFunction operation",
    });
    await assert.rejects(
      aws.lambda.send(
        new InvokeCommand({
          FunctionName: "hello",
          InvocationType: "Event",
          Payload: Buffer.from(JSON.stringify({ pad: "x".repeat(1_048_576) })),
        }),
      ),
      (error: unknown) =>
        error instanceof RequestTooLargeException &&
        /byte payload is too large for the Event invocation type \(limit 1048576 bytes\)/.test(error.message),
    );
  });

  test("after a restart, the function and API made through the AWS APIs still serve", async () => {
    aws.close();
    await server.portico.stop();
    server = await startServer(data);
    aws = clients(server.adminPort);
    assert.equal((await callApi(server.port, "greet", "/hello")).text, "v2 /hello");
    const invoked = await aws.lambda.send(new InvokeCommand({ FunctionName: "hello" }));
    assert.deepEqual(JSON.parse(text(invoked.Payload)), { statusCode: 200, body: "v2 direct" });
    const apis = await aws.apis.send(new GetApisCommand({}));
    assert.deepEqual(
      apis.Items?.map((item) => [item.Name, item.ApiEndpoint]),
      [["greet", `http://greet.localhost:${server.port}`]],
    );
  });

  test("DeleteFunction: the route answers 500, as API Gateway does, and Invoke ResourceNotFoundException", async () => {
    await aws.lambda.send(new DeleteFunctionCommand({ FunctionName: "hello" }));
    const answer = await callApi(server.port, "greet", "/hello");
    assert.equal(answer.status, 500);
    assert.deepEqual(answer.json(), { message: "Internal Server Error" });
    await assert.rejects(aws.lambda.send(new InvokeCommand({ FunctionName: "hello" })), (error: unknown) => {
      assert.ok(error instanceof ResourceNotFoundException);
      assert.equal(error.message, `Function not found: ${functionArn}`);
      return true;
    });
  });

  describe("the AWS CLI", { skip: awsCliMissing() }, () => {
    test("create-function, create-api with a target, invoke, and the route over HTTP", async () => {
      const zipFile = join(work, "cli.zip");
      await writeFile(zipFile, helloZip("cli"));
      const endpoint = `http://127.0.0.1:${server.adminPort}`;
      const created = await awsCli(work, endpoint, [
        "lambda",
        "create-function",
        "--function-name",
        "from-cli",
        "--runtime",
        "nodejs20.x",
        "--handler",
        "index.handler",
        "--role",
        ROLE,
        "--zip-file",
        `fileb://${zipFile}`,
      ]);
      const arn = (JSON.parse(created) as { FunctionArn: string }).FunctionArn;
      assert.equal(arn, "arn:aws:lambda:us-east-1:123456789012:function:from-cli");
      const api = await awsCli(work, endpoint, [
        "apigatewayv2",
        "create-api",
        "--name",
        "cli-api",
        "--protocol-type",
        "HTTP",
        "--target",
        arn,
        "--route-key",
        "GET /hello",
      ]);
      assert.equal(
        (JSON.parse(api) as { ApiEndpoint: string }).ApiEndpoint,
        `http://cli-api.localhost:${server.port}`,
      );
      const out = join(work, "out.json");
      const invoked = await awsCli(work, endpoint, [
        "lambda",
        "invoke",
        "--function-name",
        "from-cli",
        "--payload",
        '{"from":"cli"}',
        "--log-type",
        "Tail",
        out,
      ]);
      const result = JSON.parse(invoked) as { StatusCode: number; LogResult: string };
      assert.equal(result.StatusCode, 200);
      assert.match(Buffer.from(result.LogResult, "base64").toString("utf8"), /handling \{"from":"cli"\}/);
      assert.deepEqual(JSON.parse(await readFile(out, "utf8")), { statusCode: 200, body: "cli direct" });
      const answer = await callApi(server.port, "cli-api", "/hello");
      assert.equal(answer.status, 200);
      assert.equal(answer.text, "cli /hello");
    });
  });
});

describe("portico up: asynchronous invocations", { timeout: 120_000 }, () => {
  let work: string;
  let data: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let aws: Clients;
  const env = { PORTICO_ASYNC_RETRY_DELAYS_MS: "200,400" };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "portico-aws-events-"));
    data = join(work, "data");
    server = await startServer(data, [], { env });
    aws = clients(server.adminPort);
    await createFunction(aws.lambda, "recorder", RECORDER_ZIP);
  });
  after(async () => {
    aws?.close();
    await server?.portico.stop();
    await rm(work, { recursive: true, force: true });
  });

  const queue = (event: object) =>
    aws.lambda.send(
      new InvokeCommand({
        FunctionName: "recorder",
        InvocationType: "Event",
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
  const recorded = async (file: string) =>
    (await readFile(file, "utf8").catch(() => "")).split("\n").filter(Boolean);

  test("queued invocations outlive a kill -9: the restarted server runs them", async () => {
    const file = join(work, "durable.txt");
    const ids = ["e1", "e2", "e3"];
    for (const id of ids) {
      const queued = await queue({ id, file, sleepMs: 2500 });
      assert.equal(queued.StatusCode, 202);
      assert.ok(queued.$metadata.requestId);
    }
    // Before any could finish its 2.5 s: what was running dies with the server.
    server.portico.child.kill("SIGKILL");
    await server.portico.exited;
    aws.close();
    assert.deepEqual(await recorded(file), []);

    server = await startServer(data, [], { env });
    aws = clients(server.adminPort);
    // Held by the dead server until its lease lapses (10 s), then run here.
    const lines = await eventually(async () => {
      const lines = await recorded(file);
      assert.deepEqual([...new Set(lines)].sort(), ids);
      return lines;
    }, 30_000);
    assert.equal(lines.length, 3, "each ran once");
  });

  test("a function that fails twice succeeds on its third attempt", async () => {
    const file = join(work, "flaky.txt");
    const from = server.portico.output.length;
    await queue({ id: "flaky", file, counter: join(work, "flaky.count"), failTimes: 2 });
    await eventually(async () => assert.deepEqual(await recorded(file), ["flaky"]), 15_000);
    const log = server.portico.output.slice(from);
    assert.match(
      log,
      /Event invocation \S+ of function recorder failed \(Error\); retrying in 200 ms \(attempt 2 of 3\)/,
    );
    assert.match(log, /retrying in 400 ms \(attempt 3 of 3\)/);
    assert.doesNotMatch(log, /dropped/);
  });

  test("one that always fails is dropped after 3 attempts, with a line saying so", async () => {
    const counter = join(work, "doomed.count");
    const from = server.portico.output.length;
    await queue({ id: "doomed", file: join(work, "doomed.txt"), counter, failTimes: 99 });
    await server.portico.waitFor(
      /Event invocation \S+ of function recorder dropped: attempt 3 of 3 failed too \(Error\)/,
      { from, timeoutMs: 15_000 },
    );
    assert.equal(await readFile(counter, "utf8"), "3");
  });
});

describe("portico up with a token: AWS tools sign with the access key Portico holds", {
  timeout: 60_000,
}, () => {
  let work: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  const token = "admin-token-0123456789abcdef";
  const key = { accessKeyId: "portico", secretAccessKey: "aws-secret-0123456789abcdef" };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "portico-aws-signed-"));
    server = await startServer(join(work, "data"), [], {
      env: {
        PORTICO_ADMIN_TOKEN: token,
        PORTICO_AWS_ACCESS_KEY_ID: key.accessKeyId,
        PORTICO_AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      },
    });
  });
  after(async () => {
    await server?.portico.stop();
    await rm(work, { recursive: true, force: true });
  });

  test("the right key works; the startup line names it", async () => {
    assert.match(
      server.portico.output,
      /AWS APIs \(Lambda, API Gateway v2\): --endpoint-url http:\/\/127\.0\.0\.1:\d+, signed with access key portico/,
    );
    const aws = clients(server.adminPort, key, 3);
    try {
      await createFunction(aws.lambda, "signed", helloZip("signed"));
      const listed = await aws.lambda.send(new ListFunctionsCommand({}));
      assert.deepEqual(
        listed.Functions?.map((fn) => fn.FunctionName),
        ["signed"],
      );
    } finally {
      aws.close();
    }
  });

  test("a wrong secret is refused with InvalidSignatureException", async () => {
    const aws = clients(server.adminPort, { ...key, secretAccessKey: "not-the-secret-0123456789" });
    try {
      await assert.rejects(aws.lambda.send(new ListFunctionsCommand({})), (error: unknown) => {
        assert.ok(error instanceof LambdaServiceException);
        assert.equal(error.name, "InvalidSignatureException");
        assert.equal(error.$metadata.httpStatusCode, 403);
        return true;
      });
    } finally {
      aws.close();
    }
  });

  test("the admin token alone opens no AWS path: AWS's refusal, not the admin API's", async () => {
    const answer = await send({
      port: server.adminPort,
      path: "/2015-03-31/functions/",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.status, 403);
    assert.match(String(answer.headers["x-amzn-errortype"]), /^IncompleteSignatureException:/);
    assert.match(
      (answer.json() as { message: string }).message,
      /Authorization header requires 'Credential' parameter/,
    );
    await server.portico.waitFor(
      /admin API: refused GET \/2015-03-31\/functions\/ from 127\.0\.0\.1 \(403 IncompleteSignatureException\)/,
    );
    // The token still opens the admin API's own paths, where the function made above shows.
    const functions = await send({
      port: server.adminPort,
      path: "/v1/functions",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(functions.status, 200);
    assert.equal((functions.json() as { functions: { name: string }[] }).functions[0]?.name, "signed");
  });
});

describe("portico dev: the AWS APIs beside the project it serves", { timeout: 60_000 }, () => {
  let dev: { portico: PorticoProcess; port: number; adminPort: number };
  let aws: Clients;

  before(async () => {
    dev = await startDev(join(fixturesDir, "projects", "server"));
    aws = clients(dev.adminPort);
  });
  after(async () => {
    aws?.close();
    await dev?.portico.stop();
  });

  test("a function and an API made through the SDK serve beside the project's", async () => {
    const created = await createFunction(aws.lambda, "dev-hello", helloZip("dev"));
    await aws.apis.send(
      new CreateApiCommand({
        Name: "dev-api",
        ProtocolType: "HTTP",
        Target: created.FunctionArn,
        RouteKey: "GET /hello",
      }),
    );
    const answer = await callApi(dev.port, "dev-api", "/hello");
    assert.equal(answer.status, 200);
    assert.equal(answer.text, "dev /hello");
    const invoked = await aws.lambda.send(new InvokeCommand({ FunctionName: "dev-hello", LogType: "Tail" }));
    assert.match(Buffer.from(invoked.LogResult ?? "", "base64").toString("utf8"), /handling \{\}/);
  });

  test("the project's API is listed through the v2 API, and changing it there is refused", async () => {
    const apis = await aws.apis.send(new GetApisCommand({}));
    const shop = apis.Items?.find((item) => item.Name === "shop");
    assert.ok(shop, "the project's API is listed");
    await assert.rejects(
      aws.apis.send(new UpdateApiCommand({ ApiId: shop.ApiId, Description: "mine now" })),
      (error: unknown) =>
        error instanceof ConflictException && /belongs to project server/.test(error.message),
    );
    await assert.rejects(
      aws.lambda.send(new DeleteFunctionCommand({ FunctionName: "shop-a" })),
      (error: unknown) =>
        error instanceof ResourceConflictException && /belongs to project server/.test(error.message),
    );
    await assert.rejects(
      aws.apis.send(new UpdateApiCommand({ ApiId: "nothing123", Description: "x" })),
      NotFoundException,
    );
  });
});
