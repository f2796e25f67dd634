/** End to end through `portico dev`: plain CloudFormation templates, a `cdk synth` assembly and nested stacks. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send, type TestRequest } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

// biome-ignore lint/suspicious/noExplicitAny: the fixture functions answer loosely typed JSON.
type Json = Record<string, any>;

const projects = join(fixturesDir, "projects");

/** A request to one API of a project that has several, by its host name. */
function sendTo(api: string, port: number, request: Omit<TestRequest, "port">) {
  return send({ port, ...request, headers: { host: `${api}.localhost:${port}`, ...request.headers } });
}

describe("cdk synth: an HTTP API and a REST API in front of one asset function", () => {
  const assembly = join(projects, "cdk-synth", "cdk.out");
  let portico: PorticoProcess;
  let port: number;

  before(async () => {
    ({ portico, port } = await startDev(assembly));
  });
  after(() => portico.stop());

  test("portico dev cdk.out serves GreetingStack.template.json", async () => {
    await portico.waitFor(/serving \S+GreetingStack\.template\.json\n/);
  });

  test("the HttpLambdaIntegration route answers with a 2.0 event", async () => {
    const response = await sendTo("greetinghttpapi60f35c62", port, { path: "/hello" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), {
      greeting: "hello from cdk",
      version: "2.0",
      routeKey: "GET /hello",
      resource: null,
      path: "/hello",
      pathParameters: null,
    });
  });

  test("the LambdaRestApi's resource tree answers on its prod stage with a REST event", async () => {
    const response = await sendTo("greetingrestapie49e3048", port, { path: "/prod/items/42" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), {
      greeting: "hello from cdk",
      version: "1.0",
      routeKey: null,
      resource: "/items/{id}",
      path: "/items/42",
      pathParameters: { id: "42" },
    });
    const list = (await sendTo("greetingrestapie49e3048", port, { path: "/prod/items" })).json() as Json;
    assert.equal(list.resource, "/items");
    const none = await sendTo("greetingrestapie49e3048", port, { path: "/prod/other" });
    assert.equal(none.status, 403, "a REST API answers an unknown path 403 Missing Authentication Token");
  });

  test("no warnings: roles, permissions, the account and CDKMetadata have no local meaning", () => {
    assert.doesNotMatch(portico.output, /^warning:/m);
  });
});

describe("cdk synth: the template file given directly", () => {
  test("portico dev STACK.template.json serves it", async () => {
    const { portico, port } = await startDev(
      join(projects, "cdk-synth", "cdk.out", "GreetingStack.template.json"),
    );
    try {
      const response = await sendTo("greetinghttpapi60f35c62", port, { path: "/hello" });
      assert.equal(response.status, 200);
      assert.equal((response.json() as Json).greeting, "hello from cdk");
    } finally {
      await portico.stop();
    }
  });
});

describe("cdk synth: a NestedStack", () => {
  test("its function answers through its HTTP API, named under the nested stack's construct id", async () => {
    const { portico, port } = await startDev(join(projects, "cdk-synth-nested", "cdk.out"));
    try {
      const response = await send({ port, path: "/greet" });
      assert.equal(response.status, 200);
      const event = response.json() as Json;
      assert.equal(event.greeting, "hello from a nested stack");
      assert.equal(event.routeKey, "ANY /greet");
      await portico.waitFor(/\[Greeting-Greet8553ACA9\] REPORT RequestId: /);
    } finally {
      await portico.stop();
    }
  });
});

