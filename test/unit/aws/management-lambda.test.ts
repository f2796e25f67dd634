import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AwsApiError,
  addPermission,
  checkInvokePayload,
  codeSha256Of,
  FUNCTION_NAME_PATTERN,
  formatLambdaTime,
  functionArn,
  functionAwsDetails,
  invokeResponseHeaders,
  invokeStatus,
  logResultOf,
  newFunction,
  pageOf,
  parseInvokeHeaders,
  renderFunctionConfiguration,
  renderGetFunction,
  renderListFunctions,
  renderPolicy,
  resolveFunctionName,
  resolveNewFunctionName,
  resolveRuntime,
  revisionIdOf,
  updatedCode,
  updatedConfiguration,
} from "../../../src/aws/index.js";
import type { FunctionRecord } from "../../../src/model/index.js";
import { createdRecord, EMPTY_ZIP, functionRecord, sha256Hex } from "../../helpers/lambda-records.js";

/** Asserts `run` throws an AwsApiError of `type` and `status`, whose message is `message` (or matches it). */
function assertAwsError(run: () => unknown, type: string, status: number, message: string | RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AwsApiError, `expected an AwsApiError, got ${String(error)}`);
    assert.equal(error.errorType, type);
    assert.equal(error.status, status);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

const ROLE = "arn:aws:iam::123456789012:role/service-role/my-function-role";
const ZIP_BASE64 = EMPTY_ZIP.toString("base64");

function createBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    FunctionName: "my-function",
    Runtime: "nodejs20.x",
    Role: ROLE,
    Handler: "index.handler",
    Code: { ZipFile: ZIP_BASE64 },
    ...extra,
  };
}

