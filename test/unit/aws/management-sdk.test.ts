/**
 * The real AWS SDK for JavaScript v3 against the management formats: a small node:http server routes each
 * operation to the pure functions (request shapes in, rendered answers and errors out), and the SDK's own
 * serialisers and deserialisers must read every answer into the output objects and error classes they define.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  ApiGatewayV2Client,
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteAuthorizerCommand,
  DeleteRouteCommand,
  GetApiCommand,
  GetApisCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
  NotFoundException,
  UpdateApiCommand,
  UpdateAuthorizerCommand,
  UpdateRouteCommand,
} from "@aws-sdk/client-apigatewayv2";
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ListFunctionsCommand,
  PreconditionFailedException,
  RequestTooLargeException,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import {
  type ApiDraft,
  AwsApiError,
  addPermission,
  authorizerOf,
  awsErrorAnswer,
  checkInvokePayload,
  createApi,
  createAuthorizer,
  createDeployment,
  createIntegration,
  createRoute,
  createStage,
  deleteAuthorizer,
  deleteRoute,
  deployedSpec,
  functionAlreadyExists,
  functionArn,
  functionNotFound,
  invalidIdentifier,
  invokeResponseHeaders,
  invokeStatus,
  lambdaTooManyRequests,
  type NewId,
  newFunction,
  pageOf,
  parseInvokeHeaders,
  parseJsonBody,
  renderApi,
  renderAuthorizer,
  renderDeployment,
  renderFunctionConfiguration,
  renderGetFunction,
  renderIntegration,
  renderItems,
  renderListFunctions,
  renderPolicy,
  renderRoute,
  renderStage,
  resolveFunctionName,
  updateApi,
  updateAuthorizer,
  updatedCode,
  updatedConfiguration,
  updateRoute,
} from "../../../src/aws/index.js";
import type { FunctionRecord } from "../../../src/model/index.js";
import { createdRecord, EMPTY_ZIP, functionRecord, sha256Hex } from "../../helpers/lambda-records.js";

interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

type Route = (request: {
  method: string;
  path: string[];
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
}) => Answer;

const json = (status: number, value: unknown): Answer => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});

/** Serves `route` on an ephemeral loopback port, answering AwsApiErrors as the services do. */
async function serve(route: Route): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      let answer: Answer;
      try {
        answer = route({
          method: req.method ?? "GET",
          path: url.pathname.split("/").filter(Boolean).map(decodeURIComponent),
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks),
        });
      } catch (error) {
        if (!(error instanceof AwsApiError)) throw error;
        answer = awsErrorAnswer(error);
      }
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  // One attempt: a throttling answer must reach the test, not be retried.
  maxAttempts: 1,
});

