/**
 * SAM APIs defined by OpenAPI documents (`DefinitionBody`, `AWS::Include`, `DefinitionUri`): routes, integrations,
 * authorizers from security schemes, CORS and binary media types, and the errors and warnings they give. The
 * documents follow API Gateway's OpenAPI extension examples.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/index.js";
import type { ApiSpec } from "../../../src/model/index.js";
import { configError } from "../../helpers/config-error.js";

const scratch = mkdtempSync(join(tmpdir(), "portico-openapi-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;

/** A project with `template.yaml` and other files, and a code directory `src/`. */
function project(template: string, files: Record<string, string> = {}): string {
  const dir = join(scratch, `p${++projects}`);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "app.py"), "");
  writeFileSync(join(dir, "template.yaml"), template);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const HEADER = "Transform: AWS::Serverless-2016-10-31\nResources:\n";
const fn = (id: string, extra = "") =>
  `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.12\n${extra}`;
const SUB_URI = (id: string) =>
  `!Sub "arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${id}.Arn}/invocations"`;

function api(apis: readonly ApiSpec[], name: string): ApiSpec {
  const found = apis.find((candidate) => candidate.name === name);
  assert.ok(found, `no API ${name} among ${apis.map((candidate) => candidate.name).join(", ")}`);
  return found;
}

describe("an HTTP API with an inline OpenAPI 3 DefinitionBody", async () => {
  const dir = project(
    `${HEADER}${fn("ItemsFunction")}${fn("AuthFunction")}  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: "3.0.1"
        info: { title: items, version: "1.0" }
        x-amazon-apigateway-cors:
          allowOrigins: ["https://app.example.com"]
          allowMethods: [GET, POST]
          maxAge: 300
        paths:
          /items/{id}:
            get:
              security:
                - jwt: [items:read]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: ${SUB_URI("ItemsFunction")}
                payloadFormatVersion: "2.0"
                timeoutInMillis: 10000
          /items:
            post:
              x-amazon-apigateway-integration:
                $ref: "#/components/x-amazon-apigateway-integrations/items"
          /open:
            get:
              security: []
              x-amazon-apigateway-integration:
                type: AWS_PROXY
                uri: !GetAtt ItemsFunction.Arn
          $default:
            x-amazon-apigateway-any-method:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: ${SUB_URI("ItemsFunction")}
                payloadFormatVersion: "2.0"
          /signed:
            get:
              security: [{ sigv4: [] }]
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: ${SUB_URI("ItemsFunction")}
                payloadFormatVersion: "2.0"
          /legacy:
            get:
              x-amazon-apigateway-integration:
                type: http_proxy
                uri: https://legacy.example.com
        security:
          - lambda: []
        components:
          x-amazon-apigateway-integrations:
            items:
              type: aws_proxy
              uri: ${SUB_URI("ItemsFunction")}
              payloadFormatVersion: "1.0"
          securitySchemes:
            jwt:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                identitySource: "$request.header.Authorization"
                jwtConfiguration:
                  issuer: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
                  audience: [client-1]
            lambda:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authorizer:
                type: request
                identitySource: "$request.header.Authorization,$request.querystring.user"
                authorizerUri: ${SUB_URI("AuthFunction")}
                authorizerPayloadFormatVersion: "2.0"
                authorizerResultTtlInSeconds: 300
                enableSimpleResponses: true
            sigv4:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authtype: awsSigv4
`,
  );
  const { project: loaded, warnings } = await loadConfig(dir);
  const httpApi = api(loaded.apis, "httpapi");

  test("each aws_proxy operation is a route to the function its uri invokes", () => {
    assert.deepEqual(
      httpApi.routes.map((route) => [
        route.routeKey,
        route.functionName,
        route.payloadFormat,
        route.timeoutMs,
      ]),
      [
        ["GET /items/{id}", "ItemsFunction", "2.0", 10000],
        ["POST /items", "ItemsFunction", "1.0", 30000],
        ["GET /open", "ItemsFunction", "1.0", 30000],
        ["$default", "ItemsFunction", "2.0", 30000],
        ["GET /signed", "ItemsFunction", "2.0", 30000],
      ],
    );
  });

  test("an operation's security names its authorizer and scopes; [] opens it; others get the document's", () => {
    const auth = Object.fromEntries(
      httpApi.routes.map((route) => [route.routeKey, [route.authorizer, route.authorizationScopes]]),
    );
    assert.deepEqual(auth, {
      "GET /items/{id}": ["jwt", ["items:read"]],
      "POST /items": ["lambda", undefined],
      "GET /open": [undefined, undefined],
      $default: ["lambda", undefined],
      "GET /signed": ["sigv4", undefined],
    });
  });

  test("security schemes become authorizers: JWT, Lambda with its settings, and IAM unserved", () => {
    assert.deepEqual(httpApi.authorizers, [
      {
        name: "jwt",
        type: "jwt",
        identitySource: "$request.header.Authorization",
        issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
        audience: ["client-1"],
      },
      {
        name: "lambda",
        type: "lambda",
        functionName: "AuthFunction",
        requestType: "REQUEST",
        payloadFormat: "2.0",
        simpleResponses: true,
        identitySources: ["$request.header.Authorization", "$request.querystring.user"],
        resultTtlSeconds: 300,
      },
      {
        name: "sigv4",
        type: "unserved",
        kind: "AWS_IAM",
        declaredAt:
          "template.yaml: Resources.HttpApi.Properties.DefinitionBody.components.securitySchemes.sigv4.x-amazon-apigateway-authtype",
      },
    ]);
  });

  test("x-amazon-apigateway-cors is the API's CORS", () => {
    assert.deepEqual(httpApi.cors, {
      allowOrigins: ["https://app.example.com"],
      allowMethods: ["GET", "POST"],
      allowHeaders: [],
      exposeHeaders: [],
      maxAge: 300,
      allowCredentials: false,
    });
  });

  test("warnings: an integration Portico cannot serve, and the IAM scheme whose routes are refused", () => {
    const keys = warnings.map((warning) => `${warning.key}: ${warning.reason}`);
    assert.ok(
      keys.some((line) =>
        line.startsWith(
          'Resources.HttpApi.Properties.DefinitionBody.paths["/legacy"].get.x-amazon-apigateway-integration.type: integration type `http_proxy` is not served',
        ),
      ),
      keys.join("\n"),
    );
    assert.ok(
      keys.some((line) =>
        /securitySchemes\.sigv4\.x-amazon-apigateway-authtype: `AWS_IAM` authorization is not served .*answer as API Gateway answers a caller without credentials/.test(
          line,
        ),
      ),
      keys.join("\n"),
    );
    assert.equal(warnings.length, 2, keys.join("\n"));
  });
});