describe("function names", () => {
  test("every form resolves to the name, with the qualifier if one was given", () => {
    const cases: Array<[string, string | undefined, string | undefined]> = [
      ["my-function", undefined, undefined],
      ["my-function", "$LATEST", "$LATEST"],
      ["my-function:$LATEST", undefined, "$LATEST"],
      ["123456789012:function:my-function", undefined, undefined],
      ["123456789012:function:my-function:$LATEST", undefined, "$LATEST"],
      ["arn:aws:lambda:us-east-1:123456789012:function:my-function", undefined, undefined],
      ["arn:aws:lambda:eu-west-1:210987654321:function:my-function:$LATEST", "$LATEST", "$LATEST"],
      ["arn:aws-cn:lambda:cn-north-1:123456789012:function:my-function", undefined, undefined],
    ];
    for (const [raw, qualifier, expected] of cases) {
      assert.deepEqual(
        resolveFunctionName(raw, qualifier),
        { name: "my-function", qualifier: expected },
        raw,
      );
    }
  });

  test("malformed names are refused with AWS's pattern message", () => {
    for (const raw of [
      "my function",
      "",
      "a:b:c",
      "arn:aws:s3:::bucket",
      "arn:aws:lambda:us-east-1:123:function:x",
    ]) {
      assertAwsError(
        () => resolveFunctionName(raw),
        "ValidationException",
        400,
        `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
      );
    }
  });

  test("versions and aliases are not found; a qualifier that disagrees with the ARN's is refused", () => {
    assertAwsError(
      () => resolveFunctionName("my-function:3"),
      "ResourceNotFoundException",
      404,
      `Function not found: ${functionArn("my-function")}:3`,
    );
    assertAwsError(
      () => resolveFunctionName("my-function", "live"),
      "ResourceNotFoundException",
      404,
      `Function not found: ${functionArn("my-function")}:live`,
    );
    assertAwsError(
      () => resolveFunctionName("my-function:$LATEST", "live"),
      "InvalidParameterValueException",
      400,
      "The derived qualifier from the function name does not match the specified qualifier.",
    );
  });

  test("CreateFunction takes a name of up to 64 characters, or an unqualified ARN", () => {
    assert.equal(resolveNewFunctionName("a".repeat(64)), "a".repeat(64));
    assert.equal(resolveNewFunctionName(functionArn("my-function")), "my-function");
    const long = "a".repeat(65);
    // A bare name is an InvalidParameterValueException on CreateFunction (LocalStack's api_utils.py).
    assertAwsError(
      () => resolveNewFunctionName(long),
      "InvalidParameterValueException",
      400,
      `1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    assertAwsError(
      () => resolveNewFunctionName(`${functionArn("my-function")}:$LATEST`),
      "ValidationException",
      400,
      /at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
  });
});

describe("runtimes", () => {
  test("the ids Portico runs map onto their family", () => {
    const cases: Array<[string, string]> = [
      ["nodejs20.x", "nodejs"],
      ["nodejs22.x", "nodejs"],
      ["python3.12", "python3"],
      ["provided.al2023", "provided"],
      ["provided", "provided"],
    ];
    for (const [runtimeId, runtime] of cases)
      assert.deepEqual(resolveRuntime(runtimeId), { runtime, runtimeId });
  });

  test("others are refused with the message AWS gives, or one saying what Portico runs", () => {
    assertAwsError(
      () => resolveRuntime("python2.7"),
      "InvalidParameterValueException",
      400,
      "The runtime parameter of python2.7 is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.",
    );
    assertAwsError(
      () => resolveRuntime("java21"),
      "InvalidParameterValueException",
      400,
      /^The runtime parameter of java21 is not supported by Portico/,
    );
    assertAwsError(
      () => resolveRuntime("nodejs20.xa"),
      "InvalidParameterValueException",
      400,
      /^Value nodejs20.xa at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs, python3, provided, nodejs18.x,/,
    );
  });
});

describe("CreateFunction", () => {
  test("a valid request becomes a FunctionConfig with Lambda's defaults, and the AWS-only details", () => {
    const made = newFunction(createBody());
    assert.equal(made.name, "my-function");
    assert.deepEqual(made.zip, EMPTY_ZIP);
    assert.deepEqual(made.config, {
      name: "my-function",
      runtime: "nodejs",
      runtimeId: "nodejs20.x",
      handler: "index.handler",
      timeoutSeconds: 3,
      memoryMb: 128,
      environment: {},
      concurrency: 10,
      idleTimeoutSeconds: 300,
    });
    assert.deepEqual(made.aws, {
      description: "",
      role: ROLE,
      architectures: ["x86_64"],
      codeSize: EMPTY_ZIP.length,
      tags: {},
      ephemeralStorageMb: 512,
      tracingMode: "PassThrough",
      loggingConfig: { LogFormat: "Text", LogGroup: "/aws/lambda/my-function" },
    });
  });

  test("every setting given is kept; unknown members are tolerated; nulls read as absent", () => {
    const made = newFunction(
      createBody({
        FunctionName: functionArn("my-function"),
        Description: "does things",
        Timeout: 900,
        MemorySize: 10240,
        Environment: { Variables: { TABLE: "items" } },
        Architectures: ["arm64"],
        Tags: { team: "web" },
        EphemeralStorage: { Size: 1024 },
        TracingConfig: { Mode: "Active" },
        LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "DEBUG" },
        Publish: true,
        PackageType: "Zip",
        VpcConfig: { SubnetIds: [] },
        SomethingNewer: { x: 1 },
        KMSKeyArn: null,
      }),
    );
    assert.equal(made.config.timeoutSeconds, 900);
    assert.equal(made.config.memoryMb, 10240);
    assert.deepEqual(made.config.environment, { TABLE: "items" });
    assert.equal(made.aws.description, "does things");
    assert.deepEqual(made.aws.architectures, ["arm64"]);
    assert.deepEqual(made.aws.tags, { team: "web" });
    assert.equal(made.aws.ephemeralStorageMb, 1024);
    assert.equal(made.aws.tracingMode, "Active");
    assert.deepEqual(made.aws.loggingConfig, {
      LogFormat: "JSON",
      LogGroup: "/aws/lambda/my-function",
      ApplicationLogLevel: "DEBUG",
    });
  });

  test("a provided runtime needs no handler", () => {
    const made = newFunction(createBody({ Runtime: "provided.al2023", Handler: undefined }));
    assert.equal(made.config.runtime, "provided");
    assert.equal(made.config.handler, "provided");
  });

  const problem = (value: string, member: string, constraint: string) =>
    `Value ${value} at '${member}' failed to satisfy constraint: ${constraint}`;

  test("constraint violations are ValidationExceptions listing every problem, in AWS's words", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { Timeout: 901 },
        `1 validation error detected: ${problem("'901'", "timeout", "Member must have value less than or equal to 900")}`,
      ],
      [
        { Timeout: 0, MemorySize: 127 },
        `2 validation errors detected: ${problem("'0'", "timeout", "Member must have value greater than or equal to 1")}; ${problem("'127'", "memorySize", "Member must have value greater than or equal to 128")}`,
      ],
      [
        { MemorySize: 10241 },
        `1 validation error detected: ${problem("'10241'", "memorySize", "Member must have value less than or equal to 10240")}`,
      ],
      [
        { Role: undefined },
        `1 validation error detected: ${problem("null", "role", "Member must not be null")}`,
      ],
      [
        { Role: "my-role" },
        `1 validation error detected: ${problem("'my-role'", "role", "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+")}`,
      ],
      [
        { Handler: "index handler" },
        `1 validation error detected: ${problem("'index handler'", "handler", "Member must satisfy regular expression pattern: [^\\s]+")}`,
      ],
      [
        { Description: "x".repeat(257) },
        `1 validation error detected: ${problem(`'${"x".repeat(257)}'`, "description", "Member must have length less than or equal to 256")}`,
      ],
      [
        { Architectures: ["x86_64", "arm64"] },
        `1 validation error detected: ${problem("'[x86_64, arm64]'", "architectures", "Member must have length less than or equal to 1")}`,
      ],
      [
        { Architectures: ["sparc"] },
        `1 validation error detected: ${problem("'[sparc]'", "architectures", "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]")}`,
      ],
      [
        { Environment: { Variables: { "1A": "x" } } },
        `1 validation error detected: ${problem("'{1A=x}'", "environment.variables", "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]")}`,
      ],
      [
        { PackageType: "Jar" },
        `1 validation error detected: ${problem("'Jar'", "packageType", "Member must satisfy enum value set: [Zip, Image]")}`,
      ],
      [
        { FunctionName: undefined, Code: undefined },
        `2 validation errors detected: ${problem("null", "functionName", "Member must not be null")}; ${problem("null", "code", "Member must not be null")}`,
      ],
    ];
    for (const [extra, message] of cases) {
      assertAwsError(() => newFunction(createBody(extra)), "ValidationException", 400, message);
    }
  });

  test("requests Lambda or Portico cannot take are InvalidParameterValueExceptions", () => {
    const cases: Array<[Record<string, unknown>, string | RegExp]> = [
      [
        { Handler: undefined },
        "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
      ],
      [
        { Runtime: undefined },
        "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
      ],
      [{ Runtime: "dotnetcore3.1" }, /^The runtime parameter of dotnetcore3.1 is no longer supported/],
      [
        { Environment: { Variables: { AWS_REGION: "x", TZ: "UTC" } } },
        "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION, TZ",
      ],
      [
        { Environment: { Variables: { BIG: "x".repeat(4100) } } },
        /^Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit\. String measured: \{"BIG":"x+"\}$/,
      ],
      [
        { Code: { ZipFile: Buffer.from("not a zip").toString("base64") } },
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
      ],
      [
        { Code: { ZipFile: "%%%" } },
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
      ],
      [{ Code: { S3Bucket: "b", S3Key: "k.zip" } }, /^Portico takes function code as ZipFile only/],
      [{ Code: {} }, "Please provide a source for function code."],
      [
        { PackageType: "Image", Code: { ImageUri: "repo/image:latest" } },
        /^Portico runs \.zip deployment packages only/,
      ],
      [
        { Layers: ["arn:aws:lambda:us-east-1:123456789012:layer:deps:1"] },
        /^Portico does not support layers/,
      ],
    ];
    for (const [extra, message] of cases) {
      assertAwsError(() => newFunction(createBody(extra)), "InvalidParameterValueException", 400, message);
    }
  });

  test("members of the wrong type make the body unreadable (InvalidRequestContentException)", () => {
    assertAwsError(
      () => newFunction(createBody({ Timeout: "3" })),
      "InvalidRequestContentException",
      400,
      "Could not parse request body into json: Timeout must be a number",
    );
    assertAwsError(
      () => newFunction(createBody({ Environment: { Variables: { A: 1 } } })),
      "InvalidRequestContentException",
      400,
      "Could not parse request body into json: Environment.Variables.A must be a string",
    );
    assertAwsError(
      () => newFunction([]),
      "InvalidRequestContentException",
      400,
      /the body must be an object/,
    );
  });
});