/** Lambda's routes over an in-memory map of records. */
function lambdaRoutes(functions: Map<string, FunctionRecord>, codeUrl: string): Route {
  const find = (raw: string, qualifier?: string | null): FunctionRecord => {
    const { name } = resolveFunctionName(raw, qualifier ?? undefined);
    const record = functions.get(name);
    if (record === undefined) throw functionNotFound(functionArn(name));
    return record;
  };
  const modifiedAt = "2024-01-02T03:04:05.678Z";
  return ({ method, path, query, headers, body }) => {
    const [version, collection, raw, sub] = path;
    assert.equal(version, "2015-03-31");
    assert.equal(collection, "functions");
    if (method === "POST" && raw === undefined) {
      const made = newFunction(parseJsonBody(body, "lambda"));
      if (functions.has(made.name)) throw functionAlreadyExists(made.name);
      const record = createdRecord(made);
      functions.set(made.name, record);
      return json(201, renderFunctionConfiguration(record));
    }
    if (method === "GET" && raw === undefined) {
      const page = pageOf(
        [...functions.values()],
        query.get("Marker") ?? undefined,
        Number(query.get("MaxItems") ?? 50),
      );
      assert.ok(page !== undefined);
      return json(200, renderListFunctions(page.items, page.next));
    }
    const record = find(raw as string, query.get("Qualifier"));
    if (method === "GET" && sub === undefined)
      return json(200, renderGetFunction(record, `${codeUrl}/${record.name}.zip`));
    if (method === "GET" && sub === "configuration") return json(200, renderFunctionConfiguration(record));
    if (method === "PUT" && sub === "configuration") {
      const next = functionRecord(updatedConfiguration(record, parseJsonBody(body, "lambda")), {
        previous: record,
        modifiedAt,
      });
      functions.set(next.name, next);
      return json(200, renderFunctionConfiguration(next));
    }
    if (method === "PUT" && sub === "code") {
      const change = updatedCode(record, parseJsonBody(body, "lambda"));
      const next = change.dryRun
        ? record
        : functionRecord(
            { config: record.config, aws: change.aws, zip: change.zip },
            { previous: record, modifiedAt },
          );
      functions.set(next.name, next);
      return json(200, renderFunctionConfiguration(next));
    }
    if (method === "DELETE" && sub === undefined) {
      functions.delete(record.name);
      return { status: 204 };
    }
    if (method === "POST" && sub === "policy") {
      const change = addPermission(
        record,
        parseJsonBody(body, "lambda"),
        query.get("Qualifier") ?? undefined,
      );
      functions.set(record.name, { ...record, permissions: change.permissions });
      return json(201, change.answer);
    }
    if (method === "GET" && sub === "policy") return json(200, renderPolicy(record));
    if (method === "POST" && sub === "invocations") {
      if (record.name === "busy")
        throw lambdaTooManyRequests({
          reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
          retryAfterSeconds: 1,
        });
      const options = parseInvokeHeaders(headers);
      checkInvokePayload(options.invocationType, body.length);
      const status = invokeStatus(options.invocationType);
      if (status !== 200) return { status, headers: invokeResponseHeaders({ ...options }) };
      const event = JSON.parse(body.toString("utf8") || "null") as { fail?: boolean } | null;
      const failed = event?.fail === true;
      const payload = failed
        ? { errorType: "Error", errorMessage: "boom", trace: [] }
        : { echoed: event, clientContext: options.clientContext ?? null };
      const log = `START RequestId: 1 Version: $LATEST\n${"x".repeat(5000)}\nEND RequestId: 1\n`;
      return {
        status,
        headers: invokeResponseHeaders({ ...options, functionError: failed, log }),
        body: JSON.stringify(payload),
      };
    }
    throw new Error(`no route for ${method} ${path.join("/")}`);
  };
}