describe("a REST API from a Swagger 2 DefinitionUri file, with events of the same API", async () => {
  const swagger = {
    swagger: "2.0",
    info: { title: "pets", version: "1.0" },
    "x-amazon-apigateway-binary-media-types": ["image/png", "application/octet-stream"],
    paths: {
      "/pets/{petId}": {
        get: {
          security: [{ "test-authorizer": [] }, { api_key: [] }],
          "x-amazon-apigateway-integration": {
            type: "aws_proxy",
            httpMethod: "POST",
            uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets-handler/invocations",
          },
        },
      },
      "/{proxy+}": {
        "x-amazon-apigateway-any-method": {
          security: [{ cognito: ["email"] }],
          "x-amazon-apigateway-integration": {
            type: "aws_proxy",
            uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:PetsFunction/invocations",
          },
        },
      },
    },
    securityDefinitions: {
      "test-authorizer": {
        type: "apiKey",
        name: "Authorization",
        in: "header",
        "x-amazon-apigateway-authtype": "custom",
        "x-amazon-apigateway-authorizer": {
          authorizerUri:
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:AuthFunction/invocations",
          authorizerResultTtlInSeconds: 60,
          identityValidationExpression: "^x-[a-z]+",
          type: "token",
        },
      },
      api_key: { type: "apiKey", name: "x-api-key", in: "header" },
      cognito: {
        type: "apiKey",
        name: "Authorization",
        in: "header",
        "x-amazon-apigateway-authtype": "cognito_user_pools",
        "x-amazon-apigateway-authorizer": {
          type: "cognito_user_pools",
          providerARNs: ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc"],
        },
      },
    },
  };
  const dir = project(
    `${HEADER}${fn("PetsFunction", "      FunctionName: pets-handler\n      Events:\n        Extra:\n          Type: Api\n          Properties:\n            RestApiId: !Ref PetsApi\n            Path: /extra\n            Method: post\n")}${fn("AuthFunction")}  PetsApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: ./api/swagger.json
`,
    { "api/swagger.json": JSON.stringify(swagger, null, 2) },
  );
  const { project: loaded, warnings } = await loadConfig(dir);
  const rest = api(loaded.apis, "petsapi");

  test("routes from the document (a plain ARN names a function by FunctionName or logical id) and from events", () => {
    assert.equal(rest.kind, "rest");
    assert.deepEqual(
      rest.routes.map((route) => [
        route.routeKey,
        route.functionName,
        route.payloadFormat,
        route.timeoutMs,
        route.authorizer,
      ]),
      [
        ["GET /pets/{petId}", "PetsFunction", "1.0", 29000, "test-authorizer"],
        ["ANY /{proxy+}", "PetsFunction", "1.0", 29000, "cognito"],
        ["POST /extra", "PetsFunction", "1.0", 29000, undefined],
      ],
    );
    assert.deepEqual(rest.routes[1]?.authorizationScopes, ["email"]);
  });

  test("a TOKEN authorizer reads the scheme's header; Cognito is unserved; the binary media types are read", () => {
    assert.deepEqual(rest.authorizers, [
      {
        name: "test-authorizer",
        type: "lambda",
        functionName: "AuthFunction",
        requestType: "TOKEN",
        payloadFormat: "1.0",
        simpleResponses: false,
        identitySources: ["method.request.header.Authorization"],
        resultTtlSeconds: 60,
        validationExpression: "^x-[a-z]+",
      },
      {
        name: "cognito",
        type: "unserved",
        kind: "COGNITO_USER_POOLS",
        declaredAt: "swagger.json: securityDefinitions.cognito.x-amazon-apigateway-authorizer",
      },
    ]);
    assert.deepEqual(rest.binaryMediaTypes, ["image/png", "application/octet-stream"]);
  });

  test("warnings name the property that points at the file, and the place in the file", () => {
    const lines = warnings.map((warning) => `${warning.key}: ${warning.reason}`);
    assert.ok(
      lines.some((line) =>
        line.startsWith(
          "Resources.PetsApi.Properties.DefinitionUri: swagger.json securityDefinitions.cognito.x-amazon-apigateway-authorizer: `COGNITO_USER_POOLS` authorization is not served",
        ),
      ),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((line) =>
        line.includes(
          'swagger.json paths["/pets/{petId}"].get.security: lists alternative security requirements',
        ),
      ),
      lines.join("\n"),
    );
  });
});

