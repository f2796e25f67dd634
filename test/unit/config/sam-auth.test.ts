/**
 * SAM `Auth` on HttpApi and Api resources (and Globals), and events' `Auth`, → the model's authorizers and each
 * route's authorizer and scopes. The templates follow the SAM developer guide's Auth examples.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/index.js";
import type { ApiSpec } from "../../../src/model/index.js";
import { configError } from "../../helpers/config-error.js";

const scratch = mkdtempSync(join(tmpdir(), "portico-sam-auth-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;

function project(template: string): string {
  const dir = join(scratch, `p${++projects}`);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "app.py"), "");
  writeFileSync(join(dir, "template.yaml"), template);
  return dir;
}

const FUNCTION = `    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
`;

/** `[routeKey, authorizer, scopes]` for each route. */
function guards(api: ApiSpec | undefined): [string, string | undefined, readonly string[] | undefined][] {
  return (api?.routes ?? []).map((route) => [route.routeKey, route.authorizer, route.authorizationScopes]);
}

describe("HttpApi: an OAuth 2.0/JWT authorizer as the default, NONE and per-event scopes", async () => {
  const dir = project(`Transform: AWS::Serverless-2016-10-31
Resources:
  MyApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          MyOauth2Authorizer:
            AuthorizationScopes:
              - scope4
            JwtConfiguration:
              issuer: "https://www.example.com/v1/connect/oauth2"
              audience:
                - MyApi
            IdentitySource: "$request.querystring.param"
        DefaultAuthorizer: MyOauth2Authorizer
  MyFunction:
${FUNCTION}      Events:
        Default:
          Type: HttpApi
          Properties: { ApiId: !Ref MyApi, Path: /default, Method: get }
        Scoped:
          Type: HttpApi
          Properties:
            ApiId: !Ref MyApi
            Path: /scoped
            Method: get
            Auth:
              Authorizer: MyOauth2Authorizer
              AuthorizationScopes: [scope1, scope2]
        Open:
          Type: HttpApi
          Properties: { ApiId: !Ref MyApi, Path: /open, Method: get, Auth: { Authorizer: NONE } }
        Preflight:
          Type: HttpApi
          Properties: { ApiId: !Ref MyApi, Path: /default, Method: options }
`);
  const { project: loaded, warnings } = await loadConfig(dir);
  const api = loaded.apis[0];

  test("the JWT authorizer, its keys taken in lower case as SAM writes them", () => {
    assert.deepEqual(api?.authorizers, [
      {
        name: "MyOauth2Authorizer",
        type: "jwt",
        identitySource: "$request.querystring.param",
        issuer: "https://www.example.com/v1/connect/oauth2",
        audience: ["MyApi"],
      },
    ]);
    assert.deepEqual(warnings, []);
  });

  test("routes: the default with its scopes, the event's scopes instead, NONE open, OPTIONS not guarded", () => {
    assert.deepEqual(guards(api), [
      ["GET /default", "MyOauth2Authorizer", ["scope4"]],
      ["GET /scoped", "MyOauth2Authorizer", ["scope1", "scope2"]],
      ["GET /open", undefined, undefined],
      ["OPTIONS /default", undefined, undefined],
    ]);
  });
});

