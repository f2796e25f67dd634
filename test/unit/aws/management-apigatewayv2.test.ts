import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type ApiDraft,
  AwsApiError,
  apiDraftOf,
  apiRecordBag,
  createApi,
  createAuthorizer,
  createDeployment,
  createIntegration,
  createRoute,
  createStage,
  type DraftRoute,
  deleteAuthorizer,
  deleteRoute,
  deployedSpec,
  draftFromSpec,
  formatApiGatewayTime,
  functionArn,
  functionNameOfTarget,
  type NewId,
  randomIds,
  renderApi,
  renderAuthorizer,
  renderDeployment,
  renderIntegration,
  renderItems,
  renderRoute,
  renderStage,
  routeOf,
  stableId,
  stageOf,
  updateApi,
  updateAuthorizer,
  updateRoute,
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
        "Invalid authorizer ID specified. Setting the authorization type to JWT requires a valid JWT authorizer.",
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

describe("authorizers", () => {
  const ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_123456789";
  const AUTHORIZER_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn("authorize")}/invocations`;
  const jwt = {
    name: "users",
    authorizerType: "JWT",
    identitySource: ["$request.header.Authorization"],
    jwtConfiguration: { audience: ["shop"], issuer: ISSUER },
  };
  const lambda = {
    name: "gate",
    authorizerType: "REQUEST",
    authorizerUri: AUTHORIZER_URI,
    authorizerPayloadFormatVersion: "2.0",
    enableSimpleResponses: true,
    identitySource: ["$request.header.Authorization"],
    authorizerResultTtlInSeconds: 300,
  };

  /** An API with an auto-deploying `$default` stage, an integration to `getItem`, and both authorizers. */
  function guardedApi(ids: NewId): ApiDraft {
    let draft = createStage(
      apiWithIntegration(ids),
      { stageName: "$default", autoDeploy: true },
      ids,
      T0,
    ).draft;
    draft = createAuthorizer(draft, jwt, ids, T0).draft;
    return createAuthorizer(draft, lambda, ids, T0).draft;
  }

  test("CreateAuthorizer: JWT and REQUEST authorizers render as the AWS CLI's create-authorizer examples", () => {
    const ids = sequentialIds();
    const draft = apiWithIntegration(ids);
    const made = createAuthorizer(draft, jwt, ids, T0);
    assert.deepEqual(renderAuthorizer(made.authorizer), {
      authorizerId: "a100000",
      authorizerType: "JWT",
      identitySource: ["$request.header.Authorization"],
      jwtConfiguration: { audience: ["shop"], issuer: ISSUER },
      name: "users",
    });
    const request = createAuthorizer(made.draft, lambda, ids, T0);
    assert.deepEqual(renderAuthorizer(request.authorizer), {
      authorizerId: "a200000",
      authorizerPayloadFormatVersion: "2.0",
      authorizerResultTtlInSeconds: 300,
      authorizerType: "REQUEST",
      authorizerUri: AUTHORIZER_URI,
      enableSimpleResponses: true,
      identitySource: ["$request.header.Authorization"],
      name: "gate",
    });
    assert.deepEqual(
      request.draft.authorizers?.map((item) => item.authorizerId),
      ["a100000", "a200000"],
    );
    const plain = createAuthorizer(
      draft,
      {
        name: "plain",
        authorizerType: "REQUEST",
        authorizerUri: AUTHORIZER_URI,
        authorizerPayloadFormatVersion: "1.0",
      },
      ids,
      T0,
    ).authorizer;
    assert.equal(plain.authorizerResultTtlInSeconds, 0, "caching is off unless asked for");
    assert.equal(plain.enableSimpleResponses, false);
    assert.deepEqual(plain.identitySource, []);
    const random = createAuthorizer(draft, jwt, randomIds, T0).authorizer;
    assert.match(random.authorizerId, /^[a-z0-9]{6}$/);
  });

  test("authorizers AWS would refuse are BadRequestExceptions", () => {
    const draft = apiWithIntegration(sequentialIds());
    const cases: Array<[Record<string, unknown>, string | RegExp]> = [
      [{ ...jwt, name: undefined }, "Name is required."],
      [{ ...jwt, authorizerType: undefined }, "AuthorizerType is required."],
      [
        { ...jwt, authorizerType: "TOKEN" },
        "Invalid authorizer type specified: TOKEN. HTTP APIs take JWT or REQUEST.",
      ],
      [
        { ...jwt, jwtConfiguration: { audience: ["shop"] } },
        "JwtConfiguration.Issuer is required for JWT authorizers.",
      ],
      [{ ...jwt, identitySource: undefined }, /^A JWT authorizer takes exactly one IdentitySource/],
      [
        { ...jwt, identitySource: ["$request.header.A", "$request.header.B"] },
        /exactly one IdentitySource .* got 2/,
      ],
      [{ ...jwt, identitySource: ["header.Authorization"] }, /^Invalid identity source header.Authorization/],
      [{ ...jwt, authorizerUri: AUTHORIZER_URI }, "AuthorizerUri is only valid for REQUEST authorizers."],
      [
        {
          ...jwt,
          jwtConfiguration: { issuer: ISSUER, audience: Array.from({ length: 51 }, (_, i) => `a${i}`) },
        },
        "A JWT authorizer allows 50 audiences, got 51.",
      ],
      [{ ...lambda, authorizerUri: undefined }, "AuthorizerUri is required for REQUEST authorizers."],
      [{ ...lambda, authorizerUri: functionArn("authorize") }, /^Invalid authorizer URI arn:aws:lambda:/],
      [
        { ...lambda, authorizerPayloadFormatVersion: undefined },
        "AuthorizerPayloadFormatVersion is a required parameter for REQUEST authorizer",
      ],
      [
        { ...lambda, authorizerPayloadFormatVersion: "3.0" },
        /^Invalid AuthorizerPayloadFormatVersion specified: 3.0/,
      ],
      [
        { ...lambda, authorizerPayloadFormatVersion: "1.0" },
        "EnableSimpleResponses is only supported with AuthorizerPayloadFormatVersion 2.0.",
      ],
      [
        { ...lambda, authorizerResultTtlInSeconds: 3601 },
        /^AuthorizerResultTtlInSeconds must be between 0 and 3600/,
      ],
      [
        { ...lambda, authorizerResultTtlInSeconds: -1 },
        /^AuthorizerResultTtlInSeconds must be between 0 and 3600/,
      ],
      [{ ...lambda, identitySource: [] }, /^IdentitySource is required when authorizer caching is enabled/],
      [
        { ...lambda, jwtConfiguration: { issuer: ISSUER } },
        "JwtConfiguration is only valid for JWT authorizers.",
      ],
      [{ ...lambda, identityValidationExpression: ".*" }, /^IdentityValidationExpression is not supported/],
      [{ ...jwt, name: "AWS_IAM" }, /^The authorizer name AWS_IAM is reserved/],
    ];
    for (const [body, message] of cases) {
      assertAwsError(
        () => createAuthorizer(draft, body, sequentialIds(), T0),
        "BadRequestException",
        400,
        message,
      );
    }
  });

  test("an API holds at most 10 authorizers, each with a name of its own", () => {
    const ids = sequentialIds();
    let draft = apiWithIntegration(ids);
    for (let i = 0; i < 10; i++) draft = createAuthorizer(draft, { ...jwt, name: `a${i}` }, ids, T0).draft;
    assertAwsError(
      () => createAuthorizer(draft, { ...jwt, name: "eleventh" }, ids, T0),
      "BadRequestException",
      400,
      /^Maximum number of Authorizers for this API has been reached/,
    );
    const two = createAuthorizer(apiWithIntegration(sequentialIds()), jwt, ids, T0).draft;
    assertAwsError(
      () => createAuthorizer(two, { ...lambda, name: "users" }, ids, T0),
      "ConflictException",
      409,
      /^An authorizer named users already exists/,
    );
  });

  test("routes name an authorizer of their authorization type; they render with it and their scopes", () => {
    const ids = sequentialIds();
    const draft = guardedApi(ids);
    const target = "integrations/i100000";
    const jwtRoute = createRoute(
      draft,
      {
        routeKey: "GET /items",
        target,
        authorizationType: "JWT",
        authorizerId: "a100000",
        authorizationScopes: ["items:read"],
      },
      ids,
      T0,
    );
    assert.deepEqual(renderRoute(jwtRoute.route), {
      apiKeyRequired: false,
      authorizationScopes: ["items:read"],
      authorizationType: "JWT",
      authorizerId: "a100000",
      routeId: "r100000",
      routeKey: "GET /items",
      target,
    });
    const custom = createRoute(
      draft,
      { routeKey: "POST /items", target, authorizationType: "CUSTOM", authorizerId: "a200000" },
      ids,
      T0,
    );
    assert.equal(renderRoute(custom.route).authorizationType, "CUSTOM");
    assert.equal(renderRoute(custom.route).authorizerId, "a200000");
    const iam = createRoute(
      draft,
      { routeKey: "DELETE /items", target, authorizationType: "AWS_IAM" },
      ids,
      T0,
    );
    assert.deepEqual(
      [renderRoute(iam.route).authorizationType, renderRoute(iam.route).authorizerId],
      ["AWS_IAM", undefined],
    );

    const jwtError =
      "Invalid authorizer ID specified. Setting the authorization type to JWT requires a valid JWT authorizer.";
    const customError =
      "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.";
    const scopesError =
      "Invalid Route authorization type specified. Authorization Scopes are only valid for COGNITO_USER_POOLS and JWT authorization types";
    const cases: Array<[Record<string, unknown>, string | RegExp]> = [
      [{ authorizationType: "JWT", authorizerId: "a200000" }, jwtError],
      [{ authorizationType: "JWT", authorizerId: "zzzzzz" }, jwtError],
      [{ authorizationType: "CUSTOM", authorizerId: "a100000" }, customError],
      [{ authorizationType: "CUSTOM" }, customError],
      [{ authorizationType: "CUSTOM", authorizerId: "a200000", authorizationScopes: ["x"] }, scopesError],
      [{ authorizationScopes: ["x"] }, scopesError],
      [
        { authorizationType: "AWS_IAM", authorizerId: "a100000" },
        /^AuthorizerId a100000 cannot be used with authorization type AWS_IAM/,
      ],
      [
        { authorizationType: "COGNITO_USER_POOLS", authorizerId: "a100000" },
        /^AuthorizationType COGNITO_USER_POOLS is for REST and WebSocket APIs/,
      ],
      [
        { authorizationType: "jwt" },
        "Invalid authorization type specified: jwt. HTTP API routes take NONE, JWT, CUSTOM or AWS_IAM.",
      ],
      [
        {
          authorizationType: "JWT",
          authorizerId: "a100000",
          authorizationScopes: Array.from({ length: 11 }, (_, i) => `s${i}`),
        },
        "A route allows 10 authorization scopes, got 11.",
      ],
    ];
    for (const [body, message] of cases) {
      assertAwsError(
        () => createRoute(draft, { routeKey: "GET /x", target, ...body }, ids, T0),
        "BadRequestException",
        400,
        message,
      );
    }
  });

  test("UpdateRoute: the type comes with a new authorizer; NONE drops it; other members are kept", () => {
    const ids = sequentialIds();
    const made = createRoute(
      guardedApi(ids),
      {
        routeKey: "GET /items",
        target: "integrations/i100000",
        authorizationType: "JWT",
        authorizerId: "a100000",
        authorizationScopes: ["read"],
      },
      ids,
      T0,
    );
    const { draft, route } = made;
    assertAwsError(
      () => updateRoute(draft, route.routeId, { authorizerId: "a200000" }, ids, T1),
      "BadRequestException",
      400,
      "Unable to update route. Authorizer type is invalid or null.",
    );
    const renamed = updateRoute(
      draft,
      route.routeId,
      { routeKey: "GET /things", operationName: "list" },
      ids,
      T1,
    ).route;
    assert.deepEqual(renamed, { ...route, routeKey: "GET /things", operationName: "list" });
    const custom = updateRoute(
      draft,
      route.routeId,
      { authorizationType: "CUSTOM", authorizerId: "a200000" },
      ids,
      T1,
    ).route;
    assert.deepEqual(
      [custom.authorizationType, custom.authorizerId, custom.authorizationScopes],
      ["CUSTOM", "a200000", undefined],
      "scopes go with the JWT type",
    );
    const open = updateRoute(draft, route.routeId, { authorizationType: "NONE" }, ids, T1);
    assert.deepEqual(renderRoute(open.route), {
      apiKeyRequired: false,
      authorizationType: "NONE",
      routeId: route.routeId,
      routeKey: "GET /items",
      target: "integrations/i100000",
    });
    assert.equal(
      deployedSpec(open.draft).routes[0]?.authorizer,
      undefined,
      "deployed at once: the stage auto-deploys",
    );
    const rescoped = updateRoute(draft, route.routeId, { authorizationScopes: ["write"] }, ids, T1).route;
    assert.deepEqual(rescoped.authorizationScopes, ["write"]);
    assertAwsError(
      () => updateRoute(draft, "nope", {}, ids, T1),
      "NotFoundException",
      404,
      "Invalid Route identifier specified 123456789012:nope",
    );
  });

  test("DeleteAuthorizer is refused while a route uses it, as AWS refuses it", () => {
    const ids = sequentialIds();
    const made = createRoute(
      guardedApi(ids),
      { routeKey: "POST /pdf/generate", authorizationType: "CUSTOM", authorizerId: "a200000" },
      ids,
      T0,
    );
    assertAwsError(
      () => deleteAuthorizer(made.draft, "a200000", ids, T1),
      "ConflictException",
      409,
      "Cannot delete authorizer 'gate', is referenced in route: POST /pdf/generate",
    );
    const open = updateRoute(made.draft, made.route.routeId, { authorizationType: "NONE" }, ids, T1).draft;
    assert.deepEqual(
      deleteAuthorizer(open, "a200000", ids, T1).authorizers?.map((item) => item.name),
      ["users"],
    );
    assertAwsError(
      () => deleteAuthorizer(open, "zzzzzz", ids, T1),
      "NotFoundException",
      404,
      "Invalid Authorizer identifier specified 123456789012:zzzzzz",
    );
  });

  test("UpdateAuthorizer merges what is given, and keeps its type while routes use it", () => {
    const ids = sequentialIds();
    const draft = createRoute(
      guardedApi(ids),
      { routeKey: "GET /a", authorizationType: "JWT", authorizerId: "a100000" },
      ids,
      T0,
    ).draft;
    const updated = updateAuthorizer(
      draft,
      "a100000",
      { jwtConfiguration: { audience: ["shop", "admin"] } },
      ids,
      T1,
    );
    assert.deepEqual(updated.authorizer.jwtConfiguration, { audience: ["shop", "admin"], issuer: ISSUER });
    assert.equal(updated.authorizer.name, "users");
    const cached = updateAuthorizer(
      draft,
      "a200000",
      { authorizerResultTtlInSeconds: 0, identitySource: [] },
      ids,
      T1,
    );
    assert.deepEqual(
      [
        cached.authorizer.authorizerResultTtlInSeconds,
        cached.authorizer.identitySource,
        cached.authorizer.enableSimpleResponses,
      ],
      [0, [], true],
    );
    assertAwsError(
      () => updateAuthorizer(draft, "a200000", { authorizerPayloadFormatVersion: "1.0" }, ids, T1),
      "BadRequestException",
      400,
      "EnableSimpleResponses is only supported with AuthorizerPayloadFormatVersion 2.0.",
    );
    assertAwsError(
      () => updateAuthorizer(draft, "a200000", { name: "users" }, ids, T1),
      "ConflictException",
      409,
      /^An authorizer named users already exists/,
    );
    assertAwsError(
      () => updateAuthorizer(draft, "a100000", lambda, ids, T1),
      "ConflictException",
      409,
      "Cannot change the type of authorizer 'users', is referenced in route: GET /a",
    );
    const retyped = updateAuthorizer(
      draft,
      "a200000",
      { authorizerType: "JWT", jwtConfiguration: { issuer: ISSUER } },
      ids,
      T1,
    );
    assert.deepEqual(renderAuthorizer(retyped.authorizer), {
      authorizerId: "a200000",
      authorizerType: "JWT",
      identitySource: ["$request.header.Authorization"],
      jwtConfiguration: { audience: [], issuer: ISSUER },
      name: "gate",
    });
  });

  test("a deployment serves its authorizers: JWT and Lambda ones by name, AWS_IAM routes never open", () => {
    const ids = sequentialIds();
    let draft = guardedApi(ids);
    const target = "integrations/i100000";
    draft = createRoute(
      draft,
      {
        routeKey: "GET /jwt",
        target,
        authorizationType: "JWT",
        authorizerId: "a100000",
        authorizationScopes: ["items:read"],
      },
      ids,
      T0,
    ).draft;
    draft = createRoute(
      draft,
      { routeKey: "GET /lambda", target, authorizationType: "CUSTOM", authorizerId: "a200000" },
      ids,
      T0,
    ).draft;
    draft = createRoute(draft, { routeKey: "GET /iam", target, authorizationType: "AWS_IAM" }, ids, T0).draft;
    draft = createRoute(draft, { routeKey: "GET /open", target }, ids, T0).draft;
    const spec = deployedSpec(draft);
    assert.deepEqual(spec.authorizers, [
      {
        name: "users",
        type: "jwt",
        identitySource: "$request.header.Authorization",
        issuer: ISSUER,
        audience: ["shop"],
      },
      {
        name: "gate",
        type: "lambda",
        functionName: "authorize",
        requestType: "REQUEST",
        payloadFormat: "2.0",
        simpleResponses: true,
        identitySources: ["$request.header.Authorization"],
        resultTtlSeconds: 300,
      },
      {
        name: "AWS_IAM",
        type: "unserved",
        kind: "AWS_IAM",
        declaredAt: "API Gateway v2 API: routes with authorizationType AWS_IAM",
      },
    ]);
    assert.deepEqual(
      spec.routes.map((route) => [route.routeKey, route.authorizer, route.authorizationScopes]),
      [
        ["GET /jwt", "users", ["items:read"]],
        ["GET /lambda", "gate", undefined],
        ["GET /iam", "AWS_IAM", undefined],
        ["GET /open", undefined, undefined],
      ],
    );

    // Without autoDeploy, an authorizer change waits for the next deployment, as routes do.
    let manual = createStage(apiWithIntegration(sequentialIds()), { stageName: "prod" }, ids, T0).draft;
    manual = createAuthorizer(manual, jwt, ids, T0).draft;
    const authorizerId = manual.authorizers?.[0]?.authorizerId as string;
    manual = createRoute(
      manual,
      { routeKey: "GET /a", target, authorizationType: "JWT", authorizerId },
      ids,
      T0,
    ).draft;
    manual = createDeployment(manual, { stageName: "prod" }, ids, T0).draft;
    manual = updateAuthorizer(
      manual,
      authorizerId,
      { jwtConfiguration: { issuer: "https://other.test" } },
      ids,
      T1,
    ).draft;
    const served = deployedSpec(manual).authorizers?.[0];
    assert.equal(served?.type === "jwt" ? served.issuer : undefined, ISSUER);
    manual = createDeployment(manual, { stageName: "prod" }, ids, T1).draft;
    const redeployed = deployedSpec(manual).authorizers?.[0];
    assert.equal(redeployed?.type === "jwt" ? redeployed.issuer : undefined, "https://other.test");
  });

  test("a project API's authorizers show as v2 authorizers, with stable ids, and deploy back to the same spec", () => {
    const spec: ApiSpec = {
      name: "shop",
      kind: "http",
      apiId: "abcdefghij",
      cors: null,
      routes: [
        {
          routeKey: "GET /jwt",
          method: "GET",
          path: "/jwt",
          functionName: "echo",
          payloadFormat: "2.0",
          timeoutMs: 30000,
          authorizer: "users",
          authorizationScopes: ["items:read"],
        },
        {
          routeKey: "GET /lambda",
          method: "GET",
          path: "/lambda",
          functionName: "echo",
          payloadFormat: "2.0",
          timeoutMs: 30000,
          authorizer: "gate",
        },
        {
          routeKey: "GET /open",
          method: "GET",
          path: "/open",
          functionName: "echo",
          payloadFormat: "2.0",
          timeoutMs: 30000,
        },
      ],
      stages: [{ name: "$default", variables: {} }],
      domains: [],
      authorizers: [
        {
          name: "users",
          type: "jwt",
          identitySource: "$request.header.Authorization",
          issuer: ISSUER,
          audience: ["shop"],
        },
        {
          name: "gate",
          type: "lambda",
          functionName: "authorize",
          requestType: "REQUEST",
          payloadFormat: "1.0",
          simpleResponses: false,
          identitySources: ["$request.querystring.token"],
          resultTtlSeconds: 60,
        },
      ],
    };
    const draft = draftFromSpec(spec, T0.toISOString(), stableId);
    assert.deepEqual(draftFromSpec(spec, T0.toISOString(), stableId), draft, "the same ids every time");
    assert.deepEqual(deployedSpec(draft), spec);
    const [users, gate] = draft.authorizers ?? [];
    assert.match(users?.authorizerId ?? "", /^[a-z0-9]{6}$/);
    assert.deepEqual(renderAuthorizer(gate as NonNullable<typeof gate>), {
      authorizerId: gate?.authorizerId,
      authorizerPayloadFormatVersion: "1.0",
      authorizerResultTtlInSeconds: 60,
      authorizerType: "REQUEST",
      authorizerUri: AUTHORIZER_URI,
      enableSimpleResponses: false,
      identitySource: ["$request.querystring.token"],
      name: "gate",
    });
    assert.deepEqual(
      draft.routes.map((route) => [route.routeKey, route.authorizationType, route.authorizerId]),
      [
        ["GET /jwt", "JWT", users?.authorizerId],
        ["GET /lambda", "CUSTOM", gate?.authorizerId],
        ["GET /open", undefined, undefined],
      ],
    );

    const iamSpec: ApiSpec = {
      ...spec,
      routes: [{ ...(spec.routes[2] as ApiSpec["routes"][number]), authorizer: "iam" }],
      authorizers: [
        { name: "iam", type: "unserved", kind: "AWS_IAM", declaredAt: "template.yaml: Resources.Api" },
      ],
    };
    const iam = draftFromSpec(iamSpec, T0.toISOString(), stableId);
    assert.equal(renderRoute(iam.routes[0] as DraftRoute).authorizationType, "AWS_IAM");
    assert.equal(deployedSpec(iam).routes[0]?.authorizer, "AWS_IAM", "still never served open");
  });
});