function sampleRecord(extra: Record<string, unknown> = {}): FunctionRecord {
  return createdRecord(newFunction(createBody(extra)), "2019-09-24T18:20:35.054Z");
}

describe("FunctionConfiguration", () => {
  test("renders every field as Lambda returns it", () => {
    const record = sampleRecord({ Environment: { Variables: { TABLE: "items" } }, MemorySize: 256 });
    // The field set and formats of AWS's answers (LocalStack's snapshots of AWS; the AWS CLI's
    // get-function-configuration example for LastModified `2019-09-24T18:20:35.054+0000`).
    assert.deepEqual(renderFunctionConfiguration(record), {
      FunctionName: "my-function",
      FunctionArn: functionArn("my-function"),
      Runtime: "nodejs20.x",
      Role: ROLE,
      Handler: "index.handler",
      CodeSize: 22,
      Description: "",
      Timeout: 3,
      MemorySize: 256,
      LastModified: "2019-09-24T18:20:35.054+0000",
      CodeSha256: Buffer.from(sha256Hex(EMPTY_ZIP), "hex").toString("base64"),
      Version: "$LATEST",
      Environment: { Variables: { TABLE: "items" } },
      TracingConfig: { Mode: "PassThrough" },
      RevisionId: revisionIdOf(record),
      State: "Active",
      LastUpdateStatus: "Successful",
      PackageType: "Zip",
      Architectures: ["x86_64"],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
      LoggingConfig: { LogFormat: "Text", LogGroup: "/aws/lambda/my-function" },
    });
  });

  test("a function a project deployed (no aws bag, code from a directory) shows Lambda's defaults", () => {
    const record: FunctionRecord = {
      ...sampleRecord(),
      aws: undefined,
      code: { artifact: null, path: "/srv/app", digest: "dir-digest" },
    };
    const rendered = renderFunctionConfiguration(record);
    assert.equal(rendered.Role, "arn:aws:iam::123456789012:role/portico-function");
    assert.equal(rendered.CodeSize, 0);
    assert.equal(rendered.CodeSha256, codeSha256Of(record));
    assert.equal(Buffer.from(rendered.CodeSha256 as string, "base64").length, 32);
    assert.equal(rendered.Environment, undefined, "no variables, no Environment");
    assert.deepEqual(functionAwsDetails({ name: "x", aws: { description: 5, codeSize: 7 } }).codeSize, 7);
  });

  test("GetFunction, ListFunctions and the LastModified format", () => {
    const record = sampleRecord({ Tags: { team: "web" } });
    assert.deepEqual(renderGetFunction(record, "http://127.0.0.1:3001/code.zip"), {
      Configuration: renderFunctionConfiguration(record),
      Code: { RepositoryType: "S3", Location: "http://127.0.0.1:3001/code.zip" },
      Tags: { team: "web" },
    });
    assert.deepEqual(renderGetFunction(sampleRecord()).Code, { RepositoryType: "S3" });
    const listing = renderListFunctions([record], "bWFya2Vy");
    const functions = listing.Functions as Record<string, unknown>[];
    assert.equal(functions[0]?.State, undefined);
    assert.equal(functions[0]?.LastUpdateStatus, undefined);
    assert.equal(listing.NextMarker, "bWFya2Vy");
    assert.equal(renderListFunctions([]).NextMarker, undefined);
    assert.equal(formatLambdaTime("2024-01-01T00:00:00Z"), "2024-01-01T00:00:00.000+0000");
  });

  test("the RevisionId changes with the version, the settings and the permissions, and only with them", () => {
    const record = sampleRecord();
    assert.equal(revisionIdOf(record), revisionIdOf({ ...record }));
    assert.notEqual(revisionIdOf(record), revisionIdOf({ ...record, version: 2 }));
    assert.notEqual(revisionIdOf(record), revisionIdOf({ ...record, permissions: { a: {} } }));
  });
});

