/**
 * SAM `Auth` end to end through `portico dev` (test/fixtures/projects/sam-auth, from the SAM Developer Guide's
 * Lambda authorizer examples): a REST API's default TOKEN authorizer with a ValidationExpression, a REQUEST
 * authorizer on one route, NONE and AWS_IAM; an HTTP API's REQUEST authorizer with simple responses.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send, type TestRequest } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

let portico: PorticoProcess;
let port: number;

before(async () => {
  ({ portico, port } = await startDev(join(fixturesDir, "projects", "sam-auth")));
});
after(() => portico.stop());

const rest = (path: string, headers: Record<string, string> = {}) =>
  send({ port, path: `/Prod${path}`, headers: { host: `myapi.localhost:${port}`, ...headers } });
const http = (request: Omit<TestRequest, "port">) =>
  send({ port, ...request, headers: { host: `myhttpapi.localhost:${port}`, ...request.headers } });

describe("REST API", () => {
  test("the default TOKEN authorizer: a policy that allows passes, with principalId and context", async () => {
    const response = await rest("/token", { authorization: "Bearer allow" });
    assert.equal(response.status, 200, response.text);
    const { authorizer } = response.json() as { authorizer: Record<string, unknown> };
    assert.equal(authorizer.principalId, "user-1");
    assert.equal(authorizer.kind, "policy");
    assert.equal(authorizer.tier, 2);
    assert.equal(typeof authorizer.integrationLatency, "number");
  });

  test("no token, or one the ValidationExpression refuses: 401 UnauthorizedException", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Basic allow" }];
    for (const headers of attempts) {
      const response = await rest("/token", headers);
      assert.equal(response.status, 401);
      assert.equal(response.text, '{"message":"Unauthorized"}');
      assert.equal(response.headers["x-amzn-errortype"], "UnauthorizedException");
    }
  });

  test("an explicit Deny is 403 with REST's wording; an authorizer failing with 'Unauthorized' is 401", async () => {
    const denied = await rest("/token", { authorization: "Bearer deny" });
    assert.equal(denied.status, 403);
    assert.equal(
      denied.text,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
    assert.equal(denied.headers["x-amzn-errortype"], "AccessDeniedException");
    const failed = await rest("/token", { authorization: "Bearer fail" });
    assert.equal(failed.status, 401);
  });

  test("a route's own REQUEST authorizer reads its query string identity source", async () => {
    assert.equal((await rest("/request?auth=allow")).status, 200);
    assert.equal((await rest("/request?auth=nope")).status, 403);
    assert.equal((await rest("/request")).status, 401);
  });

  test("NONE is open; AWS_IAM answers as to an unsigned request, and start-up said why", async () => {
    assert.equal((await rest("/public")).status, 200);
    const iam = await rest("/iam", { authorization: "Bearer allow" });
    assert.equal(iam.status, 403);
    assert.equal(iam.text, '{"message":"Missing Authentication Token"}');
    assert.match(portico.output, /warning: template\.yaml: .*AWS_IAM.*/);
    assert.match(portico.output, /GET \/token +-> MyFunction {2}\(authorizer MyLambdaTokenAuthorizer\)\n/);
  });
});

describe("HTTP API", () => {
  test("a REQUEST authorizer with simple responses: allowed with its context, denied 403, missing 401", async () => {
    const allowed = await http({ path: "/orders", headers: { "x-api-key": "allow" } });
    assert.equal(allowed.status, 200, allowed.text);
    assert.deepEqual(allowed.json(), { authorizer: { lambda: { kind: "simple" } } });
    const denied = await http({ path: "/orders", headers: { "x-api-key": "nope" } });
    assert.equal(denied.status, 403);
    assert.equal(denied.text, '{"message":"Forbidden"}');
    assert.equal((await http({ path: "/orders" })).status, 401);
  });
});
