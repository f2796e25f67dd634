// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${}` placeholders are the data under test.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cloudFormationTags } from "../../../src/config/cloudformation-tags.js";
import { mergeGlobals } from "../../../src/config/sam-globals.js";
import { type IntrinsicScope, resolveIntrinsics, stackRefs } from "../../../src/config/sam-intrinsics.js";
import { parseYaml } from "../../../src/config/yaml-file.js";

const parse = (text: string) => parseYaml("/tmp/template.yaml", text, cloudFormationTags);

describe("CloudFormation short-form tags", () => {
  const cases: [string, unknown][] = [
    ["!Ref Table", { Ref: "Table" }],
    ["!Sub 'arn:${AWS::Partition}:s3:::${Bucket}'", { "Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}" }],
    ["!Sub ['${A}-x', { A: !Ref B }]", { "Fn::Sub": ["${A}-x", { A: { Ref: "B" } }] }],
    ["!GetAtt Table.Arn", { "Fn::GetAtt": ["Table", "Arn"] }],
    ["!GetAtt Stack.Outputs.Url", { "Fn::GetAtt": ["Stack", "Outputs.Url"] }],
    ["!GetAtt [Table, Arn]", { "Fn::GetAtt": ["Table", "Arn"] }],
    ["!Join ['-', [a, !Ref B]]", { "Fn::Join": ["-", ["a", { Ref: "B" }]] }],
    ["!Select [0, !GetAZs '']", { "Fn::Select": [0, { "Fn::GetAZs": "" }] }],
    ["!Split [',', 'a,b']", { "Fn::Split": [",", "a,b"] }],
    ["!If [IsProd, 1, 2]", { "Fn::If": ["IsProd", 1, 2] }],
    ["!Equals [!Ref Env, prod]", { "Fn::Equals": [{ Ref: "Env" }, "prod"] }],
    ["!Not [!Condition IsProd]", { "Fn::Not": [{ Condition: "IsProd" }] }],
    ["!And [!Condition A, !Condition B]", { "Fn::And": [{ Condition: "A" }, { Condition: "B" }] }],
    ["!Or [!Condition A, !Condition B]", { "Fn::Or": [{ Condition: "A" }, { Condition: "B" }] }],
    ["!FindInMap [Sizes, !Ref Env, Memory]", { "Fn::FindInMap": ["Sizes", { Ref: "Env" }, "Memory"] }],
    // YAML allows one tag per node, so CloudFormation needs the long form inside a short one.
    ["!Base64 { 'Fn::Sub': 'x${A}' }", { "Fn::Base64": { "Fn::Sub": "x${A}" } }],
    ["!ImportValue shared-vpc", { "Fn::ImportValue": "shared-vpc" }],
    ["!ImportValue { 'Fn::Sub': '${Net}-vpc' }", { "Fn::ImportValue": { "Fn::Sub": "${Net}-vpc" } }],
    ["!GetAZs us-east-1", { "Fn::GetAZs": "us-east-1" }],
    ["!Condition IsProd", { Condition: "IsProd" }],
  ];
  for (const [yaml, expected] of cases) {
    test(yaml, () => assert.deepEqual(parse(`value: ${yaml}\n`), { value: expected }));
  }
});