test("HttpApi: a Lambda authorizer from Globals on the implicit API, with Identity and simple responses", async () => {
  const dir = project(`Transform: AWS::Serverless-2016-10-31
Globals:
  HttpApi:
    Auth:
      Authorizers:
        MyLambdaAuthorizer:
          AuthorizerPayloadFormatVersion: 2.0
          EnableSimpleResponses: true
          FunctionArn: !GetAtt MyAuthFunction.Arn
          FunctionInvokeRole: !GetAtt MyAuthFunctionRole.Arn
          Identity:
            Headers:
              - Authorization
            QueryStrings: [user]
            Context: [routeKey]
            StageVariables: [tenant]
            ReauthorizeEvery: 60
        NoIdentity:
          AuthorizerPayloadFormatVersion: "1.0"
          FunctionArn: !GetAtt MyAuthFunction.Arn
      DefaultAuthorizer: MyLambdaAuthorizer
Resources:
  MyAuthFunction:
${FUNCTION}  MyFunction:
${FUNCTION}      Events:
        Get:
          Type: HttpApi
          Properties: { Path: /items, Method: get }
        Other:
          Type: HttpApi
          Properties: { Path: /other, Method: get, Auth: { Authorizer: NoIdentity } }
`);
  const { project: loaded, warnings } = await loadConfig(dir);
  assert.deepEqual(warnings, []);
  const api = loaded.apis[0];
  assert.equal(api?.name, "serverlesshttpapi");
  assert.deepEqual(api?.authorizers, [
    {
      name: "MyLambdaAuthorizer",
      type: "lambda",
      functionName: "MyAuthFunction",
      requestType: "REQUEST",
      payloadFormat: "2.0",
      simpleResponses: true,
      identitySources: [
        "$request.header.Authorization",
        "$request.querystring.user",
        "$stageVariables.tenant",
        "$context.routeKey",
      ],
      resultTtlSeconds: 60,
    },
    // Without Identity, nothing identifies the caller and nothing is cached.
    {
      name: "NoIdentity",
      type: "lambda",
      functionName: "MyAuthFunction",
      requestType: "REQUEST",
      payloadFormat: "1.0",
      simpleResponses: false,
      identitySources: [],
      resultTtlSeconds: 0,
    },
  ]);
  assert.deepEqual(guards(api), [
    ["GET /items", "MyLambdaAuthorizer", undefined],
    ["GET /other", "NoIdentity", undefined],
  ]);
});