describe("UpdateFunctionConfiguration and UpdateFunctionCode", () => {
  test("members given replace the function's; Environment replaces the variables whole", () => {
    // Names need two characters or more: Lambda's pattern is [a-zA-Z]([a-zA-Z0-9_])+.
    const record = sampleRecord({ Environment: { Variables: { AA: "1", BB: "2" } }, Description: "old" });
    const { config, aws } = updatedConfiguration(record, {
      Timeout: 30,
      Runtime: "python3.12",
      Handler: "app.handler",
      Environment: { Variables: { CC: "3" } },
    });
    assert.equal(config.timeoutSeconds, 30);
    assert.equal(config.memoryMb, 128);
    assert.equal(config.runtime, "python3");
    assert.equal(config.handler, "app.handler");
    assert.deepEqual(config.environment, { CC: "3" });
    assert.equal(aws.description, "old");
    assert.deepEqual(updatedConfiguration(record, { Environment: {} }).config.environment, {});
    assert.deepEqual(updatedConfiguration(record, {}).config, record.config);
  });

  test("the same rules as CreateFunction apply, and a stale RevisionId is refused", () => {
    const record = sampleRecord();
    assertAwsError(
      () => updatedConfiguration(record, { MemorySize: 64 }),
      "ValidationException",
      400,
      /'memorySize'/,
    );
    assertAwsError(
      () => updatedConfiguration(record, { Runtime: "ruby3.3" }),
      "InvalidParameterValueException",
      400,
      /ruby3.3/,
    );
    assertAwsError(
      () => updatedConfiguration(record, { RevisionId: "00000000-0000-4000-8000-000000000000" }),
      "PreconditionFailedException",
      412,
      /^The Revision Id provided does not match/,
    );
    assert.doesNotThrow(() => updatedConfiguration(record, { RevisionId: revisionIdOf(record) }));
  });

  test("new code changes the code size and architectures; DryRun is reported", () => {
    const record = sampleRecord();
    const zip = Buffer.concat([EMPTY_ZIP, Buffer.alloc(3)]);
    const change = updatedCode(record, {
      ZipFile: zip.toString("base64"),
      Architectures: ["arm64"],
      DryRun: true,
    });
    assert.deepEqual(change.zip, zip);
    assert.equal(change.dryRun, true);
    assert.equal(change.aws.codeSize, zip.length);
    assert.deepEqual(change.aws.architectures, ["arm64"]);
    const next = functionRecord({ config: record.config, aws: change.aws, zip }, { previous: record });
    assert.equal(
      renderFunctionConfiguration(next).CodeSha256,
      Buffer.from(sha256Hex(zip), "hex").toString("base64"),
    );
    assertAwsError(
      () => updatedCode(record, { ImageUri: "x" }),
      "InvalidParameterValueException",
      400,
      /ImageUri/,
    );
    assertAwsError(
      () => updatedCode(record, {}),
      "InvalidParameterValueException",
      400,
      "Please provide a source for function code.",
    );
  });
});

