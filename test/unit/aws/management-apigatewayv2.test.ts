import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type ApiDraft,
  AwsApiError,
  apiDraftOf,
  apiRecordBag,
  createApi,
  createDeployment,
  createIntegration,
  createRoute,
  createStage,
  deleteRoute,
  deployedSpec,
  draftFromSpec,
  formatApiGatewayTime,
  functionArn,
  functionNameOfTarget,
  type NewId,
  randomIds,
  renderApi,
  renderDeployment,
  renderIntegration,
  renderItems,
  renderRoute,
  renderStage,
  routeOf,
  stableId,
  stageOf,
  updateApi,
} from "../../../src/aws/index.js";
import type { ApiSpec } from "../../../src/model/index.js";

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

/** Ids in order (`a1000000000`, `r100000`...), so whole drafts can be compared. */
function sequentialIds(): NewId {
  const counts = new Map<string, number>();
  return (kind) => {
    const next = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, next);
    return `${kind[0]}${next}`.padEnd(kind === "api" ? 10 : kind === "deployment" ? 6 : 7, "0");
  };
}

const T0 = new Date("2020-04-08T19:05:45.123Z");
const T1 = new Date("2020-04-09T10:00:00.000Z");
const FUNCTION = "arn:aws:lambda:us-west-2:123456789012:function:my-lambda-function";