describe("the Lambda API's answers, read by @aws-sdk/client-lambda", () => {
  const functions = new Map<string, FunctionRecord>();
  let server: Awaited<ReturnType<typeof serve>>;
  let lambda: LambdaClient;

  before(async () => {
    server = await serve(lambdaRoutes(functions, "http://127.0.0.1:9/code"));
    lambda = new LambdaClient(clientConfig(server.url));
  });
  after(async () => {
    lambda.destroy();
    await server.close();
  });

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: "arn:aws:iam::123456789012:role/lambda-role",
        Handler: "index.handler",
        Code: { ZipFile: EMPTY_ZIP },
        ...extra,
      }),
    );

  test("CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions", async () => {
    const created = await create("hello", {
      Description: "says hello",
      Timeout: 5,
      MemorySize: 256,
      Environment: { Variables: { GREETING: "hi" } },
      Tags: { team: "web" },
    });
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.FunctionName, "hello");
    assert.equal(created.FunctionArn, functionArn("hello"));
    assert.equal(created.Runtime, "nodejs20.x");
    assert.equal(created.Handler, "index.handler");
    assert.equal(created.CodeSize, EMPTY_ZIP.length);
    assert.equal(created.CodeSha256, Buffer.from(sha256Hex(EMPTY_ZIP), "hex").toString("base64"));
    assert.equal(created.Timeout, 5);
    assert.equal(created.MemorySize, 256);
    assert.deepEqual(created.Environment?.Variables, { GREETING: "hi" });
    assert.equal(created.Version, "$LATEST");
    assert.equal(created.State, "Active");
    assert.equal(created.LastUpdateStatus, "Successful");
    assert.equal(created.PackageType, "Zip");
    assert.deepEqual(created.Architectures, ["x86_64"]);
    assert.equal(created.EphemeralStorage?.Size, 512);
    assert.equal(created.TracingConfig?.Mode, "PassThrough");
    assert.equal(created.LastModified, "2024-01-01T00:00:00.000+0000");
    assert.match(
      created.RevisionId ?? "",
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );

    const got = await lambda.send(new GetFunctionCommand({ FunctionName: functionArn("hello") }));
    assert.equal(got.Configuration?.FunctionName, "hello");
    assert.equal(got.Configuration?.Description, "says hello");
    assert.deepEqual(got.Code, { RepositoryType: "S3", Location: "http://127.0.0.1:9/code/hello.zip" });
    assert.deepEqual(got.Tags, { team: "web" });

    const configuration = await lambda.send(
      new GetFunctionConfigurationCommand({
        FunctionName: "123456789012:function:hello",
        Qualifier: "$LATEST",
      }),
    );
    assert.equal(configuration.RevisionId, created.RevisionId);

    await create("second");
    const firstPage = await lambda.send(new ListFunctionsCommand({ MaxItems: 1 }));
    assert.deepEqual(
      firstPage.Functions?.map((item) => item.FunctionName),
      ["hello"],
    );
    assert.equal(firstPage.Functions?.[0]?.State, undefined, "listings leave out the state");
    assert.ok(firstPage.NextMarker !== undefined);
    const secondPage = await lambda.send(
      new ListFunctionsCommand({ MaxItems: 1, Marker: firstPage.NextMarker }),
    );
    assert.deepEqual(
      secondPage.Functions?.map((item) => item.FunctionName),
      ["second"],
    );
    assert.equal(secondPage.NextMarker, undefined);
  });

  test("the updates change the function and its RevisionId, and refuse a stale RevisionId", async () => {
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "hello" }));
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: "hello",
        Timeout: 10,
        RevisionId: before.RevisionId,
      }),
    );
    assert.equal(updated.Timeout, 10);
    assert.equal(updated.MemorySize, 256, "members left out keep their values");
    assert.equal(updated.LastModified, "2024-01-02T03:04:05.678+0000");
    assert.notEqual(updated.RevisionId, before.RevisionId);

    const stale = lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "hello", RevisionId: before.RevisionId }),
    );
    await assert.rejects(stale, (error: unknown) => {
      assert.ok(error instanceof PreconditionFailedException);
      assert.equal(error.$metadata.httpStatusCode, 412);
      assert.match(error.message, /^The Revision Id provided does not match the latest Revision Id/);
      return true;
    });

    const bigger = Buffer.concat([EMPTY_ZIP, Buffer.alloc(10)]);
    const code = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "hello", ZipFile: bigger }));
    assert.equal(code.CodeSize, bigger.length);
    assert.equal(code.CodeSha256, Buffer.from(sha256Hex(bigger), "hex").toString("base64"));
  });

  test("errors arrive as the SDK's own error classes, with their members", async () => {
    await assert.rejects(create("hello"), (error: unknown) => {
      assert.ok(error instanceof ResourceConflictException);
      assert.equal(error.message, "Function already exist: hello");
      assert.equal(error.Type, "User");
      assert.equal(error.$metadata.httpStatusCode, 409);
      return true;
    });
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: "nope" })), (error: unknown) => {
      assert.ok(error instanceof ResourceNotFoundException);
      assert.equal(error.message, `Function not found: ${functionArn("nope")}`);
      // The SDK moves the body's `Message` into `message` (smithy's decorateServiceException).
      assert.equal(error.Type, "User");
      return true;
    });
    await assert.rejects(create("tooslow", { Timeout: 901 }), (error: unknown) => {
      // Not a modelled Lambda error: the SDK names it from x-amzn-ErrorType on its service exception.
      assert.ok(error instanceof LambdaServiceException);
      assert.equal(error.name, "ValidationException");
      assert.equal(
        error.message,
        "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
      );
      return true;
    });
  });

  test("AddPermission returns the statement as a JSON string, and GetPolicy the policy", async () => {
    const added = await lambda.send(
      new AddPermissionCommand({
        FunctionName: "hello",
        StatementId: "apigateway",
        Action: "lambda:InvokeFunction",
        Principal: "apigateway.amazonaws.com",
        SourceArn: "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/*/hello",
      }),
    );
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.deepEqual(JSON.parse(added.Statement ?? ""), {
      Sid: "apigateway",
      Effect: "Allow",
      Principal: { Service: "apigateway.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: functionArn("hello"),
      Condition: {
        ArnLike: { "AWS:SourceArn": "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/*/hello" },
      },
    });
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: "hello" }));
    const document = JSON.parse(policy.Policy ?? "") as { Statement: { Sid: string }[] };
    assert.deepEqual(
      document.Statement.map((statement) => statement.Sid),
      ["apigateway"],
    );
  });

  test("Invoke: payload, function error, log tail, client context, event and dry run statuses", async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: "a" } })).toString("base64");
    const ok = await lambda.send(
      new InvokeCommand({
        FunctionName: "hello",
        Payload: Buffer.from(JSON.stringify({ name: "x" })),
        LogType: "Tail",
        ClientContext: clientContext,
      }),
    );
    assert.equal(ok.StatusCode, 200);
    assert.equal(ok.ExecutedVersion, "$LATEST");
    assert.equal(ok.FunctionError, undefined);
    assert.deepEqual(JSON.parse(Buffer.from(ok.Payload ?? []).toString("utf8")), {
      echoed: { name: "x" },
      clientContext: { custom: { tenant: "a" } },
    });
    const tail = Buffer.from(ok.LogResult ?? "", "base64").toString("utf8");
    assert.equal(Buffer.byteLength(tail), 4096);
    assert.ok(tail.endsWith("END RequestId: 1\n"));

    const failed = await lambda.send(
      new InvokeCommand({ FunctionName: "hello", Payload: Buffer.from('{"fail":true}') }),
    );
    assert.equal(failed.StatusCode, 200);
    assert.equal(failed.FunctionError, "Unhandled");
    assert.equal(failed.LogResult, undefined);

    const queued = await lambda.send(
      new InvokeCommand({ FunctionName: "hello", InvocationType: "Event", Payload: Buffer.from("{}") }),
    );
    assert.equal(queued.StatusCode, 202);
    const dryRun = await lambda.send(new InvokeCommand({ FunctionName: "hello", InvocationType: "DryRun" }));
    assert.equal(dryRun.StatusCode, 204);

    const tooBig = lambda.send(
      new InvokeCommand({
        FunctionName: "hello",
        InvocationType: "Event",
        Payload: Buffer.alloc(1_048_577, 0x20),
      }),
    );
    await assert.rejects(tooBig, (error: unknown) => {
      assert.ok(error instanceof RequestTooLargeException);
      assert.equal(
        error.message,
        "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)",
      );
      return true;
    });
  });

  test("throttling carries its reason and Retry-After", async () => {
    await create("busy");
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: "busy" })), (error: unknown) => {
      assert.ok(error instanceof TooManyRequestsException);
      assert.equal(error.message, "Rate Exceeded.");
      assert.equal(error.Reason, "ReservedFunctionConcurrentInvocationLimitExceeded");
      assert.equal(error.retryAfterSeconds, "1");
      return true;
    });
  });

  test("DeleteFunction, then the function is not found", async () => {
    await lambda.send(new DeleteFunctionCommand({ FunctionName: "second" }));
    await assert.rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: "second" })),
      ResourceNotFoundException,
    );
  });
});