test("AWS::Include: a local file, its intrinsics resolved as CloudFormation does", async () => {
  const dir = project(
    `${HEADER}${fn("HelloFunction")}  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: ./openapi.yaml
`,
    {
      "openapi.yaml": `openapi: "3.0.1"
info: { title: hello, version: "1" }
paths:
  /hello:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri:
          Fn::Sub: arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${HelloFunction.Arn}/invocations
        payloadFormatVersion: "2.0"
`,
    },
  );
  const { project: loaded, warnings } = await loadConfig(dir);
  assert.deepEqual(warnings, []);
  assert.deepEqual(api(loaded.apis, "api").routes, [
    {
      routeKey: "GET /hello",
      method: "GET",
      path: "/hello",
      functionName: "HelloFunction",
      payloadFormat: "2.0",
      timeoutMs: 30000,
    },
  ]);
});

test("an S3 DefinitionUri or include Location is warned about, and the API is served without its routes", async () => {
  const dir = project(
    `${HEADER}${fn("Fn", "      Events:\n        Get:\n          Type: HttpApi\n          Properties:\n            ApiId: !Ref S3Api\n            Path: /a\n            Method: get\n")}  S3Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionUri: s3://my-bucket/openapi.yaml
  IncludedApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform: { Name: AWS::Include, Parameters: { Location: { Bucket: b, Key: api.yaml } } }
`,
  );
  const { project: loaded, warnings } = await loadConfig(dir);
  assert.deepEqual(
    warnings.map((warning) => warning.key),
    [
      "Resources.S3Api.Properties.DefinitionUri",
      "Resources.IncludedApi.Properties.DefinitionBody.Fn::Transform.Parameters.Location",
    ].map((key) => key.replace("Fn::Transform", '["Fn::Transform"]').replace('.["', '["')),
  );
  assert.match(
    warnings[0]?.reason ?? "",
    /an S3 location \(s3:\/\/my-bucket\/openapi\.yaml\) cannot be read locally/,
  );
  assert.match(warnings[1]?.reason ?? "", /s3:\/\/b\/api\.yaml/);
  assert.deepEqual(
    api(loaded.apis, "s3api").routes.map((route) => route.routeKey),
    ["GET /a"],
  );
});