describe("CreateApi", () => {
  test("quick create makes the integration, route, auto-deploying $default stage and first deployment", () => {
    const draft = createApi(
      { name: "my-http-api", protocolType: "HTTP", target: FUNCTION },
      sequentialIds(),
      T0,
    );
    const integration = {
      integrationId: "i100000",
      integrationType: "AWS_PROXY",
      integrationUri: FUNCTION,
      payloadFormatVersion: "2.0",
      timeoutInMillis: 30000,
      apiGatewayManaged: true,
    };
    const route = {
      routeId: "r100000",
      routeKey: "$default",
      target: "integrations/i100000",
      apiGatewayManaged: true,
    };
    assert.deepEqual(draft, {
      apiId: "a100000000",
      name: "my-http-api",
      protocolType: "HTTP",
      disableExecuteApiEndpoint: false,
      createdDate: T0.toISOString(),
      tags: {},
      routes: [route],
      integrations: [integration],
      stages: [
        {
          stageName: "$default",
          autoDeploy: true,
          deploymentId: "d10000",
          stageVariables: {},
          tags: {},
          createdDate: T0.toISOString(),
          lastUpdatedDate: T0.toISOString(),
          apiGatewayManaged: true,
        },
      ],
      deployments: [
        {
          deploymentId: "d10000",
          createdDate: T0.toISOString(),
          autoDeployed: true,
          description: "Automatic deployment triggered by changes to the Api configuration",
          snapshot: { routes: [route], integrations: [integration] },
        },
      ],
    });
    assert.deepEqual(JSON.parse(JSON.stringify(draft)), draft, "a draft round-trips JSON unchanged");
    assert.deepEqual(deployedSpec(draft).routes, [
      {
        routeKey: "$default",
        method: "$default",
        path: null,
        functionName: "my-lambda-function",
        payloadFormat: "2.0",
        timeoutMs: 30000,
      },
    ]);
  });

  test("the API renders as the AWS CLI's quick create example shows it, in the REST model's JSON names", () => {
    const draft = createApi(
      { name: "my-http-api", protocolType: "HTTP", target: FUNCTION },
      sequentialIds(),
      T0,
    );
    // aws-cli awscli/examples/apigatewayv2/create-api.rst: ApiKeySelectionExpression, RouteSelectionExpression,
    // CreatedDate (whole seconds) as there.
    assert.deepEqual(renderApi(draft, "http://my-http-api.localhost:3000"), {
      apiEndpoint: "http://my-http-api.localhost:3000",
      apiId: "a100000000",
      apiKeySelectionExpression: "$request.header.x-api-key",
      createdDate: "2020-04-08T19:05:45Z",
      disableExecuteApiEndpoint: false,
      name: "my-http-api",
      protocolType: "HTTP",
      routeSelectionExpression: "$request.method $request.path",
      tags: {},
    });
  });

  test("a quick create route key, CORS, description and tags are kept", () => {
    const cors = { allowOrigins: ["https://example.test"], allowMethods: ["get"], maxAge: 300 };
    const draft = createApi(
      {
        name: "items",
        protocolType: "HTTP",
        target: "getItem",
        routeKey: "get /items/{id}",
        corsConfiguration: cors,
        description: "Items",
        version: "1",
        tags: { team: "web" },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's literal expression, not a template
        routeSelectionExpression: "${request.method} ${request.path}",
      },
      sequentialIds(),
      T0,
    );
    assert.equal(draft.routes[0]?.routeKey, "GET /items/{id}");
    const rendered = renderApi(draft, "http://items.localhost:3000");
    assert.deepEqual(rendered.corsConfiguration, cors);
    assert.equal(rendered.description, "Items");
    assert.equal(rendered.version, "1");
    assert.deepEqual(rendered.tags, { team: "web" });
    assert.deepEqual(deployedSpec(draft).cors, {
      allowOrigins: ["https://example.test"],
      allowMethods: ["GET"],
      allowHeaders: [],
      exposeHeaders: [],
      maxAge: 300,
      allowCredentials: false,
    });
  });

  test("requests an HTTP API cannot have are BadRequestExceptions", () => {
    const cases: Array<[Record<string, unknown>, string | RegExp]> = [
      [{ protocolType: "HTTP" }, "Name is required."],
      [
        { name: "My API", protocolType: "HTTP" },
        /^Name "My API" is not a valid API name: it is used as a host name/,
      ],
      [{ name: "a" }, "ProtocolType is required."],
      [
        { name: "a", protocolType: "WEBSOCKET" },
        "Portico serves HTTP APIs only: protocolType WEBSOCKET is not supported.",
      ],
      [{ name: "a", protocolType: "GRPC" }, "Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]"],
      [
        { name: "a", protocolType: "HTTP", routeSelectionExpression: "$request.body.action" },
        /^Unsupported route selection expression/,
      ],
      [
        {
          name: "a",
          protocolType: "HTTP",
          corsConfiguration: { allowOrigins: ["*"], allowCredentials: true },
        },
        "allow-credentials is not supported if 'allow-origin' is *",
      ],
      [
        { name: "a", protocolType: "HTTP", corsConfiguration: { maxAge: 86401 } },
        /^maxAge must be between -1 and 86400/,
      ],
      [{ name: "a", protocolType: "HTTP", routeKey: "GET /" }, /^RouteKey is part of quick create/],
      [
        { name: "a", protocolType: "HTTP", target: "https://example.test/" },
        /^Portico integrates HTTP APIs with Lambda functions only/,
      ],
      [
        { name: "a", protocolType: "HTTP", target: "not a function" },
        /^Target must be a Lambda function ARN/,
      ],
      [
        { name: "a", protocolType: "HTTP", target: "fn", routeKey: "GET /items/" },
        /^The route key "GET \/items\/" has a path ending in `\/`/,
      ],
      [{ name: 5, protocolType: "HTTP" }, "Invalid request body: name must be a string"],
    ];
    for (const [body, message] of cases) {
      assertAwsError(() => createApi(body, sequentialIds(), T0), "BadRequestException", 400, message);
    }
  });

  test("random ids have AWS's lengths and alphabet", () => {
    const draft = createApi({ name: "a", protocolType: "HTTP", target: "fn" }, randomIds, T0);
    assert.match(draft.apiId, /^[a-z0-9]{10}$/);
    assert.match(draft.routes[0]?.routeId ?? "", /^[a-z0-9]{7}$/);
    assert.match(draft.integrations[0]?.integrationId ?? "", /^[a-z0-9]{7}$/);
    assert.match(draft.deployments[0]?.deploymentId ?? "", /^[a-z0-9]{6}$/);
  });
});

