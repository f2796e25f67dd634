/** Reading a Lambda authorizer's answer and matching its IAM policy against request ARNs, as API Gateway does. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type AuthorizerDecision, evaluatePolicy, readAuthorizerResponse } from "../../../src/aws/index.js";
import { readAwsFixture } from "../../helpers/aws-fixtures.js";

const ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/items/7";

function read(response: unknown, options = { simpleResponses: false, restRules: false }) {
  return readAuthorizerResponse(Buffer.from(JSON.stringify(response)), options);
}

function policy(...statements: object[]): object {
  return { principalId: "me", policyDocument: { Version: "2012-10-17", Statement: statements } };
}

function decision(
  response: unknown,
  options?: { simpleResponses: boolean; restRules: boolean },
): AuthorizerDecision {
  const result = read(response, options);
  assert.ok(result.ok, result.ok ? "" : result.reason);
  return result.decision;
}

function verdict(response: unknown, arn = ARN): string {
  const read = decision(response);
  assert.equal(read.kind, "policy");
  return read.kind === "policy" ? evaluatePolicy(read.statements, arn) : "";
}

test("the captured simple response is read with its context", () => {
  const simple = decision(readAwsFixture("authorizer/authorizer-v2-simple-response.json"), {
    simpleResponses: true,
    restRules: false,
  });
  assert.deepEqual(simple, { kind: "simple", allowed: true, context: { exampleKey: "exampleValue" } });
});

test("the captured IAM policy response: its ARN template matches no real ARN, so nothing is allowed", () => {
  const response = readAwsFixture("authorizer/authorizer-iam-policy-response.json");
  assert.equal(verdict(response), "no-allow");
  assert.deepEqual(decision(response).context, { exampleKey: "exampleValue" });
});

test("wildcards: * spans any characters (slashes too), ? one character", () => {
  const allow = (resource: string) =>
    policy({ Effect: "Allow", Action: "execute-api:Invoke", Resource: resource });
  assert.equal(verdict(allow("arn:aws:execute-api:*:*:abcdef1234/*")), "allow");
  assert.equal(
    verdict(allow("arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/items/?")),
    "allow",
  );
  assert.equal(
    verdict(allow("arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/POST/*")),
    "no-allow",
  );
  assert.equal(
    verdict(allow("arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/items")),
    "no-allow",
  );
  // Regular-expression characters in a resource are literal.
  assert.equal(
    verdict(allow("arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/items/.")),
    "no-allow",
  );
});

test("an explicit Deny wins over any Allow; statements on other actions are ignored", () => {
  const both = policy(
    { Effect: "Allow", Action: ["execute-api:Invoke"], Resource: ["*"] },
    { Effect: "Deny", Action: "execute-api:*", Resource: "arn:aws:execute-api:*:*:*/prod/GET/items/*" },
  );
  assert.equal(verdict(both), "explicit-deny");
  const otherAction = policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
  assert.equal(verdict(otherAction), "no-allow");
  const single = {
    principalId: "me",
    policyDocument: { Statement: { Effect: "Allow", Action: "*", Resource: "*" } },
  };
  assert.equal(verdict(single), "allow");
});

test("responses API Gateway cannot read are refused with a reason", () => {
  const refused = (payload: string, options = { simpleResponses: false, restRules: false }) => {
    const result = readAuthorizerResponse(Buffer.from(payload), options);
    assert.equal(result.ok, false, payload);
    return result.ok ? "" : result.reason;
  };
  assert.match(refused("not json"), /not JSON/);
  assert.match(refused('"Allow"'), /not a JSON object/);
  assert.match(refused("{}"), /policyDocument/);
  assert.match(
    refused('{"isAuthorized":"yes"}', { simpleResponses: true, restRules: false }),
    /isAuthorized/,
  );
  assert.match(
    refused(JSON.stringify({ policyDocument: { Statement: [] } }), {
      simpleResponses: false,
      restRules: true,
    }),
    /principalId/,
  );
  const nested = JSON.stringify({
    ...policy({ Effect: "Allow", Action: "*", Resource: "*" }),
    context: { user: { id: 1 } },
  });
  assert.match(refused(nested, { simpleResponses: false, restRules: true }), /context\.user/);
  assert.match(refused(JSON.stringify(policy({ Effect: "Maybe", Action: "*", Resource: "*" }))), /Effect/);
});