describe("intrinsic resolution", () => {
  const scope: IntrinsicScope = {
    refs: stackRefs(
      {
        Env: { Type: "String", Default: "prod" },
        Port: { Type: "Number", Default: 8080 },
        Zones: { Type: "CommaDelimitedList", Default: "a, b,c" },
        Secret: { Type: "AWS::SSM::Parameter::Value<String>", Default: "/app/secret" },
        NoDefault: { Type: "String" },
      },
      { "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::StackName": "app" },
    ),
    conditions: {
      IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
      IsDev: { "Fn::Not": [{ Condition: "IsProd" }] },
      Unknowable: { "Fn::Equals": [{ Ref: "NoDefault" }, "x"] },
      Loop: { Condition: "Loop" },
    },
    mappings: { Sizes: { prod: { Memory: 1024 } } },
  };
  const cases: [string, unknown, unknown][] = [
    ["Ref to a parameter default", { Ref: "Env" }, "prod"],
    ["Ref to a Number parameter is a string", { Ref: "Port" }, "8080"],
    ["Ref to a list parameter", { Ref: "Zones" }, ["a", "b", "c"]],
    ["Ref to a pseudo parameter", { Ref: "AWS::AccountId" }, "123456789012"],
    ["Ref to a resource stays", { Ref: "Table" }, { Ref: "Table" }],
    ["Ref to an SSM parameter stays", { Ref: "Secret" }, { Ref: "Secret" }],
    ["Ref to a parameter without default stays", { Ref: "NoDefault" }, { Ref: "NoDefault" }],
    [
      "Sub with parameters and pseudo parameters",
      { "Fn::Sub": "${AWS::StackName}-${Env}-${AWS::Region}" },
      "app-prod-us-east-1",
    ],
    ["Sub with local variables", { "Fn::Sub": ["${A}:${Port}", { A: { Ref: "Env" } }] }, "prod:8080"],
    ["Sub keeps ${!Literal}", { "Fn::Sub": "${!Env}-${Env}" }, "${Env}-prod"],
    ["Sub naming an attribute stays", { "Fn::Sub": "${Table.Arn}" }, { "Fn::Sub": "${Table.Arn}" }],
    ["Join", { "Fn::Join": ["-", ["a", { Ref: "Env" }, 1]] }, "a-prod-1"],
    ["Select from a list parameter", { "Fn::Select": ["1", { Ref: "Zones" }] }, "b"],
    ["Split", { "Fn::Split": [",", "x,y"] }, ["x", "y"]],
    ["If on a condition", { "Fn::If": ["IsProd", 512, 128] }, 512],
    ["If on a negated condition", { "Fn::If": ["IsDev", 512, 128] }, 128],
    [
      "If on an unknowable condition stays",
      { "Fn::If": ["Unknowable", 1, 2] },
      { "Fn::If": ["Unknowable", 1, 2] },
    ],
    ["If on a circular condition stays", { "Fn::If": ["Loop", 1, 2] }, { "Fn::If": ["Loop", 1, 2] }],
    ["FindInMap", { "Fn::FindInMap": ["Sizes", { Ref: "Env" }, "Memory"] }, 1024],
    ["Base64", { "Fn::Base64": { "Fn::Sub": "${Env}" } }, "cHJvZA=="],
    ["GetAtt stays", { "Fn::GetAtt": ["Table", "Arn"] }, { "Fn::GetAtt": ["Table", "Arn"] }],
    ["ImportValue stays", { "Fn::ImportValue": "x" }, { "Fn::ImportValue": "x" }],
    [
      "AWS::NoValue removes the key and the list item",
      { A: { Ref: "AWS::NoValue" }, B: [1, { "Fn::If": ["IsDev", 2, { Ref: "AWS::NoValue" }] }], C: "c" },
      { B: [1], C: "c" },
    ],
    [
      "nested plain data is walked",
      { Env: { Variables: { E: { Ref: "Env" } } } },
      { Env: { Variables: { E: "prod" } } },
    ],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => assert.deepEqual(resolveIntrinsics(input, scope), expected));
  }
});

describe("Globals merge", () => {
  const cases: [string, unknown, unknown, unknown][] = [
    ["a primitive is replaced", 3, 10, 10],
    ["a global alone is kept", 3, undefined, 3],
    ["maps merge, the resource wins", { A: "1", B: "2" }, { B: "b", C: "c" }, { A: "1", B: "b", C: "c" }],
    [
      "maps merge deeply",
      { Variables: { A: "1" } },
      { Variables: { B: "2" } },
      { Variables: { A: "1", B: "2" } },
    ],
    ["lists are prepended with the globals", ["g1", "g2"], ["r1"], ["g1", "g2", "r1"]],
    ["an intrinsic is a primitive", { A: "1" }, { Ref: "X" }, { Ref: "X" }],
    ["a type mismatch takes the resource's value", ["g"], { A: 1 }, { A: 1 }],
  ];
  for (const [name, global, local, expected] of cases) {
    test(name, () => assert.deepEqual(mergeGlobals(global, local), expected));
  }
});
