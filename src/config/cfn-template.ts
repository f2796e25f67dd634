/**
 * The plain CloudFormation side of a template (hand-written or from `cdk synth`): Lambda functions, REST and
 * HTTP APIs as API Gateway resources, nested stacks. Every type and property not read is warned about
 * (cfn-resource-table.ts), and every value a local stack cannot know is warned about and stood in for.
 */
import type { ApiSpec, FunctionSpec } from "../model/index.js";
import { CfnContext, type CfnResource } from "./cfn-context.js";
import { readLambdaFunction } from "./cfn-functions.js";
import { readHttpApis } from "./cfn-http-apis.js";
import { type ChildLoader, readNestedStacks } from "./cfn-nested-stacks.js";
import { warnUnmodelled } from "./cfn-resource-table.js";
import { readRestApis } from "./cfn-rest-apis.js";
import { standInUnresolved } from "./cfn-stand-ins.js";
import type { ConfigWarning } from "./config-error.js";
import type { IssueLog } from "./issue-log.js";
import { type IntrinsicScope, resolveIntrinsics } from "./sam-intrinsics.js";

type Json = Record<string, unknown>;
type Path = readonly PropertyKey[];

/**
 * Properties read as values (not as references to other resources): an intrinsic left in one of them cannot be
 * known locally, so it is warned about and `""` stands in for it.
 */
const VALUE_PROPERTIES: ReadonlySet<string> = new Set([
  "Runtime",
  "Handler",
  "Timeout",
  "MemorySize",
  "ReservedConcurrentExecutions",
  "StageName",
  "Variables",
  "StageVariables",
  "CorsConfiguration",
  "RouteKey",
  "PathPart",
  "HttpMethod",
  "PayloadFormatVersion",
  "TimeoutInMillis",
  "IdentitySource",
  "IdentityValidationExpression",
  "JwtConfiguration",
  "AuthorizationScopes",
  "BinaryMediaTypes",
  "DefaultRouteSettings",
  "RouteSettings",
  "MethodSettings",
]);

/** The types of SAM's own resources, which sam-template.ts reads. */
const SAM_TYPES: ReadonlySet<string> = new Set([
  "AWS::Serverless::Function",
  "AWS::Serverless::HttpApi",
  "AWS::Serverless::Api",
]);

export interface CloudFormationInput {
  readonly file: string;
  readonly templateDir: string;
  readonly log: IssueLog;
  readonly scope: IntrinsicScope;
  /** Resources whose condition holds, as written. */
  readonly resources: readonly (readonly [
    string,
    { Type: string; Properties?: Json | undefined; Metadata?: unknown },
  ])[];
  /** The SAM functions already read, which API resources may name too. */
  readonly samFunctions: readonly FunctionSpec[];
  /** `--env-vars` and blanking of unresolvable variables, as SAM functions get them. */
  readonly prepareEnvironment: (id: string, properties: Json, locate: (path: Path) => Path) => void;
  readonly loadChild: ChildLoader;
}

export interface CloudFormationResult {
  readonly functions: FunctionSpec[];
  readonly apis: ApiSpec[];
  /** Warnings of nested templates, which name their own files. */
  readonly childWarnings: ConfigWarning[];
}

export async function readCloudFormation(input: CloudFormationInput): Promise<CloudFormationResult> {
  const { log } = input;
  const resources = new Map<string, CfnResource>();
  for (const [id, resource] of input.resources) {
    warnUnmodelled(id, resource.Type, resource.Properties, log);
    if (SAM_TYPES.has(resource.Type)) {
      resources.set(id, { type: resource.Type, properties: {}, metadata: resource.Metadata });
      continue;
    }
    const resolved = (resolveIntrinsics(resource.Properties ?? {}, input.scope) ?? {}) as Json;
    resources.set(id, { type: resource.Type, properties: resolved, metadata: resource.Metadata });
  }

  const functions: FunctionSpec[] = [];
  for (const [id, resource] of resources) {
    if (resource.type !== "AWS::Lambda::Function") continue;
    const locate = (path: Path): Path => ["Resources", id, "Properties", ...path];
    input.prepareEnvironment(id, resource.properties, locate);
    const fn = await readLambdaFunction({
      id,
      properties: standInValues(id, resource.properties, log),
      metadata: resource.metadata,
      templateDir: input.templateDir,
      log,
    });
    if (fn !== undefined) functions.push(fn);
  }
  for (const [id, resource] of resources) {
    if (resource.type === "AWS::Lambda::Function" || SAM_TYPES.has(resource.type)) continue;
    resources.set(id, { ...resource, properties: standInValues(id, resource.properties, log) });
  }

  const served = [...input.samFunctions, ...functions];
  const functionNames = new Map<string, string>();
  for (const [id, resource] of resources) {
    const name = resource.properties.FunctionName;
    if (resource.type === "AWS::Lambda::Function" && typeof name === "string") functionNames.set(name, id);
  }
  const ctx = new CfnContext({
    file: input.file,
    log,
    resources,
    functions: new Set(served.map((fn) => fn.name)),
    functionNames,
  });
  const apis = [...(await readRestApis(ctx)), ...(await readHttpApis(ctx))];
  const nested = await readNestedStacks(ctx, input.templateDir, input.loadChild);
  return {
    functions: [...functions, ...nested.functions],
    apis: [...apis, ...nested.apis],
    childWarnings: nested.warnings,
  };
}

function standInValues(id: string, properties: Json, log: IssueLog): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(properties)) {
    out[key] = VALUE_PROPERTIES.has(key)
      ? standInUnresolved(value, ["Resources", id, "Properties", key], log)
      : value;
  }
  return out;
}
