/** Which function an API Gateway integration or authorizer URI invokes, in the forms templates write it. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { lambdaTarget } from "../../../src/config/lambda-uri.js";

// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's !Sub syntax, not a template
test("!Sub with ${Fn.Arn}, as the API Gateway and SAM docs write integration URIs", () => {
  const uri = {
    "Fn::Sub":
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's !Sub syntax, not a template
      "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ItemsFunction.Arn}/invocations",
  };
  assert.deepEqual(lambdaTarget(uri), { kind: "resource", logicalId: "ItemsFunction" });
});

test("!Sub's long form with the ARN as a variable (what SAM generates for authorizers)", () => {
  const uri = {
    "Fn::Sub": [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's !Sub syntax, not a template
      "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations",
      { __FunctionArn__: { "Fn::GetAtt": ["AuthFunction", "Arn"] } },
    ],
  };
  assert.deepEqual(lambdaTarget(uri), { kind: "resource", logicalId: "AuthFunction" });
});

test("!GetAtt in list and dotted forms, and a Ref", () => {
  assert.deepEqual(lambdaTarget({ "Fn::GetAtt": ["Fn", "Arn"] }), { kind: "resource", logicalId: "Fn" });
  assert.deepEqual(lambdaTarget({ "Fn::GetAtt": "Fn.Arn" }), { kind: "resource", logicalId: "Fn" });
  assert.equal(lambdaTarget({ "Fn::GetAtt": ["Table", "StreamArn"] }), undefined);
  assert.deepEqual(lambdaTarget({ Ref: "Fn" }), { kind: "resource", logicalId: "Fn" });
});

test("!Join around a !GetAtt", () => {
  const uri = {
    "Fn::Join": [
      "",
      [
        "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/",
        { "Fn::GetAtt": ["ItemsFunction", "Arn"] },
        "/invocations",
      ],
    ],
  };
  assert.deepEqual(lambdaTarget(uri), { kind: "resource", logicalId: "ItemsFunction" });
});

test("plain ARNs: the function name, without an alias or version", () => {
  const invocation =
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:GetStartedLambdaProxyIntegration/invocations";
  assert.deepEqual(lambdaTarget(invocation), { kind: "name", name: "GetStartedLambdaProxyIntegration" });
  assert.deepEqual(lambdaTarget("arn:aws:lambda:us-east-1:123456789012:function:items:live"), {
    kind: "name",
    name: "items",
  });
  assert.equal(lambdaTarget("https://example.com/backend"), undefined);
  assert.equal(lambdaTarget(undefined), undefined);
});