/** An API without stages, with one integration to `getItem`. */
function apiWithIntegration(ids: NewId): ApiDraft {
  const draft = createApi({ name: "items", protocolType: "HTTP" }, ids, T0);
  return createIntegration(
    draft,
    { integrationType: "AWS_PROXY", integrationUri: "getItem", payloadFormatVersion: "2.0" },
    ids,
    T0,
  ).draft;
}

describe("routes and integrations", () => {
  test("CreateIntegration and CreateRoute add to the draft; nothing is served before a deployment", () => {
    const ids = sequentialIds();
    const created = createIntegration(
      createApi({ name: "items", protocolType: "HTTP" }, ids, T0),
      {
        integrationType: "AWS_PROXY",
        integrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn("getItem")}/invocations`,
        payloadFormatVersion: "1.0",
        timeoutInMillis: 50,
        description: "items",
        integrationMethod: "POST",
      },
      ids,
      T0,
    );
    assert.deepEqual(renderIntegration(created.integration), {
      connectionType: "INTERNET",
      description: "items",
      integrationId: "i100000",
      integrationMethod: "POST",
      integrationType: "AWS_PROXY",
      integrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn("getItem")}/invocations`,
      payloadFormatVersion: "1.0",
      timeoutInMillis: 50,
    });
    const { draft, route } = createRoute(
      created.draft,
      {
        routeKey: "GET /items/{id}",
        target: "integrations/i100000",
        authorizationType: "NONE",
        operationName: "getItem",
      },
      ids,
      T0,
    );
    // Shaped like the AWS CLI's create-route example (ApiKeyRequired false, AuthorizationType NONE).
    assert.deepEqual(renderRoute(route), {
      apiKeyRequired: false,
      authorizationType: "NONE",
      operationName: "getItem",
      routeId: "r100000",
      routeKey: "GET /items/{id}",
      target: "integrations/i100000",
    });
    assert.deepEqual(routeOf(draft, "r100000"), route);
    assert.deepEqual(deployedSpec(draft).routes, []);
    assert.equal(draft.deployments.length, 0);
  });

  test("integrations Portico cannot serve are refused", () => {
    const draft = createApi({ name: "items", protocolType: "HTTP" }, sequentialIds(), T0);
    const valid = { integrationType: "AWS_PROXY", integrationUri: "getItem", payloadFormatVersion: "2.0" };
    const cases: Array<[Record<string, unknown>, string | RegExp]> = [
      [{ ...valid, integrationType: undefined }, "IntegrationType is required."],
      [
        { ...valid, integrationType: "AWS" },
        "Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)",
      ],
      [{ ...valid, integrationType: "HTTP_PROXY" }, /HTTP_PROXY is not supported/],
      [{ ...valid, integrationType: "LAMBDA" }, "Invalid integration type specified: LAMBDA."],
      [{ ...valid, integrationUri: undefined }, "IntegrationUri is required for AWS_PROXY integrations."],
      [
        { ...valid, integrationUri: `${functionArn("getItem")}:live` },
        /^IntegrationUri must be a Lambda function ARN/,
      ],
      [
        { ...valid, payloadFormatVersion: undefined },
        "PayloadFormatVersion is required for HTTP APIs: 1.0 or 2.0.",
      ],
      [
        { ...valid, payloadFormatVersion: "3.0" },
        "Invalid payload format version specified: 3.0. Use 1.0 or 2.0.",
      ],
      [{ ...valid, timeoutInMillis: 49 }, /^Timeout must be between 50 ms and 30000 ms/],
      [{ ...valid, timeoutInMillis: 30001 }, /^Timeout must be between 50 ms and 30000 ms/],
      [{ ...valid, connectionType: "VPC_LINK" }, /VPC links/],
    ];
    for (const [body, message] of cases) {
      assertAwsError(
        () => createIntegration(draft, body, sequentialIds(), T0),
        "BadRequestException",
        400,
        message,
      );
    }
  });

  test("route keys are checked, and a key in use or one no request could tell apart is a conflict", () => {
    const ids = sequentialIds();
    const draft = createRoute(apiWithIntegration(ids), { routeKey: "GET /items/{id}" }, ids, T0).draft;
    assertAwsError(
      () => createRoute(draft, { routeKey: "GET /items/{id}" }, ids, T0),
      "ConflictException",
      409,
      "Unable to create route GET /items/{id}: it duplicates route `GET /items/{id}`.",
    );
    assertAwsError(
      () => createRoute(draft, { routeKey: "GET /items/{itemId}" }, ids, T0),
      "ConflictException",
      409,
      /conflicts with route `GET \/items\/\{id\}`/,
    );
    const bad: Array<[Record<string, unknown>, string, number, string | RegExp]> = [
      [{}, "BadRequestException", 400, "RouteKey is required."],
      [{ routeKey: "FETCH /x" }, "BadRequestException", 400, /has an unknown method `FETCH`/],
      [{ routeKey: "GET /{proxy+}/x" }, "BadRequestException", 400, /greedy variable/],
      [
        { routeKey: "GET /x", target: "i100000" },
        "BadRequestException",
        400,
        "Invalid target i100000: use integrations/INTEGRATION_ID.",
      ],
      [
        { routeKey: "GET /x", target: "integrations/zzzzzzz" },
        "NotFoundException",
        404,
        "Invalid Integration identifier specified 123456789012:zzzzzzz",
      ],
      [
        { routeKey: "GET /x", authorizationType: "JWT" },
        "BadRequestException",
        400,
        /authorizationType JWT is not supported/,
      ],
      [
        { routeKey: "GET /x", apiKeyRequired: true },
        "BadRequestException",
        400,
        "API keys are not supported for HTTP APIs.",
      ],
    ];
    for (const [body, type, status, message] of bad) {
      assertAwsError(() => createRoute(draft, body, ids, T0), type, status, message);
    }
  });

  test("DeleteRoute removes the route; an unknown id is not found", () => {
    const ids = sequentialIds();
    const { draft, route } = createRoute(apiWithIntegration(ids), { routeKey: "GET /x" }, ids, T0);
    assert.deepEqual(deleteRoute(draft, route.routeId, ids, T0).routes, []);
    assertAwsError(
      () => deleteRoute(draft, "nope", ids, T0),
      "NotFoundException",
      404,
      "Invalid Route identifier specified 123456789012:nope",
    );
  });
});

