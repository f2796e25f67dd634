/**
 * Authorizers made through the API Gateway v2 API with the real AWS CLI against `portico up`: a JWT authorizer
 * whose issuer is a local OpenID server with a key made here, a route guarded by it with a scope, and real
 * requests through the gateway without a token (401), with one lacking the scope (403) and with a valid one (200);
 * an AWS_IAM route, which is never served open; and a Lambda REQUEST authorizer guarding a CUSTOM route. The
 * stage's access-log format comes from create-stage's access-log settings.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { awsCli, awsCliMissing } from "../helpers/aws-cli.js";
import { send } from "../helpers/http-client.js";
import { startServer } from "../helpers/portico-process.js";
import { rawZip } from "../helpers/zip-bytes.js";

const ROLE = "arn:aws:iam::123456789012:role/portico-test";
const KID = "test-key";

/** Answers with the subject and scopes of the JWT the gateway verified. */
const ECHO_ZIP = rawZip([
  {
    name: "index.js",
    data: `exports.handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ sub: event.requestContext.authorizer?.jwt?.claims?.sub ?? null }),
});
`,
  },
]);

/** A simple-response Lambda authorizer: lets in callers whose Authorization header is `let-me-in`. */
const GATE_ZIP = rawZip([
  {
    name: "index.js",
    data: `exports.handler = async (event) => ({ isAuthorized: event.headers.authorization === "let-me-in" });
`,
  },
]);