describe("AddPermission", () => {
  test("builds the statement as Lambda does (the AWS CLI's add-permission example)", () => {
    const record = sampleRecord();
    const change = addPermission(record, {
      StatementId: "s3",
      Action: "lambda:InvokeFunction",
      Principal: "s3.amazonaws.com",
      SourceArn: "arn:aws:s3:::my-bucket-1xpuxmplzrlbh",
      SourceAccount: "123456789012",
    });
    assert.equal(
      change.answer.Statement,
      `{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"${functionArn("my-function")}","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::my-bucket-1xpuxmplzrlbh"}}}`,
    );
    assert.deepEqual(change.permissions, { s3: JSON.parse(change.answer.Statement) });
  });

  test("principals take IAM's forms; a qualifier goes into the resource", () => {
    const record = sampleRecord();
    const principal = (value: string, qualifier?: string) =>
      JSON.parse(
        addPermission(record, { StatementId: "a", Action: "lambda:*", Principal: value }, qualifier).answer
          .Statement,
      ) as { Principal: unknown; Resource: string };
    assert.deepEqual(principal("210987654321").Principal, { AWS: "arn:aws:iam::210987654321:root" });
    assert.deepEqual(principal("arn:aws:iam::210987654321:role/caller").Principal, {
      AWS: "arn:aws:iam::210987654321:role/caller",
    });
    assert.equal(principal("*").Principal, "*");
    assert.equal(principal("*", "$LATEST").Resource, `${functionArn("my-function")}:$LATEST`);
    assertAwsError(
      () => principal("someone"),
      "InvalidParameterValueException",
      400,
      "The provided principal was invalid. Please check the principal and try again.",
    );
  });

  test("a statement id in use, a missing member or a bad action is refused", () => {
    const record = { ...sampleRecord(), permissions: { s3: {} } };
    assertAwsError(
      () => addPermission(record, { StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "*" }),
      "ResourceConflictException",
      409,
      "The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.",
    );
    assertAwsError(
      () => addPermission(record, { StatementId: "x", Action: "s3:GetObject" }),
      "ValidationException",
      400,
      "2 validation errors detected: Value 's3:GetObject' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*]); Value null at 'principal' failed to satisfy constraint: Member must not be null",
    );
  });

  test("GetPolicy wraps the statements in a policy document, or finds none", () => {
    const record = sampleRecord();
    const change = addPermission(record, {
      StatementId: "a",
      Action: "lambda:InvokeFunction",
      Principal: "*",
    });
    const withPolicy = { ...record, permissions: change.permissions };
    const answer = renderPolicy(withPolicy);
    assert.deepEqual(JSON.parse(answer.Policy as string), {
      Version: "2012-10-17",
      Id: "default",
      Statement: [JSON.parse(change.answer.Statement)],
    });
    assert.equal(answer.RevisionId, revisionIdOf(withPolicy));
    assertAwsError(
      () => renderPolicy(record),
      "ResourceNotFoundException",
      404,
      "The resource you requested does not exist.",
    );
  });
});