describe("stages and deployments", () => {
  const target = "integrations/i100000";

  test("an auto-deploying stage is deployed at creation and after every change", () => {
    const ids = sequentialIds();
    let draft = createRoute(apiWithIntegration(ids), { routeKey: "GET /a", target }, ids, T0).draft;
    const created = createStage(
      draft,
      { stageName: "$default", autoDeploy: true, stageVariables: { TABLE: "t" } },
      ids,
      T1,
    );
    draft = created.draft;
    assert.equal(created.stage.deploymentId, "d10000");
    assert.equal(created.stage.lastUpdatedDate, T1.toISOString());
    assert.deepEqual(
      deployedSpec(draft).routes.map((route) => route.routeKey),
      ["GET /a"],
    );
    assert.deepEqual(deployedSpec(draft).stages, [{ name: "$default", variables: { TABLE: "t" } }]);

    draft = createRoute(draft, { routeKey: "POST /a", target }, ids, T1).draft;
    assert.equal(stageOf(draft, "$default").deploymentId, "d20000");
    assert.deepEqual(
      deployedSpec(draft).routes.map((route) => route.routeKey),
      ["GET /a", "POST /a"],
    );
    draft = deleteRoute(draft, "r100000", ids, T1);
    assert.deepEqual(
      deployedSpec(draft).routes.map((route) => route.routeKey),
      ["POST /a"],
    );
    assert.equal(draft.deployments.length, 3);
    assert.deepEqual(
      draft.deployments.map((deployment) => deployment.snapshot !== undefined),
      [false, false, true],
      "only the served deployment keeps its snapshot",
    );
  });

  test("a stage without autoDeploy serves what CreateDeployment froze, until the next deployment", () => {
    const ids = sequentialIds();
    let draft = createRoute(apiWithIntegration(ids), { routeKey: "GET /a", target }, ids, T0).draft;
    draft = createStage(draft, { stageName: "prod", description: "production" }, ids, T0).draft;
    assert.equal(stageOf(draft, "prod").deploymentId, undefined);
    assert.deepEqual(
      deployedSpec(draft).stages,
      [{ name: "$default", variables: {} }],
      "an undeployed stage is not served",
    );

    const deployed = createDeployment(draft, { stageName: "prod", description: "v1" }, ids, T1);
    draft = deployed.draft;
    // Shaped like the AWS CLI's get-deployment example.
    assert.deepEqual(renderDeployment(deployed.deployment), {
      autoDeployed: false,
      createdDate: "2020-04-09T10:00:00Z",
      deploymentId: "d10000",
      deploymentStatus: "DEPLOYED",
      description: "v1",
    });
    draft = createRoute(draft, { routeKey: "GET /b", target }, ids, T1).draft;
    const spec = deployedSpec(draft);
    assert.deepEqual(
      spec.routes.map((route) => route.routeKey),
      ["GET /a"],
    );
    assert.deepEqual(
      spec.stages.map((stage) => stage.name),
      ["$default", "prod"],
    );

    draft = createDeployment(draft, {}, ids, T1).draft;
    assert.deepEqual(
      deployedSpec(draft).routes.map((route) => route.routeKey),
      ["GET /a"],
      "a deployment for no stage serves nothing new",
    );
    assert.ok(draft.deployments[0]?.snapshot !== undefined, "the served deployment keeps its snapshot");
  });

  test("stage and deployment requests are checked", () => {
    const ids = sequentialIds();
    const noRoutes = apiWithIntegration(ids);
    assertAwsError(
      () => createDeployment(noRoutes, {}, ids, T0),
      "BadRequestException",
      400,
      "Unable to deploy API because no routes exist in this API",
    );
    const draft = createStage(noRoutes, { stageName: "prod" }, ids, T0).draft;
    const cases: Array<[() => unknown, string, number, string | RegExp]> = [
      [
        () => createStage(draft, { stageName: "prod" }, ids, T0),
        "ConflictException",
        409,
        "Stage already exists",
      ],
      [() => createStage(draft, {}, ids, T0), "BadRequestException", 400, "StageName is required."],
      [
        () => createStage(draft, { stageName: "a b" }, ids, T0),
        "BadRequestException",
        400,
        /^Stage name "a b" is not a valid stage name/,
      ],
      [
        () => createStage(draft, { stageName: "dev", deploymentId: "nope00" }, ids, T0),
        "NotFoundException",
        404,
        "Invalid Deployment identifier specified 123456789012:nope00",
      ],
      [
        () => createStage(draft, { stageName: "dev", stageVariables: { "bad-name": "x" } }, ids, T0),
        "BadRequestException",
        400,
        /^Stage variable name "bad-name" is invalid/,
      ],
      [
        () => createDeployment(draft, { stageName: "dev" }, ids, T0),
        "NotFoundException",
        404,
        "Invalid Stage identifier specified 123456789012:dev",
      ],
    ];
    for (const [run, type, status, message] of cases) assertAwsError(run, type, status, message);
  });

  test("stages render as the AWS CLI's update-stage example shows them", () => {
    const ids = sequentialIds();
    const draft = createRoute(apiWithIntegration(ids), { routeKey: "GET /a", target }, ids, T0).draft;
    const { stage } = createStage(
      draft,
      { stageName: "dev", autoDeploy: true, tags: { env: "dev" } },
      ids,
      T1,
    );
    assert.deepEqual(renderStage(stage), {
      autoDeploy: true,
      createdDate: "2020-04-09T10:00:00Z",
      defaultRouteSettings: { detailedMetricsEnabled: false },
      deploymentId: "d10000",
      lastDeploymentStatusMessage: "Successfully deployed stage with deployment ID 'd10000'",
      lastUpdatedDate: "2020-04-09T10:00:00Z",
      routeSettings: {},
      stageName: "dev",
      stageVariables: {},
      tags: { env: "dev" },
    });
    assert.deepEqual(renderItems([renderStage(stage)], "dG9rZW4"), {
      items: [renderStage(stage)],
      nextToken: "dG9rZW4",
    });
    assert.deepEqual(renderItems([]), { items: [] });
    assert.equal(formatApiGatewayTime("2020-04-09T10:00:00.999Z"), "2020-04-09T10:00:00Z");
  });
});