/** A minimal OpenID issuer on 127.0.0.1: its discovery document and one key. */
function issuerServer(keys: JWK[]): Server {
  return createServer((request, response) => {
    const url = `http://127.0.0.1:${(request.socket.localPort as number).toString()}`;
    response.setHeader("content-type", "application/json");
    if (request.url === "/.well-known/openid-configuration") {
      response.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks.json` }));
    } else if (request.url === "/jwks.json") {
      response.end(JSON.stringify({ keys }));
    } else {
      response.statusCode = 404;
      response.end("{}");
    }
  });
}

describe("portico up: v2 authorizers made with the AWS CLI", {
  timeout: 120_000,
  skip: awsCliMissing(),
}, () => {
  let work: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let issuer: Server;
  let issuerUrl: string;
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let endpoint: string;
  const cli = (args: string[]) => awsCli(work, endpoint, args).then((out) => JSON.parse(out || "{}"));

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "portico-aws-authorizers-"));
    keys = await generateKeyPair("RS256");
    issuer = issuerServer([{ ...(await exportJWK(keys.publicKey)), kid: KID, alg: "RS256", use: "sig" }]);
    await new Promise<void>((resolve) => issuer.listen(0, "127.0.0.1", resolve));
    issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
    server = await startServer(join(work, "data"));
    endpoint = `http://127.0.0.1:${server.adminPort}`;
  });
  after(async () => {
    await server?.portico.stop();
    await new Promise((resolve) => issuer?.close(resolve));
    await rm(work, { recursive: true, force: true });
  });

  const token = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: KID })
      .setIssuer(issuerUrl)
      .setAudience("shop")
      .setSubject("user-42")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(keys.privateKey);
  const call = (authorization?: string) =>
    send({
      port: server.port,
      path: "/me",
      headers: {
        host: `guarded.localhost:${server.port}`,
        ...(authorization === undefined ? {} : { authorization }),
      },
    });

  test("create-authorizer, create-route --authorization-type JWT: the gateway answers 401, 403, then 200", async () => {
    const zipFile = join(work, "echo.zip");
    await writeFile(zipFile, ECHO_ZIP);
    const fn = await cli([
      "lambda",
      "create-function",
      "--function-name",
      "echo",
      "--runtime",
      "nodejs20.x",
      "--handler",
      "index.handler",
      "--role",
      ROLE,
      "--zip-file",
      `fileb://${zipFile}`,
    ]);
    const api = await cli(["apigatewayv2", "create-api", "--name", "guarded", "--protocol-type", "HTTP"]);
    const apiId = api.ApiId as string;
    const integration = await cli([
      "apigatewayv2",
      "create-integration",
      "--api-id",
      apiId,
      "--integration-type",
      "AWS_PROXY",
      "--integration-uri",
      fn.FunctionArn,
      "--payload-format-version",
      "2.0",
    ]);
    const authorizer = await cli([
      "apigatewayv2",
      "create-authorizer",
      "--api-id",
      apiId,
      "--authorizer-type",
      "JWT",
      "--identity-source",
      "$request.header.Authorization",
      "--name",
      "users",
      "--jwt-configuration",
      `Audience=shop,Issuer=${issuerUrl}`,
    ]);
    assert.deepEqual(authorizer, {
      AuthorizerId: authorizer.AuthorizerId,
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: { Audience: ["shop"], Issuer: issuerUrl },
      Name: "users",
    });
    assert.match(authorizer.AuthorizerId, /^[a-z0-9]{6}$/);
    const route = await cli([
      "apigatewayv2",
      "create-route",
      "--api-id",
      apiId,
      "--route-key",
      "GET /me",
      "--target",
      `integrations/${integration.IntegrationId}`,
      "--authorization-type",
      "JWT",
      "--authorizer-id",
      authorizer.AuthorizerId,
      "--authorization-scopes",
      "items:read",
    ]);
    assert.equal(route.AuthorizationType, "JWT");
    assert.equal(route.AuthorizerId, authorizer.AuthorizerId);
    assert.deepEqual(route.AuthorizationScopes, ["items:read"]);
    await cli([
      "apigatewayv2",
      "create-stage",
      "--api-id",
      apiId,
      "--stage-name",
      "$default",
      "--auto-deploy",
      "--access-log-settings",
      JSON.stringify({
        DestinationArn: "arn:aws:logs:us-east-1:123456789012:log-group:guarded",
        Format: "ACCESS $context.requestId $context.status $context.routeKey",
      }),
    ]);

    const missing = await call();
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json(), { message: "Unauthorized" });
    const unscoped = await call(`Bearer ${await token({ scope: "items:write" })}`);
    assert.equal(unscoped.status, 403);
    assert.deepEqual(unscoped.json(), { message: "Forbidden" });
    const allowed = await call(`Bearer ${await token({ scope: "items:read" })}`);
    assert.equal(allowed.status, 200);
    assert.deepEqual(allowed.json(), { sub: "user-42" });
    // The stage's access-log format, as create-stage set it, on up's stdout.
    for (const status of [401, 403, 200])
      await server.portico.waitFor(new RegExp(`^ACCESS \\S+ ${status} GET /me$`, "m"));

    const got = await cli(["apigatewayv2", "get-route", "--api-id", apiId, "--route-id", route.RouteId]);
    assert.equal(got.AuthorizationType, "JWT");
    const listed = await cli(["apigatewayv2", "get-authorizers", "--api-id", apiId]);
    assert.deepEqual(
      listed.Items.map((item: { Name: string }) => item.Name),
      ["users"],
    );
    await assert.rejects(
      cli([
        "apigatewayv2",
        "delete-authorizer",
        "--api-id",
        apiId,
        "--authorizer-id",
        authorizer.AuthorizerId,
      ]),
      (error: { stderr?: string }) => {
        assert.match(
          error.stderr ?? "",
          /\(ConflictException\) when calling the DeleteAuthorizer operation: Cannot delete authorizer 'users', is referenced in route: GET \/me/,
        );
        return true;
      },
    );

    // Opened again with update-route: the next auto-deployment serves the route without asking the authorizer.
    await cli([
      "apigatewayv2",
      "update-route",
      "--api-id",
      apiId,
      "--route-id",
      route.RouteId,
      "--authorization-type",
      "NONE",
    ]);
    const open = await call();
    assert.equal(open.status, 200);
    assert.deepEqual(open.json(), { sub: null });
    await cli([
      "apigatewayv2",
      "delete-authorizer",
      "--api-id",
      apiId,
      "--authorizer-id",
      authorizer.AuthorizerId,
    ]);

    // AWS_IAM: Portico does not verify IAM signatures, so the route is never served open.
    await cli([
      "apigatewayv2",
      "create-route",
      "--api-id",
      apiId,
      "--route-key",
      "GET /iam",
      "--target",
      `integrations/${integration.IntegrationId}`,
      "--authorization-type",
      "AWS_IAM",
    ]);
    const iam = await send({
      port: server.port,
      path: "/iam",
      headers: { host: `guarded.localhost:${server.port}`, authorization: `Bearer ${await token({})}` },
    });
    assert.equal(iam.status, 403);
    assert.deepEqual(iam.json(), { message: "Forbidden" });
  });

  test("a REQUEST authorizer named by its invocation URI guards a CUSTOM route", async () => {
    const zipFile = join(work, "gate.zip");
    await writeFile(zipFile, GATE_ZIP);
    const gate = await cli([
      "lambda",
      "create-function",
      "--function-name",
      "gate",
      "--runtime",
      "nodejs20.x",
      "--handler",
      "index.handler",
      "--role",
      ROLE,
      "--zip-file",
      `fileb://${zipFile}`,
    ]);
    const apis = await cli(["apigatewayv2", "get-apis"]);
    const apiId = apis.Items.find((item: { Name: string }) => item.Name === "guarded").ApiId as string;
    const integrations = await cli(["apigatewayv2", "get-integrations", "--api-id", apiId]);
    const authorizerUri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${gate.FunctionArn}/invocations`;
    const authorizer = await cli([
      "apigatewayv2",
      "create-authorizer",
      "--api-id",
      apiId,
      "--authorizer-type",
      "REQUEST",
      "--name",
      "gate",
      "--authorizer-uri",
      authorizerUri,
      "--authorizer-payload-format-version",
      "2.0",
      "--enable-simple-responses",
      "--identity-source",
      "$request.header.Authorization",
    ]);
    assert.equal(authorizer.AuthorizerUri, authorizerUri);
    assert.equal(authorizer.AuthorizerResultTtlInSeconds, 0);
    await cli([
      "apigatewayv2",
      "create-route",
      "--api-id",
      apiId,
      "--route-key",
      "GET /custom",
      "--target",
      `integrations/${integrations.Items[0].IntegrationId}`,
      "--authorization-type",
      "CUSTOM",
      "--authorizer-id",
      authorizer.AuthorizerId,
    ]);
    const custom = (authorization?: string) =>
      send({
        port: server.port,
        path: "/custom",
        headers: {
          host: `guarded.localhost:${server.port}`,
          ...(authorization === undefined ? {} : { authorization }),
        },
      });
    assert.equal((await custom()).status, 401, "no identity source: the authorizer is not asked");
    const denied = await custom("let-me-out");
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json(), { message: "Forbidden" });
    const allowed = await custom("let-me-in");
    assert.equal(allowed.status, 200);
  });
});