describe("Api (REST): Lambda TOKEN and REQUEST authorizers, Cognito, AWS_IAM and API keys", async () => {
  const dir = project(`Transform: AWS::Serverless-2016-10-31
Resources:
  MyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      Auth:
        DefaultAuthorizer: MyLambdaTokenAuthorizer
        Authorizers:
          MyLambdaTokenAuthorizer:
            FunctionArn: !GetAtt MyAuthFunction.Arn
            Identity:
              Header: MyCustomAuthHeader
              ValidationExpression: Bearer.*
              ReauthorizeEvery: 30
          MyDefaultTokenAuthorizer:
            FunctionArn: !GetAtt MyAuthFunction.Arn
          MyLambdaRequestAuthorizer:
            FunctionPayloadType: REQUEST
            FunctionArn: !GetAtt MyAuthFunction.Arn
            Identity:
              Headers: [Authorization1]
              QueryStrings: [Authorization2]
              StageVariables: [Authorization3]
              Context: [Authorization4]
          MyCognitoAuth:
            UserPoolArn: !GetAtt MyCognitoUserPool.Arn
            AuthorizationScopes: [email]
  MyAuthFunction:
${FUNCTION}  MyFunction:
${FUNCTION}      Events:
        Token:
          Type: Api
          Properties: { RestApiId: !Ref MyApi, Path: /token, Method: get }
        DefaultToken:
          Type: Api
          Properties: { RestApiId: !Ref MyApi, Path: /default-token, Method: get, Auth: { Authorizer: MyDefaultTokenAuthorizer } }
        Request:
          Type: Api
          Properties: { RestApiId: !Ref MyApi, Path: /request, Method: get, Auth: { Authorizer: MyLambdaRequestAuthorizer } }
        Cognito:
          Type: Api
          Properties: { RestApiId: !Ref MyApi, Path: /cognito, Method: get, Auth: { Authorizer: MyCognitoAuth } }
        Iam:
          Type: Api
          Properties: { RestApiId: !Ref MyApi, Path: /iam, Method: get, Auth: { Authorizer: AWS_IAM } }
        Keyed:
          Type: Api
          Properties: { RestApiId: !Ref MyApi, Path: /keyed, Method: get, Auth: { Authorizer: NONE, ApiKeyRequired: true } }
        Preflight:
          Type: Api
          Properties: { RestApiId: !Ref MyApi, Path: /token, Method: options }
`);
  const { project: loaded, warnings } = await loadConfig(dir);
  const api = loaded.apis[0];

  test("Lambda authorizers get REST's defaults: TOKEN, payload 1.0, the Authorization header, a 300 s cache", () => {
    const lambdas = api?.authorizers?.filter((authorizer) => authorizer.type === "lambda");
    assert.deepEqual(lambdas, [
      {
        name: "MyLambdaTokenAuthorizer",
        type: "lambda",
        functionName: "MyAuthFunction",
        requestType: "TOKEN",
        payloadFormat: "1.0",
        simpleResponses: false,
        identitySources: ["method.request.header.MyCustomAuthHeader"],
        resultTtlSeconds: 30,
        validationExpression: "Bearer.*",
      },
      {
        name: "MyDefaultTokenAuthorizer",
        type: "lambda",
        functionName: "MyAuthFunction",
        requestType: "TOKEN",
        payloadFormat: "1.0",
        simpleResponses: false,
        identitySources: ["method.request.header.Authorization"],
        resultTtlSeconds: 300,
      },
      {
        name: "MyLambdaRequestAuthorizer",
        type: "lambda",
        functionName: "MyAuthFunction",
        requestType: "REQUEST",
        payloadFormat: "1.0",
        simpleResponses: false,
        identitySources: [
          "method.request.header.Authorization1",
          "method.request.querystring.Authorization2",
          "stageVariables.Authorization3",
          "context.Authorization4",
        ],
        resultTtlSeconds: 300,
      },
    ]);
  });

  test("Cognito and AWS_IAM are unserved, each with where it was declared", () => {
    const unserved = api?.authorizers?.filter((authorizer) => authorizer.type === "unserved");
    assert.deepEqual(unserved, [
      {
        name: "MyCognitoAuth",
        type: "unserved",
        kind: "COGNITO_USER_POOLS",
        declaredAt: "template.yaml: Resources.MyApi.Properties.Auth.Authorizers.MyCognitoAuth.UserPoolArn",
      },
      {
        name: "AWS_IAM",
        type: "unserved",
        kind: "AWS_IAM",
        declaredAt: "template.yaml: Resources.MyFunction.Properties.Events.Iam.Properties.Auth.Authorizer",
      },
    ]);
  });

  test("routes: the default, each event's own (with the authorizer's scopes), and OPTIONS guarded too", () => {
    assert.deepEqual(guards(api), [
      ["GET /token", "MyLambdaTokenAuthorizer", undefined],
      ["GET /default-token", "MyDefaultTokenAuthorizer", undefined],
      ["GET /request", "MyLambdaRequestAuthorizer", undefined],
      ["GET /cognito", "MyCognitoAuth", ["email"]],
      ["GET /iam", "AWS_IAM", undefined],
      ["GET /keyed", undefined, undefined],
      // REST's AddDefaultAuthorizerToCorsPreflight is true unless the template says otherwise.
      ["OPTIONS /token", "MyLambdaTokenAuthorizer", undefined],
    ]);
  });

  test("one warning for each thing not enforced: the Cognito pool, IAM, the API key", () => {
    assert.deepEqual(
      warnings.map((warning) => warning.key),
      [
        "Resources.MyApi.Properties.Auth.Authorizers.MyCognitoAuth.UserPoolArn",
        "Resources.MyFunction.Properties.Events.Iam.Properties.Auth.Authorizer",
        "Resources.MyFunction.Properties.Events.Keyed.Properties.Auth.ApiKeyRequired",
      ],
    );
    assert.match(
      warnings[0]?.reason ?? "",
      /^`COGNITO_USER_POOLS` authorization is not served \(Portico cannot check Cognito user pool tokens locally\): the routes it guards answer as API Gateway answers a caller without credentials$/,
    );
    assert.match(warnings[1]?.reason ?? "", /^`AWS_IAM` authorization is not served/);
    assert.match(warnings[2]?.reason ?? "", /^API keys are not checked locally/);
  });
});

