/**
 * Nested stacks: `AWS::Serverless::Application` (`Location`) and `AWS::CloudFormation::Stack` (`TemplateURL`, or
 * the template `cdk synth` staged beside the parent) naming a local template, SAM or plain CloudFormation. The
 * child is loaded with the parent's `Parameters`, and its functions and APIs are served under the parent's
 * logical id: `App-HelloFunction` (sam local writes `App/HelloFunction`; Portico's names appear in URLs) and
 * API `app-serverlessrestapi`. A CDK nested stack is named by its construct id, as sam local names it.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { ApiSpec, AuthorizerSpec, FunctionSpec, Project } from "../model/index.js";
import { apiIdFor } from "./api-id.js";
import { cfnApiName } from "./cfn-api-builder.js";
import type { CfnContext } from "./cfn-context.js";
import { assetPath } from "./cfn-functions.js";
import { standInUnresolved } from "./cfn-stand-ins.js";
import type { ConfigWarning } from "./config-error.js";
import { apiNameProblem } from "./field-schemas.js";

type Json = Record<string, unknown>;
type Path = readonly PropertyKey[];

export interface ChildStack {
  readonly project: Project;
  readonly warnings: readonly ConfigWarning[];
}

/** Loads a child template with its parameter values (the caller guards against a template nesting itself). */
export type ChildLoader = (file: string, parameters: Readonly<Record<string, string>>) => Promise<ChildStack>;

export interface NestedResult {
  readonly functions: FunctionSpec[];
  readonly apis: ApiSpec[];
  readonly warnings: ConfigWarning[];
}

export async function readNestedStacks(
  ctx: CfnContext,
  templateDir: string,
  load: ChildLoader,
): Promise<NestedResult> {
  const result: NestedResult = { functions: [], apis: [], warnings: [] };
  const prefixes = new Set<string>();
  for (const [id, resource] of ctx.resources) {
    const location = childLocation(ctx, id, resource.type, resource.properties, resource.metadata);
    if (location === undefined) continue;
    const file = resolve(templateDir, location.path);
    const exists = await stat(file).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!exists) {
      ctx.log.add(location.at, `names no template file: ${file}`);
      continue;
    }
    const parameters = parameterValues(ctx, resource.properties.Parameters, [
      "Resources",
      id,
      "Properties",
      "Parameters",
    ]);
    const child = await load(file, parameters);
    // Two CDK nested stacks may share a construct id under different parents: the second keeps its logical id.
    const cdkId = cdkNestedStackId(resource.metadata);
    const prefix = cdkId !== undefined && !prefixes.has(cdkId) ? cdkId : id;
    prefixes.add(prefix);
    result.functions.push(
      ...[...child.project.functions.values()].map((fn) => ({ ...fn, name: `${prefix}-${fn.name}` })),
    );
    for (const api of child.project.apis) {
      const prefixed = prefixedApi(api, prefix);
      const problem = apiNameProblem(prefixed.name);
      if (problem === undefined) result.apis.push(prefixed);
      else
        ctx.log.add(
          ["Resources", id],
          `gives an API of its stack the name \`${prefixed.name}\`, which ${problem}`,
        );
    }
    result.warnings.push(...child.warnings);
  }
  return result;
}

/** Where a nested stack's template is, or undefined (warned about) when it is not a local file. */
function childLocation(
  ctx: CfnContext,
  id: string,
  type: string,
  props: Json,
  metadata: unknown,
): { path: string; at: Path } | undefined {
  const at: Path = ["Resources", id, "Properties"];
  if (type === "AWS::Serverless::Application") {
    const location = props.Location;
    if (typeof location === "string" && !isRemote(location))
      return { path: location, at: [...at, "Location"] };
    ctx.log.warn(
      [...at, "Location"],
      "only a local template path is loaded (not the Serverless Application Repository or a URL); the application is left out",
    );
    return undefined;
  }
  if (type !== "AWS::CloudFormation::Stack") return undefined;
  const asset = assetPath(metadata, "TemplateURL");
  if (asset !== undefined) return { path: asset, at: ["Resources", id, "Metadata", "aws:asset:path"] };
  const url = props.TemplateURL;
  if (typeof url === "string" && !isRemote(url)) return { path: url, at: [...at, "TemplateURL"] };
  ctx.log.warn(
    [...at, "TemplateURL"],
    "only a local template path is loaded (not an S3 or HTTPS URL); the stack is left out",
  );
  return undefined;
}

/** `Greeting` for a stack whose `aws:cdk:path` is `Parent/Greeting.NestedStack/Greeting.NestedStackResource`. */
function cdkNestedStackId(metadata: unknown): string | undefined {
  const path = (metadata as Json | undefined)?.["aws:cdk:path"];
  if (typeof path !== "string") return undefined;
  return /\/([A-Za-z0-9]+)\.NestedStack\/[^/]+\.NestedStackResource$/.exec(path)?.[1];
}

function isRemote(location: string): boolean {
  return /^(https?|s3):\/\//i.test(location);
}

/** The parent's `Parameters` as the strings CloudFormation passes; what cannot be resolved stands in as "". */
function parameterValues(ctx: CfnContext, parameters: unknown, at: Path): Record<string, string> {
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) return {};
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(standInUnresolved(parameters, at, ctx.log) as Json)) {
    values[name] = Array.isArray(value) ? value.map(String).join(",") : String(value ?? "");
  }
  return values;
}

function prefixedApi(api: ApiSpec, parentId: string): ApiSpec {
  const name = `${cfnApiName(parentId)}-${api.name}`;
  const rename = (functionName: string) => `${parentId}-${functionName}`;
  return {
    ...api,
    name,
    apiId: apiIdFor(name),
    routes: api.routes.map((route) => ({ ...route, functionName: rename(route.functionName) })),
    ...(api.authorizers === undefined
      ? {}
      : {
          authorizers: api.authorizers.map(
            (authorizer): AuthorizerSpec =>
              authorizer.type === "lambda"
                ? { ...authorizer, functionName: rename(authorizer.functionName) }
                : authorizer,
          ),
        }),
  };
}