/** Ids in order, so answers can be compared whole. */
function sequentialIds(): NewId {
  const counts = new Map<string, number>();
  return (kind) => {
    const next = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, next);
    const length = kind === "api" ? 10 : kind === "deployment" ? 6 : 7;
    return `${kind[0]}${next}`.padEnd(length, "0");
  };
}

/** API Gateway v2's routes over an in-memory map of drafts. */
function apiGatewayRoutes(apis: Map<string, ApiDraft>, now: () => Date): Route {
  const ids = sequentialIds();
  const endpoint = (draft: ApiDraft) => `http://${draft.name}.localhost:3000`;
  return ({ method, path, query, body }) => {
    const [version, collection, apiId, sub, subId] = path;
    assert.equal(version, "v2");
    assert.equal(collection, "apis");
    const request = parseJsonBody(body, "apigatewayv2");
    if (apiId === undefined && method === "POST") {
      const draft = createApi(request, ids, now());
      apis.set(draft.apiId, draft);
      return json(201, renderApi(draft, endpoint(draft)));
    }
    if (apiId === undefined && method === "GET") {
      const page = pageOf(
        [...apis.values()],
        query.get("nextToken") ?? undefined,
        Number(query.get("maxResults") ?? 100),
      );
      assert.ok(page !== undefined);
      return json(
        200,
        renderItems(
          page.items.map((draft) => renderApi(draft, endpoint(draft))),
          page.next,
        ),
      );
    }
    const draft = apis.get(apiId as string);
    if (draft === undefined) throw invalidIdentifier("API", apiId as string);
    const save = (next: ApiDraft) => apis.set(next.apiId, next);
    if (sub === undefined && method === "GET") return json(200, renderApi(draft, endpoint(draft)));
    if (sub === undefined && method === "PATCH") {
      const next = updateApi(draft, request, ids, now());
      save(next);
      return json(200, renderApi(next, endpoint(next)));
    }
    if (sub === "routes" && method === "POST") {
      const { draft: next, route } = createRoute(draft, request, ids, now());
      save(next);
      return json(201, renderRoute(route));
    }
    if (sub === "routes" && method === "GET") return json(200, renderItems(draft.routes.map(renderRoute)));
    if (sub === "routes" && method === "PATCH") {
      const { draft: next, route } = updateRoute(draft, subId as string, request, ids, now());
      save(next);
      return json(200, renderRoute(route));
    }
    if (sub === "routes" && method === "DELETE") {
      save(deleteRoute(draft, subId as string, ids, now()));
      return { status: 204 };
    }
    if (sub === "integrations" && method === "POST") {
      const { draft: next, integration } = createIntegration(draft, request, ids, now());
      save(next);
      return json(201, renderIntegration(integration));
    }
    if (sub === "integrations" && method === "GET")
      return json(200, renderItems(draft.integrations.map(renderIntegration)));
    if (sub === "authorizers" && method === "POST") {
      const { draft: next, authorizer } = createAuthorizer(draft, request, ids, now());
      save(next);
      return json(201, renderAuthorizer(authorizer));
    }
    if (sub === "authorizers" && method === "GET" && subId === undefined)
      return json(200, renderItems((draft.authorizers ?? []).map(renderAuthorizer)));
    if (sub === "authorizers" && method === "GET")
      return json(200, renderAuthorizer(authorizerOf(draft, subId as string)));
    if (sub === "authorizers" && method === "PATCH") {
      const { draft: next, authorizer } = updateAuthorizer(draft, subId as string, request, ids, now());
      save(next);
      return json(200, renderAuthorizer(authorizer));
    }
    if (sub === "authorizers" && method === "DELETE") {
      save(deleteAuthorizer(draft, subId as string, ids, now()));
      return { status: 204 };
    }
    if (sub === "stages" && method === "POST") {
      const { draft: next, stage } = createStage(draft, request, ids, now());
      save(next);
      return json(201, renderStage(stage));
    }
    if (sub === "stages" && method === "GET") return json(200, renderItems(draft.stages.map(renderStage)));
    if (sub === "deployments" && method === "POST") {
      const { draft: next, deployment } = createDeployment(draft, request, ids, now());
      save(next);
      return json(201, renderDeployment(deployment));
    }
    throw new Error(`no route for ${method} ${path.join("/")}`);
  };
}