test("a stage's DefaultRouteSettings and RouteSettings throttle what the gateway serves, and read back", () => {
  const ids = sequentialIds();
  let draft = createRoute(
    apiWithIntegration(ids),
    { routeKey: "GET /a", target: "integrations/i100000" },
    ids,
    T0,
  ).draft;
  const { stage, draft: staged } = createStage(
    draft,
    {
      stageName: "$default",
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
      routeSettings: { "GET /a": { throttlingBurstLimit: 2 }, "GET /b": { detailedMetricsEnabled: true } },
    },
    ids,
    T1,
  );
  draft = staged;
  assert.deepEqual(deployedSpec(draft).stages, [
    {
      name: "$default",
      variables: {},
      throttling: { rateLimit: 50, burstLimit: 100 },
      // A limit left out stands at the account's, as on AWS; settings without limits throttle nothing.
      routeThrottling: { "GET /a": { rateLimit: 10_000, burstLimit: 2 } },
    },
  ]);
  const rendered = renderStage(stage);
  assert.deepEqual(rendered.defaultRouteSettings, {
    detailedMetricsEnabled: false,
    throttlingRateLimit: 50,
    throttlingBurstLimit: 100,
  });
  assert.deepEqual(rendered.routeSettings, {
    "GET /a": { throttlingBurstLimit: 2 },
    "GET /b": { detailedMetricsEnabled: true },
  });
});