describe("Invoke", () => {
  test("headers default to a synchronous call without log; the client context is decoded", () => {
    assert.deepEqual(parseInvokeHeaders({}), {
      invocationType: "RequestResponse",
      logType: "None",
      clientContext: undefined,
    });
    const context = Buffer.from('{"custom":{"a":1}}').toString("base64");
    assert.deepEqual(
      parseInvokeHeaders({
        "x-amz-invocation-type": "Event",
        "x-amz-log-type": "Tail",
        "x-amz-client-context": context,
      }),
      { invocationType: "Event", logType: "Tail", clientContext: { custom: { a: 1 } } },
    );
    assert.equal(parseInvokeHeaders({ "x-amz-invocation-type": ["DryRun"] }).invocationType, "DryRun");
  });

  test("bad headers are refused", () => {
    assertAwsError(
      () => parseInvokeHeaders({ "x-amz-invocation-type": "Sync" }),
      "ValidationException",
      400,
      "1 validation error detected: Value 'Sync' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
    );
    assertAwsError(
      () => parseInvokeHeaders({ "x-amz-log-type": "All" }),
      "ValidationException",
      400,
      /'logType'/,
    );
    for (const context of [
      "not base64!",
      Buffer.from("[1]").toString("base64"),
      Buffer.from("{").toString("base64"),
    ]) {
      assertAwsError(
        () => parseInvokeHeaders({ "x-amz-client-context": context }),
        "InvalidParameterValueException",
        400,
        "Client context must be a valid Base64-encoded JSON object.",
      );
    }
    assertAwsError(
      () => parseInvokeHeaders({ "x-amz-client-context": "A".repeat(3584) }),
      "ValidationException",
      400,
      /Member must have length less than or equal to 3583/,
    );
  });

  test("payload limits: 6 MB synchronous, 1 MB queued, none for a dry run (aws.md §9's message)", () => {
    assert.doesNotThrow(() => checkInvokePayload("RequestResponse", 6_291_456));
    assertAwsError(
      () => checkInvokePayload("RequestResponse", 6_991_583),
      "RequestTooLargeException",
      413,
      "6991583 byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)",
    );
    assert.doesNotThrow(() => checkInvokePayload("Event", 1_048_576));
    assertAwsError(
      () => checkInvokePayload("Event", 1_048_577),
      "RequestTooLargeException",
      413,
      /limit 1048576 bytes/,
    );
    assert.doesNotThrow(() => checkInvokePayload("DryRun", 10_000_000));
  });

  test("statuses and response headers", () => {
    assert.equal(invokeStatus("RequestResponse"), 200);
    assert.equal(invokeStatus("Event"), 202);
    assert.equal(invokeStatus("DryRun"), 204);
    assert.deepEqual(invokeResponseHeaders({ invocationType: "RequestResponse", logType: "None" }), {
      "content-type": "application/json",
      "X-Amz-Executed-Version": "$LATEST",
    });
    assert.deepEqual(
      invokeResponseHeaders({
        invocationType: "RequestResponse",
        logType: "Tail",
        functionError: true,
        log: "hello\n",
      }),
      {
        "content-type": "application/json",
        "X-Amz-Executed-Version": "$LATEST",
        "X-Amz-Function-Error": "Unhandled",
        "X-Amz-Log-Result": Buffer.from("hello\n").toString("base64"),
      },
    );
    assert.deepEqual(invokeResponseHeaders({ invocationType: "Event", logType: "Tail" }), {});
  });

  test("the log result is the base64 of the log's last 4 KB", () => {
    const log = `${"a".repeat(100)}${"b".repeat(4096)}`;
    assert.equal(logResultOf(log), Buffer.from("b".repeat(4096)).toString("base64"));
    assert.equal(logResultOf(new Uint8Array([1, 2, 3])), "AQID");
    assert.equal(logResultOf(""), "");
  });
});

test("pages: a token continues where the last page stopped; a foreign token is refused", () => {
  const items = ["a", "b", "c"];
  const first = pageOf(items, undefined, 2);
  assert.deepEqual(first?.items, ["a", "b"]);
  const second = pageOf(items, first?.next, 2);
  assert.deepEqual(second, { items: ["c"], next: undefined });
  assert.deepEqual(pageOf(items, undefined, 50), { items, next: undefined });
  assert.equal(pageOf(items, "bm90IGEgbnVtYmVy", 2), undefined);
  assert.equal(pageOf(items, Buffer.from("9").toString("base64url"), 2), undefined);
});
