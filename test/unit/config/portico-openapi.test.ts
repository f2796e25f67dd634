/** portico.yaml `apis.NAME.openapi`: routes, authorizers and CORS from an OpenAPI document, and its mistakes. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ConfigError, loadConfig } from "../../../src/config/index.js";

const scratch = mkdtempSync(join(tmpdir(), "portico-yaml-openapi-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;

function project(config: string, openapi: string): string {
  const dir = join(scratch, `p${++projects}`);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "app.py"), "");
  writeFileSync(join(dir, "portico.yaml"), config);
  writeFileSync(join(dir, "openapi.yaml"), openapi);
  return dir;
}

const FUNCTIONS = `functions:
  getItem: { runtime: python3, handler: app.handler, code: src }
  authorize: { runtime: python3, handler: app.handler, code: src }
`;

test("routes from the document beside the API's own; uri names a function by name or by ARN", async () => {
  const dir = project(
    `${FUNCTIONS}apis:
  items:
    openapi: ./openapi.yaml
    routes:
      GET /health: getItem
`,
    `openapi: "3.0.1"
info: { title: items, version: "1" }
x-amazon-apigateway-cors: { allowOrigins: ["*"] }
paths:
  /items/{id}:
    get:
      security: [{ gate: [] }]
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: getItem
        payloadFormatVersion: "2.0"
  /items:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:getItem/invocations
components:
  securitySchemes:
    gate:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer:
        type: request
        authorizerUri: arn:aws:lambda:us-east-1:123456789012:function:authorize
        authorizerPayloadFormatVersion: "2.0"
        enableSimpleResponses: true
        identitySource: $request.header.Authorization
`,
  );
  const { project: loaded, warnings } = await loadConfig(dir);
  assert.deepEqual(warnings, []);
  const api = loaded.apis[0];
  assert.deepEqual(
    api?.routes.map((route) => [route.routeKey, route.functionName, route.payloadFormat, route.authorizer]),
    [
      ["GET /items/{id}", "getItem", "2.0", "gate"],
      ["POST /items", "getItem", "1.0", undefined],
      ["GET /health", "getItem", "2.0", undefined],
    ],
  );
  assert.deepEqual(api?.authorizers, [
    {
      name: "gate",
      type: "lambda",
      functionName: "authorize",
      requestType: "REQUEST",
      payloadFormat: "2.0",
      simpleResponses: true,
      identitySources: ["$request.header.Authorization"],
      resultTtlSeconds: 0,
    },
  ]);
  assert.deepEqual(api?.cors?.allowOrigins, ["*"]);
});

test("an unknown function, a route defined twice and an unreadable document are errors at apis.NAME", async () => {
  const dir = project(
    `${FUNCTIONS}apis:
  items:
    openapi: ./openapi.yaml
    routes:
      GET /items: getItem
  other:
    openapi: ./missing.yaml
`,
    `openapi: "3.0.1"
paths:
  /items:
    get:
      x-amazon-apigateway-integration: { type: aws_proxy, uri: getItme }
`,
  );
  try {
    await loadConfig(dir);
    assert.fail("the project loaded");
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.deepEqual(
      error.issues.map((issue) => `${issue.key}: ${issue.reason}`),
      [
        'apis.items.openapi: openapi.yaml paths["/items"].get.x-amazon-apigateway-integration.uri: names an unknown function `getItme` (known functions: getItem, authorize); did you mean `getItem`?',
        "apis.other.openapi: missing.yaml: cannot be read: ENOENT: no such file or directory, open '" +
          join(dir, "missing.yaml") +
          "'",
      ],
    );
  }
});

test("a route in `routes` that the document also defines is a conflict", async () => {
  const dir = project(
    `${FUNCTIONS}apis:
  items:
    openapi: ./openapi.yaml
    routes:
      GET /items: getItem
`,
    `openapi: "3.0.1"
paths:
  /items:
    get:
      x-amazon-apigateway-integration: { type: aws_proxy, uri: getItem }
`,
  );
  await assert.rejects(loadConfig(dir), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(
      error.issues.map((issue) => `${issue.key}: ${issue.reason}`),
      ['apis.items.routes["GET /items"]: duplicates route `GET /items` of the API\'s openapi document'],
    );
    return true;
  });
});