describe("UpdateApi", () => {
  test("members given replace the API's; CORS changes are deployed to auto-deploying stages", () => {
    const ids = sequentialIds();
    const quick = createApi({ name: "items", protocolType: "HTTP", target: "getItem" }, ids, T0);
    const updated = updateApi(
      quick,
      {
        name: "items-v2",
        description: "new",
        corsConfiguration: { allowOrigins: ["*"] },
        disableExecuteApiEndpoint: true,
      },
      ids,
      T1,
    );
    assert.equal(updated.name, "items-v2");
    assert.equal(updated.apiId, quick.apiId, "the id stays");
    assert.equal(updated.description, "new");
    assert.equal(updated.disableExecuteApiEndpoint, true);
    assert.deepEqual(deployedSpec(updated).cors?.allowOrigins, ["*"]);
    assert.equal(deployedSpec(updated).name, "items-v2");
    assert.equal(deployedSpec(updated, "items", "x1").apiId, "x1");
  });

  test("Target and RouteKey edit what quick create made", () => {
    const ids = sequentialIds();
    const quick = createApi({ name: "items", protocolType: "HTTP", target: "getItem" }, ids, T0);
    const updated = updateApi(quick, { target: functionArn("other"), routeKey: "ANY /{proxy+}" }, ids, T1);
    assert.deepEqual(
      deployedSpec(updated).routes.map((route) => [route.routeKey, route.functionName]),
      [["ANY /{proxy+}", "other"]],
    );
    const plain = createApi({ name: "plain", protocolType: "HTTP" }, ids, T0);
    assertAwsError(
      () => updateApi(plain, { target: "fn" }, ids, T1),
      "BadRequestException",
      400,
      /quick create/,
    );
    assertAwsError(
      () => updateApi(plain, { routeKey: "GET /" }, ids, T1),
      "BadRequestException",
      400,
      /quick create/,
    );
    assertAwsError(
      () => updateApi(plain, { name: "Bad Name" }, ids, T1),
      "BadRequestException",
      400,
      /not a valid API name/,
    );
  });
});