test("errors name the template key and the place in the document", async () => {
  const dir = project(
    `${HEADER}${fn("Fn", "      Events:\n        Clash:\n          Type: HttpApi\n          Properties:\n            ApiId: !Ref Api\n            Path: /items\n            Method: get\n")}  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /items:
            get:
              security: [{ missing: [] }]
              x-amazon-apigateway-integration: { type: aws_proxy, uri: ${SUB_URI("Fn")}, timeoutInMillis: 40000 }
          /pets/{a}:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: ${SUB_URI("Fn")} }
          /pets/{b}:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: ${SUB_URI("Fn")} }
        components:
          securitySchemes:
            lambda:
              type: apiKey
              x-amazon-apigateway-authorizer: { type: request, authorizerUri: ${SUB_URI("Fn")} }
  Missing:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: ./nowhere.yaml
`,
  );
  const error = await configError(dir);
  const lines = error.issues.map((issue) => `${issue.key}: ${issue.reason}`);
  const expected = [
    /^Resources\.Api\.Properties\.DefinitionBody\.components\.securitySchemes\.lambda\.x-amazon-apigateway-authorizer\.authorizerPayloadFormatVersion: is required for an HTTP API Lambda authorizer/,
    /^Resources\.Api\.Properties\.DefinitionBody\.paths\["\/items"\]\.get\.x-amazon-apigateway-integration\.timeoutInMillis: must be a whole number of milliseconds between 50 and 30000, got 40000$/,
    /^Resources\.Api\.Properties\.DefinitionBody\.paths\["\/items"\]\.get\.security\[0\]\.missing: names no security scheme of the document \(known: lambda\)$/,
    /^Resources\.Missing\.Properties\.DefinitionUri: nowhere\.yaml: cannot be read: ENOENT/,
    /^Resources\.Api\.Properties\.DefinitionBody\.paths\["\/pets\/\{b\}"\]\.get: conflicts with route `GET \/pets\/\{a\}`: same method and path shape in API `api`$/,
  ];
  for (const pattern of expected)
    assert.ok(
      lines.some((line) => pattern.test(line)),
      `${pattern}\n${lines.join("\n")}`,
    );
});

test("an event's route that the document already defines is a conflict", async () => {
  const dir = project(
    `${HEADER}${fn("Fn", "      Events:\n        Clash:\n          Type: HttpApi\n          Properties:\n            ApiId: !Ref Api\n            Path: /items\n            Method: get\n")}  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /items:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: ${SUB_URI("Fn")}, payloadFormatVersion: "2.0" }
`,
  );
  const error = await configError(dir);
  assert.deepEqual(
    error.issues.map((issue) => `${issue.key}: ${issue.reason}`),
    ["Resources.Fn.Properties.Events.Clash: duplicates route `GET /items` in API `api`"],
  );
});