describe("a hand-written REST API: RestApi, Resource, Method, Stage and inline Node.js code", () => {
  let portico: PorticoProcess;
  let port: number;

  before(async () => {
    ({ portico, port } = await startDev(join(projects, "cfn-rest-api")));
  });
  after(() => portico.stop());

  test("a method on a nested resource reaches the ZipFile function on the Stage, with its variables", async () => {
    const response = await send({ port, path: "/v1/pets/7", headers: { authorization: "allow" } });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), {
      resource: "/pets/{petId}",
      path: "/pets/7",
      petId: "7",
      stage: "v1",
      table: "pets-table",
      queue: "",
      owner: "pets-team",
    });
  });

  test("its authorizers guard their methods with REST's answers: TOKEN policy, IAM and Cognito are never open", async () => {
    const missing = await send({ port, path: "/v1/pets/7" });
    assert.equal(missing.status, 401);
    assert.equal(missing.text, '{"message":"Unauthorized"}');
    assert.equal(missing.headers["x-amzn-errortype"], "UnauthorizedException");
    const denied = await send({ port, path: "/v1/pets/7", headers: { authorization: "deny" } });
    assert.equal(denied.status, 403);
    assert.equal(
      denied.text,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
    const iam = await send({ port, path: "/v1/pets/7", method: "DELETE" });
    assert.equal(iam.status, 403);
    assert.equal(iam.text, '{"message":"Missing Authentication Token"}');
    const cognito = await send({
      port,
      path: "/v1/pets/7",
      method: "PUT",
      headers: { authorization: "allow" },
    });
    assert.equal(cognito.status, 401);
  });

  test("MemorySize and Timeout reach the function", async () => {
    await send({ port, path: "/pets" });
    await portico.waitFor(
      /\[PetsFunction\] REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB/,
    );
  });

  test("what is not served is named at start-up", () => {
    const lines = [
      "warning: template.yaml: Resources.PetsQueue: (AWS::SQS::Queue) is not modelled; ignored",
      "warning: template.yaml: Resources.PetsFunction.Properties.VpcConfig: is not modelled; ignored",
      'warning: template.yaml: Resources.PetsStage.Properties.Variables.certificate: `Fn::ImportValue` cannot be resolved locally; "" stands in for it',
      "warning: template.yaml: Resources.UserPoolAuthorizer.Properties.Type: `COGNITO_USER_POOLS` authorizers are not run locally; the routes it guards answer as AWS does to a caller without credentials",
    ];
    for (const line of lines) assert.ok(portico.output.includes(`${line}\n`), line);
  });
});

describe("a hand-written HTTP API: Api, Integration, Route, Stage and inline Python code", () => {
  let portico: PorticoProcess;
  let port: number;

  before(async () => {
    ({ portico, port } = await startDev(join(projects, "cfn-http-api")));
  });
  after(() => portico.stop());

  test("a route reaches its integration's function on the named stage, with stage variables", async () => {
    const response = await sendTo("ordersapi", port, { path: "/live/orders" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), {
      routeKey: "GET /orders",
      rawPath: "/live/orders",
      stage: "live",
      greeting: "orders",
      region: "eu",
      version: "2.0",
    });
  });

  test("its REQUEST authorizer and JWT authorizer guard their routes; the IAM route is never open", async () => {
    const post = (headers: Record<string, string>) =>
      sendTo("ordersapi", port, { path: "/orders", method: "POST", body: "{}", headers });
    assert.equal((await post({})).status, 401, "no x-token: the authorizer is not asked");
    assert.equal((await post({ "x-token": "nope" })).status, 403);
    assert.equal((await post({ "x-token": "allow" })).status, 200);
    // The JWT issuer is a Cognito pool that cannot be reached from here: no token is 401 all the same.
    const jwt = await sendTo("ordersapi", port, { path: "/orders/7" });
    assert.equal(jwt.status, 401);
    assert.match(String(jwt.headers["www-authenticate"]), /error="invalid_token"/);
    const iam = await sendTo("ordersapi", port, { path: "/legacy/x" });
    assert.equal(iam.status, 403);
    assert.equal(iam.text, '{"message":"Forbidden"}');
  });

  test("CorsConfiguration applies to an allowed origin", async () => {
    const response = await sendTo("ordersapi", port, {
      path: "/orders",
      headers: { origin: "https://shop.example.com" },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers["access-control-allow-origin"], "https://shop.example.com");
  });

  test("a quick-create API sends every request to its Target", async () => {
    const response = await sendTo("quickapi", port, { path: "/anything/at/all", method: "POST", body: "{}" });
    assert.equal(response.status, 200);
    const event = response.json() as Json;
    assert.equal(event.routeKey, "$default");
    assert.equal(event.rawPath, "/anything/at/all");
  });
});

describe("nested stacks: a SAM application and a CloudFormation stack from local templates", () => {
  let portico: PorticoProcess;
  let port: number;

  before(async () => {
    ({ portico, port } = await startDev(join(projects, "cfn-nested")));
  });
  after(() => portico.stop());

  test("the parent's own function answers", async () => {
    const response = await sendTo("serverlesshttpapi", port, { path: "/health" });
    assert.equal(response.status, 200);
    assert.equal(response.text, "ok");
  });

  test("the SAM application's implicit API and function, named under the parent, get its Parameters", async () => {
    const response = await sendTo("orders-serverlessrestapi", port, { path: "/Prod/orders" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), {
      greeting: "orders in us-east-1",
      functionName: "Orders-OrdersFunction",
      path: "/orders",
    });
  });

  test("the CloudFormation stack's inline function and quick-create API answer", async () => {
    const response = await sendTo("users-usersapi", port, { path: "/users" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), {
      greeting: "users",
      table: "",
      functionName: "Users-UsersFunction",
      routeKey: "GET /users",
    });
  });
});