describe("deployed specs", () => {
  test("routes without an integration are not served; stage variables and the default stage come through", () => {
    const ids = sequentialIds();
    let draft = apiWithIntegration(ids);
    draft = createRoute(draft, { routeKey: "GET /served", target: "integrations/i100000" }, ids, T0).draft;
    draft = createRoute(draft, { routeKey: "GET /dangling" }, ids, T0).draft;
    draft = createStage(
      draft,
      { stageName: "prod", autoDeploy: true, stageVariables: { MODE: "prod" } },
      ids,
      T0,
    ).draft;
    const spec = deployedSpec(draft);
    assert.deepEqual(spec, {
      name: "items",
      kind: "http",
      apiId: "a100000000",
      cors: null,
      routes: [
        {
          routeKey: "GET /served",
          method: "GET",
          path: "/served",
          functionName: "getItem",
          payloadFormat: "2.0",
          timeoutMs: 30000,
        },
      ],
      stages: [
        { name: "$default", variables: {} },
        { name: "prod", variables: { MODE: "prod" } },
      ],
      domains: [],
    });
  });

  test("an API a project deployed shows as a draft that deploys back to the same spec", () => {
    const spec: ApiSpec = {
      name: "items",
      kind: "http",
      apiId: "abcdefghij",
      cors: {
        allowOrigins: ["*"],
        allowMethods: ["GET", "POST"],
        allowHeaders: ["content-type"],
        exposeHeaders: [],
        maxAge: 300,
        allowCredentials: false,
      },
      routes: [
        {
          routeKey: "GET /items/{id}",
          method: "GET",
          path: "/items/{id}",
          functionName: "getItem",
          payloadFormat: "2.0",
          timeoutMs: 30000,
        },
        {
          routeKey: "POST /items",
          method: "POST",
          path: "/items",
          functionName: "createItem",
          payloadFormat: "1.0",
          timeoutMs: 5000,
        },
        {
          routeKey: "$default",
          method: "$default",
          path: null,
          functionName: "getItem",
          payloadFormat: "2.0",
          timeoutMs: 30000,
        },
      ],
      stages: [
        { name: "$default", variables: {} },
        { name: "prod", variables: { TABLE: "items_prod" } },
      ],
      domains: [],
    };
    const draft = draftFromSpec(spec, T0.toISOString(), stableId);
    assert.equal(draft.integrations.length, 2, "routes to the same function share an integration");
    assert.deepEqual(draftFromSpec(spec, T0.toISOString(), stableId), draft, "the same ids every time");
    assert.deepEqual(deployedSpec(draft), spec);
  });

  test("the function an integration URI names", () => {
    const cases: Array<[string, string | undefined]> = [
      ["getItem", "getItem"],
      [functionArn("getItem"), "getItem"],
      [`${functionArn("getItem")}:$LATEST`, "getItem"],
      ["123456789012:function:getItem", "getItem"],
      [
        `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${functionArn("getItem")}/invocations`,
        "getItem",
      ],
      [`${functionArn("getItem")}:live`, undefined],
      ["https://example.test", undefined],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a stage variable reference, which Portico cannot resolve
      ["${stageVariables.fn}", undefined],
    ];
    for (const [uri, name] of cases) assert.equal(functionNameOfTarget(uri), name, uri);
  });
});

test("a draft is kept in an ApiRecord's aws bag and read back", () => {
  const draft = createApi({ name: "items", protocolType: "HTTP" }, sequentialIds(), T0);
  const bag = JSON.parse(JSON.stringify(apiRecordBag(draft)));
  assert.deepEqual(apiDraftOf(bag), draft);
  assert.equal(apiDraftOf(undefined), undefined);
  assert.equal(apiDraftOf({}), undefined);
  assert.throws(() => apiDraftOf({ draft: { routes: 1 } }), { code: "API_DRAFT_DAMAGED" });
});