test("REST Cors in CloudFormation's quoted string form", async () => {
  const dir = project(
    `${HEADER}${fn("Fn", "      Events:\n        Get:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Star\n            Path: /a\n            Method: get\n        Other:\n          Type: Api\n          Properties:\n            RestApiId: !Ref One\n            Path: /a\n            Method: get\n")}  Star:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
  One:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors:
        AllowOrigin: "'https://app.example.com'"
        AllowMethods: "'GET,POST'"
        AllowHeaders: "'Content-Type,X-Api-Key'"
        MaxAge: "'600'"
        AllowCredentials: "'true'"
`,
  );
  const { project: loaded } = await loadConfig(dir);
  assert.deepEqual(api(loaded.apis, "star").cors?.allowOrigins, ["*"]);
  assert.deepEqual(api(loaded.apis, "one").cors, {
    allowOrigins: ["https://app.example.com"],
    allowMethods: ["GET", "POST"],
    allowHeaders: ["Content-Type", "X-Api-Key"],
    exposeHeaders: [],
    maxAge: 600,
    allowCredentials: true,
  });
});

test("SAM's DefaultAuthorizer guards document routes without their own security, over the document's", async () => {
  const dir = project(
    `${HEADER}${fn("Fn")}  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          Jwt:
            JwtConfiguration: { issuer: "https://issuer.example.com", audience: [api] }
            IdentitySource: $request.header.Authorization
        DefaultAuthorizer: Jwt
      DefinitionBody:
        openapi: "3.0.1"
        security: [{ external: [] }]
        paths:
          /guarded:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: ${SUB_URI("Fn")}, payloadFormatVersion: "2.0" }
          /open:
            get:
              security: []
              x-amazon-apigateway-integration: { type: aws_proxy, uri: ${SUB_URI("Fn")}, payloadFormatVersion: "2.0" }
          /external:
            get:
              security: [{ external: [] }]
              x-amazon-apigateway-integration: { type: aws_proxy, uri: ${SUB_URI("Fn")}, payloadFormatVersion: "2.0" }
        components:
          securitySchemes:
            external:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authorizer:
                type: request
                authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shared-authorizer/invocations
                authorizerPayloadFormatVersion: "2.0"
`,
  );
  const { project: loaded, warnings } = await loadConfig(dir);
  const httpApi = api(loaded.apis, "api");
  assert.deepEqual(
    httpApi.routes.map((route) => [route.routeKey, route.authorizer]),
    [
      ["GET /guarded", "Jwt"],
      ["GET /open", undefined],
      ["GET /external", "external"],
    ],
  );
  // An authorizer function outside the template cannot run here: refused, never open.
  assert.deepEqual(
    httpApi.authorizers?.find((authorizer) => authorizer.name === "external"),
    {
      name: "external",
      type: "unserved",
      kind: "Lambda authorizer",
      declaredAt:
        "template.yaml: Resources.Api.Properties.DefinitionBody.components.securitySchemes.external.x-amazon-apigateway-authorizer.authorizerUri",
    },
  );
  assert.deepEqual(
    warnings.map((warning) => warning.reason),
    [
      "`Lambda authorizer` authorization is not served (function `shared-authorizer` is not an AWS::Serverless::Function of this template): the routes it guards answer as API Gateway answers a caller without credentials",
    ],
  );
});

test("CorsConfiguration's fields replace those of the document's x-amazon-apigateway-cors, the rest are kept", async () => {
  const dir = project(
    `${HEADER}${fn("Fn")}  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowMethods: [GET]
        MaxAge: 60
      DefinitionBody:
        openapi: "3.0.1"
        x-amazon-apigateway-cors:
          allowOrigins: ["https://app.example.com"]
          allowMethods: [GET, POST, DELETE]
          maxAge: 300
        paths: {}
`,
  );
  const { project: loaded } = await loadConfig(dir);
  assert.deepEqual(api(loaded.apis, "api").cors, {
    allowOrigins: ["https://app.example.com"],
    allowMethods: ["GET"],
    allowHeaders: [],
    exposeHeaders: [],
    maxAge: 60,
    allowCredentials: false,
  });
});