describe("the API Gateway v2 API's answers, read by @aws-sdk/client-apigatewayv2", () => {
  const apis = new Map<string, ApiDraft>();
  let server: Awaited<ReturnType<typeof serve>>;
  let client: ApiGatewayV2Client;
  const created = new Date("2024-05-06T07:08:09.123Z");

  before(async () => {
    server = await serve(apiGatewayRoutes(apis, () => created));
    client = new ApiGatewayV2Client(clientConfig(server.url));
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  test("quick create makes a served API; GetApi and GetApis read it back", async () => {
    const api = await client.send(
      new CreateApiCommand({
        Name: "quick",
        ProtocolType: "HTTP",
        Target: "arn:aws:lambda:us-east-1:123456789012:function:hello",
        CorsConfiguration: { AllowOrigins: ["https://example.test"], MaxAge: 300 },
      }),
    );
    assert.equal(api.$metadata.httpStatusCode, 201);
    assert.equal(api.ApiId, "a100000000");
    assert.equal(api.ApiEndpoint, "http://quick.localhost:3000");
    assert.equal(api.Name, "quick");
    assert.equal(api.ProtocolType, "HTTP");
    assert.equal(api.RouteSelectionExpression, "$request.method $request.path");
    assert.equal(api.ApiKeySelectionExpression, "$request.header.x-api-key");
    assert.equal(api.DisableExecuteApiEndpoint, false);
    assert.deepEqual(api.CreatedDate, new Date("2024-05-06T07:08:09Z"));
    assert.deepEqual(api.CorsConfiguration, { AllowOrigins: ["https://example.test"], MaxAge: 300 });

    const got = await client.send(new GetApiCommand({ ApiId: api.ApiId }));
    assert.equal(got.Name, "quick");
    const all = await client.send(new GetApisCommand({}));
    assert.deepEqual(
      all.Items?.map((item) => item.ApiId),
      ["a100000000"],
    );

    const routes = await client.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    assert.deepEqual(routes.Items, [
      {
        ApiGatewayManaged: true,
        ApiKeyRequired: false,
        AuthorizationType: "NONE",
        RouteId: "r100000",
        RouteKey: "$default",
        Target: "integrations/i100000",
      },
    ]);
    const integrations = await client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
    assert.deepEqual(integrations.Items, [
      {
        ApiGatewayManaged: true,
        ConnectionType: "INTERNET",
        IntegrationId: "i100000",
        IntegrationMethod: "POST",
        IntegrationType: "AWS_PROXY",
        IntegrationUri: "arn:aws:lambda:us-east-1:123456789012:function:hello",
        PayloadFormatVersion: "2.0",
        TimeoutInMillis: 30000,
      },
    ]);
    const stages = await client.send(new GetStagesCommand({ ApiId: api.ApiId }));
    assert.equal(stages.Items?.length, 1);
    const stage = stages.Items?.[0];
    assert.equal(stage?.StageName, "$default");
    assert.equal(stage?.AutoDeploy, true);
    assert.equal(stage?.DeploymentId, "d10000");
    assert.deepEqual(stage?.LastUpdatedDate, new Date("2024-05-06T07:08:09Z"));
    assert.equal(
      stage?.LastDeploymentStatusMessage,
      "Successfully deployed stage with deployment ID 'd10000'",
    );

    const spec = deployedSpec(apis.get("a100000000") as ApiDraft);
    assert.deepEqual(
      spec.routes.map((route) => [route.routeKey, route.functionName]),
      [["$default", "hello"]],
    );
    assert.deepEqual(spec.cors?.allowOrigins, ["https://example.test"]);
  });

  test("a stage's AccessLogSettings: its format checked, shown back, and the stage's access log", async () => {
    const api = await client.send(
      new CreateApiCommand({
        Name: "logged",
        ProtocolType: "HTTP",
        Target: "arn:aws:lambda:us-east-1:123456789012:function:hello",
      }),
    );
    const ApiId = api.ApiId as string;
    await assert.rejects(
      client.send(
        new CreateStageCommand({ ApiId, StageName: "bad", AccessLogSettings: { Format: "$context.nosuch" } }),
      ),
      (error: unknown) =>
        error instanceof BadRequestException && /Invalid access log format: .*nosuch/.test(error.message),
    );
    const format = "$context.requestId $context.status";
    const AccessLogSettings = {
      DestinationArn: "arn:aws:logs:us-east-1:123456789012:log-group:api",
      Format: format,
    };
    const stage = await client.send(
      new CreateStageCommand({ ApiId, StageName: "prod", AutoDeploy: true, AccessLogSettings }),
    );
    assert.deepEqual(stage.AccessLogSettings, AccessLogSettings);
    const stages = await client.send(new GetStagesCommand({ ApiId }));
    assert.deepEqual(
      stages.Items?.find((item) => item.StageName === "prod")?.AccessLogSettings,
      AccessLogSettings,
    );
    const spec = deployedSpec(apis.get(ApiId) as ApiDraft);
    assert.equal(spec.stages.find((s) => s.name === "prod")?.accessLogFormat, format);
    assert.equal(
      spec.stages.find((s) => s.name === "$default")?.accessLogFormat,
      undefined,
      "the default line",
    );
  });

  test("routes, integrations, stages and deployments made one by one", async () => {
    const api = await client.send(new CreateApiCommand({ Name: "items", ProtocolType: "HTTP" }));
    const ApiId = api.ApiId as string;
    const integration = await client.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: "AWS_PROXY",
        IntegrationUri: "arn:aws:lambda:us-east-1:123456789012:function:getItem",
        PayloadFormatVersion: "1.0",
        TimeoutInMillis: 5000,
      }),
    );
    assert.equal(integration.$metadata.httpStatusCode, 201);
    assert.equal(integration.PayloadFormatVersion, "1.0");
    assert.equal(integration.TimeoutInMillis, 5000);
    const route = await client.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: "GET /items/{id}",
        Target: `integrations/${integration.IntegrationId}`,
      }),
    );
    assert.equal(route.RouteKey, "GET /items/{id}");
    assert.equal(route.AuthorizationType, "NONE");
    assert.equal(
      deployedSpec(apis.get(ApiId) as ApiDraft).routes.length,
      0,
      "nothing is served before a deployment",
    );

    const stage = await client.send(
      new CreateStageCommand({ ApiId, StageName: "prod", StageVariables: { TABLE: "items" } }),
    );
    assert.equal(stage.AutoDeploy, false);
    assert.equal(stage.DeploymentId, undefined);
    const deployment = await client.send(
      new CreateDeploymentCommand({ ApiId, StageName: "prod", Description: "first" }),
    );
    assert.equal(deployment.DeploymentStatus, "DEPLOYED");
    assert.equal(deployment.AutoDeployed, false);
    assert.equal(deployment.Description, "first");
    assert.deepEqual(deployment.CreatedDate, new Date("2024-05-06T07:08:09Z"));

    const spec = deployedSpec(apis.get(ApiId) as ApiDraft);
    assert.deepEqual(spec.routes, [
      {
        routeKey: "GET /items/{id}",
        method: "GET",
        path: "/items/{id}",
        functionName: "getItem",
        payloadFormat: "1.0",
        timeoutMs: 5000,
      },
    ]);
    assert.deepEqual(spec.stages, [
      { name: "$default", variables: {} },
      { name: "prod", variables: { TABLE: "items" } },
    ]);

    await client.send(new DeleteRouteCommand({ ApiId, RouteId: route.RouteId }));
    assert.equal(
      deployedSpec(apis.get(ApiId) as ApiDraft).routes.length,
      1,
      "a stage without autoDeploy keeps serving its deployment",
    );

    const renamed = await client.send(new UpdateApiCommand({ ApiId, Description: "the items API" }));
    assert.equal(renamed.Description, "the items API");
  });

  test("authorizers and the routes they guard, read and written through the SDK's own shapes", async () => {
    const api = await client.send(new CreateApiCommand({ Name: "guarded", ProtocolType: "HTTP" }));
    const ApiId = api.ApiId as string;
    const jwt = await client.send(
      new CreateAuthorizerCommand({
        ApiId,
        Name: "users",
        AuthorizerType: "JWT",
        IdentitySource: ["$request.header.Authorization"],
        JwtConfiguration: { Audience: ["shop"], Issuer: "https://id.example.test/" },
      }),
    );
    assert.equal(jwt.$metadata.httpStatusCode, 201);
    assert.deepEqual(
      { ...jwt, $metadata: undefined },
      {
        $metadata: undefined,
        AuthorizerId: jwt.AuthorizerId,
        AuthorizerType: "JWT",
        IdentitySource: ["$request.header.Authorization"],
        JwtConfiguration: { Audience: ["shop"], Issuer: "https://id.example.test/" },
        Name: "users",
      },
    );
    const uri =
      "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authorize/invocations";
    const lambda = await client.send(
      new CreateAuthorizerCommand({
        ApiId,
        Name: "gate",
        AuthorizerType: "REQUEST",
        AuthorizerUri: uri,
        AuthorizerPayloadFormatVersion: "2.0",
        EnableSimpleResponses: true,
        IdentitySource: ["$request.header.Authorization"],
        AuthorizerResultTtlInSeconds: 300,
      }),
    );
    assert.equal(lambda.AuthorizerResultTtlInSeconds, 300);
    assert.equal(lambda.EnableSimpleResponses, true);
    assert.equal(lambda.AuthorizerUri, uri);

    const listed = await client.send(new GetAuthorizersCommand({ ApiId }));
    assert.deepEqual(
      listed.Items?.map((item) => [item.Name, item.AuthorizerType]),
      [
        ["users", "JWT"],
        ["gate", "REQUEST"],
      ],
    );
    const one = await client.send(new GetAuthorizerCommand({ ApiId, AuthorizerId: lambda.AuthorizerId }));
    assert.equal(one.Name, "gate");
    const updated = await client.send(
      new UpdateAuthorizerCommand({
        ApiId,
        AuthorizerId: jwt.AuthorizerId,
        JwtConfiguration: { Audience: ["a", "b"] },
      }),
    );
    assert.deepEqual(updated.JwtConfiguration, { Audience: ["a", "b"], Issuer: "https://id.example.test/" });

    const route = await client.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: "GET /items",
        AuthorizationType: "JWT",
        AuthorizerId: jwt.AuthorizerId,
        AuthorizationScopes: ["items:read"],
      }),
    );
    assert.equal(route.AuthorizationType, "JWT");
    assert.equal(route.AuthorizerId, jwt.AuthorizerId);
    assert.deepEqual(route.AuthorizationScopes, ["items:read"]);
    await assert.rejects(
      client.send(new DeleteAuthorizerCommand({ ApiId, AuthorizerId: jwt.AuthorizerId })),
      (error: unknown) => {
        assert.ok(error instanceof ConflictException);
        assert.equal(error.message, "Cannot delete authorizer 'users', is referenced in route: GET /items");
        return true;
      },
    );
    const custom = await client.send(
      new UpdateRouteCommand({
        ApiId,
        RouteId: route.RouteId,
        AuthorizationType: "CUSTOM",
        AuthorizerId: lambda.AuthorizerId,
      }),
    );
    assert.equal(custom.AuthorizationType, "CUSTOM");
    assert.equal(custom.AuthorizationScopes, undefined);
    await client.send(new DeleteAuthorizerCommand({ ApiId, AuthorizerId: jwt.AuthorizerId }));
    const left = await client.send(new GetAuthorizersCommand({ ApiId }));
    assert.deepEqual(
      left.Items?.map((item) => item.Name),
      ["gate"],
    );
    await assert.rejects(
      client.send(
        new CreateAuthorizerCommand({
          ApiId,
          Name: "bad",
          AuthorizerType: "REQUEST",
          AuthorizerUri: uri,
          IdentitySource: [],
        }),
      ),
      (error: unknown) =>
        error instanceof BadRequestException &&
        error.message === "AuthorizerPayloadFormatVersion is a required parameter for REQUEST authorizer",
    );
  });

  test("errors arrive as the SDK's own error classes", async () => {
    await assert.rejects(client.send(new GetApiCommand({ ApiId: "nope" })), (error: unknown) => {
      assert.ok(error instanceof NotFoundException);
      assert.equal(error.message, "Invalid API identifier specified 123456789012:nope");
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
    await assert.rejects(
      client.send(
        new CreateApiCommand({
          Name: "ws",
          ProtocolType: "WEBSOCKET",
          RouteSelectionExpression: "$request.body.action",
        }),
      ),
      (error: unknown) => error instanceof BadRequestException && /WEBSOCKET/.test(error.message),
    );
    await assert.rejects(
      client.send(new CreateRouteCommand({ ApiId: "a100000000", RouteKey: "$default" })),
      (error: unknown) => {
        assert.ok(error instanceof ConflictException);
        assert.equal(error.$metadata.httpStatusCode, 409);
        return true;
      },
    );
  });
});