test("Auth mistakes are errors naming the key", async () => {
  const dir = project(`Transform: AWS::Serverless-2016-10-31
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Missing
        Authorizers:
          NoFormat:
            FunctionArn: !GetAtt Fn.Arn
          Neither:
            IdentitySource: $request.header.Authorization
          Cached:
            AuthorizerPayloadFormatVersion: "2.0"
            FunctionArn: !GetAtt Fn.Arn
            EnableSimpleResponses: "yes"
            Identity: { ReauthorizeEvery: 300 }
  RestApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthoriser: Odd
        Authorizers:
          Odd:
            FunctionArn: !GetAtt Fn.Arn
            FunctionPayloadType: BODY
          Typo:
            FunctionArn: !GetAtt Fn.Arn
            Identity: { Header: Auth }
            Identiy: { Header: Auth }
  Fn:
${FUNCTION}      Events:
        Get:
          Type: HttpApi
          Properties: { ApiId: !Ref HttpApi, Path: /a, Method: get, Auth: { Authorizer: Unknown } }
`);
  const error = await configError(dir);
  const lines = error.issues.map((issue) => `${issue.key}: ${issue.reason}`);
  const expected = [
    /^Resources\.HttpApi\.Properties\.Auth\.DefaultAuthorizer: names no authorizer of the API \(known: NoFormat, Neither, Cached\); use one of its Auth\.Authorizers, NONE or AWS_IAM$/,
    /^Resources\.HttpApi\.Properties\.Auth\.Authorizers\.NoFormat\.AuthorizerPayloadFormatVersion: is required for an HTTP API Lambda authorizer/,
    /^Resources\.HttpApi\.Properties\.Auth\.Authorizers\.Neither: must have JwtConfiguration \(a JWT authorizer\) or FunctionArn \(a Lambda authorizer\)$/,
    /^Resources\.HttpApi\.Properties\.Auth\.Authorizers\.Cached\.EnableSimpleResponses: must be true or false, got "yes"$/,
    /^Resources\.HttpApi\.Properties\.Auth\.Authorizers\.Cached\.Identity: is required when results are cached \(a TTL of 300 s\)/,
    /^Resources\.RestApi\.Properties\.Auth\.Authorizers\.Odd\.FunctionPayloadType: must be TOKEN or REQUEST, got "BODY"$/,
    /^Resources\.Fn\.Properties\.Events\.Get\.Properties\.Auth\.Authorizer: names no authorizer of the API/,
  ];
  const hinted = error.issues.map((issue) => `${issue.key}: ${issue.reason} (${issue.hint})`);
  assert.ok(
    hinted.includes(
      "Resources.RestApi.Properties.Auth.DefaultAuthoriser: unknown key (did you mean `DefaultAuthorizer`?)",
    ),
    hinted.join("\n"),
  );
  assert.ok(
    hinted.includes(
      "Resources.RestApi.Properties.Auth.Authorizers.Typo.Identiy: unknown key (did you mean `Identity`?)",
    ),
    hinted.join("\n"),
  );
  for (const pattern of expected) {
    assert.ok(
      lines.some((line) => pattern.test(line)),
      `${pattern}\n${lines.join("\n")}`,
    );
  }
});

test("a JWT authorizer whose issuer or audience is known only once deployed (a Cognito pool of the stack) is unserved", async () => {
  const dir = project(`Transform: AWS::Serverless-2016-10-31
Resources:
  MyApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          GeneralAuth:
            AuthorizationScopes: [email]
            IdentitySource: $request.header.Authorization
            JwtConfiguration:
              issuer: !Sub https://cognito-idp.\${AWS::Region}.amazonaws.com/\${UserPool}
              audience:
                - !Ref UserPoolClient
        DefaultAuthorizer: GeneralAuth
  Fn:
${FUNCTION}      Events:
        Get:
          Type: HttpApi
          Properties: { ApiId: !Ref MyApi, Path: /a, Method: get }
`);
  const { project: loaded, warnings } = await loadConfig(dir);
  const api = loaded.apis[0];
  assert.deepEqual(api?.authorizers, [
    {
      name: "GeneralAuth",
      type: "unserved",
      kind: "JWT",
      declaredAt: "template.yaml: Resources.MyApi.Properties.Auth.Authorizers.GeneralAuth.JwtConfiguration",
    },
  ]);
  assert.deepEqual(guards(api), [["GET /a", "GeneralAuth", ["email"]]]);
  assert.deepEqual(
    warnings.map((warning) => `${warning.key}: ${warning.reason}`),
    [
      "Resources.MyApi.Properties.Auth.Authorizers.GeneralAuth.JwtConfiguration: `JWT` authorization is not served (its issuer `Fn::Sub`, which Portico cannot resolve locally): the routes it guards answer as API Gateway answers a caller without credentials",
    ],
  );
});
