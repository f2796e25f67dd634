/**
 * CloudFormation's YAML short forms (`!Ref X`, `!GetAtt A.B`, `!Sub "..."`) as `yaml` custom tags, read into
 * the long forms (`{ Ref: "X" }`, `{ "Fn::GetAtt": ["A", "B"] }`) that the rest of the loader works on.
 */
import type { CollectionTag, ScalarTag, YAMLMap, YAMLSeq } from "yaml";

const FUNCTIONS = [
  "And",
  "Base64",
  "Cidr",
  "Equals",
  "FindInMap",
  "GetAtt",
  "GetAZs",
  "If",
  "ImportValue",
  "Join",
  "Not",
  "Or",
  "Select",
  "Split",
  "Sub",
  "Transform",
] as const;

function longForm(tagName: string, value: unknown): Record<string, unknown> {
  if (tagName === "Ref" || tagName === "Condition") return { [tagName]: value };
  // `!GetAtt Resource.Attribute` splits at the first dot only (`A.B.C` → ["A", "B.C"]), as CloudFormation does.
  if (tagName === "GetAtt" && typeof value === "string") {
    const dot = value.indexOf(".");
    return { "Fn::GetAtt": dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${tagName}`]: value };
}

function tagsFor(tagName: string): (ScalarTag | CollectionTag)[] {
  const tag = `!${tagName}`;
  const fromCollection = (node: YAMLMap | YAMLSeq) => longForm(tagName, node.toJSON());
  return [
    { tag, resolve: (text: string) => longForm(tagName, text) },
    { tag, collection: "seq", resolve: fromCollection },
    { tag, collection: "map", resolve: fromCollection },
  ] as (ScalarTag | CollectionTag)[];
}

export const cloudFormationTags: readonly (ScalarTag | CollectionTag)[] = [
  "Ref",
  "Condition",
  ...FUNCTIONS,
].flatMap(tagsFor);
