/**
 * AWS SAM `template.yaml` → model, reading what `sam local start-api` reads: functions and their events,
 * HTTP and REST API resources, `Globals`, with the intrinsics a local stack can answer resolved. Plain
 * CloudFormation resources and nested stacks in the same template are read by cfn-template.ts.
 */
import { basename, dirname } from "node:path";
import { z } from "zod";
import { AWS_ACCOUNT_ID, AWS_REGION, type FunctionSpec } from "../model/index.js";
import { warnUnmodelledGlobals } from "./cfn-resource-table.js";
import { readCloudFormation } from "./cfn-template.js";
import { cloudFormationTags } from "./cloudformation-tags.js";
import { ConfigError } from "./config-error.js";
import { DEFAULTS } from "./defaults.js";
import type { EnvironmentOverrides } from "./environment-overrides.js";
import { expecting, namedMapping } from "./field-schemas.js";
import { IssueLog } from "./issue-log.js";
import type { LoadedConfig } from "./loaded-config.js";
import { assembleProject } from "./model-assembly.js";
import { overrideParameters } from "./parameter-overrides.js";
import { type ApiEvent, apiKindOf, SamApis } from "./sam-apis.js";
import { samCodeDirectory } from "./sam-code.js";
import { type IntrinsicScope, intrinsicName, resolveIntrinsics, stackRefs } from "./sam-intrinsics.js";
import { samLayerDirectories } from "./sam-layers.js";
import { resolveProperties } from "./sam-properties.js";
import { lambdaFunctionSpec, samFunctionSchema } from "./sam-schemas.js";
import { checkSchema, toConfigIssue } from "./schema-check.js";
import { readYamlFile } from "./yaml-file.js";

type Json = Record<string, unknown>;
type Path = readonly PropertyKey[];

const mapping = z.record(z.string(), z.unknown(), { error: expecting("a mapping") });

/** CloudFormation refuses a logical id that is not alphanumeric ("Resource name X is non alphanumeric"). */
function logicalIdProblem(id: string) {
  if (/^[A-Za-z0-9]+$/.test(id)) return undefined;
  const guess = id.replace(/[^A-Za-z0-9]/g, "");
  return {
    message: "is not a valid logical id: CloudFormation allows letters and digits only (A-Z, a-z, 0-9)",
    hint: guess === "" ? undefined : `did you mean \`${guess}\`?`,
  };
}

const templateSchema = z.looseObject(
  {
    Parameters: z
      .record(z.string(), z.looseObject({ Type: z.string().optional(), Default: z.unknown().optional() }), {
        error: expecting("a mapping of parameters"),
      })
      .default({}),
    Conditions: mapping.default({}),
    Mappings: mapping.default({}),
    Globals: z
      .looseObject(
        { Function: mapping.optional(), HttpApi: mapping.optional(), Api: mapping.optional() },
        { error: expecting("a mapping of resource types to shared properties") },
      )
      .default({}),
    Resources: namedMapping(
      "a mapping of logical ids to resources",
      logicalIdProblem,
      z.looseObject(
        {
          Type: z.string({ error: expecting("a resource type") }),
          Properties: mapping.optional(),
          Condition: z.unknown().optional(),
        },
        { error: expecting("a resource with `Type` and `Properties`") },
      ),
    ),
  },
  { error: expecting("a SAM template: a mapping with `Resources`") },
);

type Template = z.output<typeof templateSchema>;

/** A nested stack's template: the parent's `Parameters` values, and the templates above it (to refuse a cycle). */
export interface NestedStackInput {
  readonly parameters: Readonly<Record<string, string>>;
  readonly ancestors: readonly string[];
}

/** `parameterOverrides`: `--parameter-overrides` values, for the top template only. */
export async function loadSamTemplate(
  file: string,
  overrides: EnvironmentOverrides,
  parameterOverrides: ReadonlyMap<string, string> = new Map(),
  nested?: NestedStackInput,
): Promise<LoadedConfig> {
  const raw = await readYamlFile(file, cloudFormationTags);
  const checked = await checkSchema(templateSchema, raw);
  if (!checked.ok) {
    throw new ConfigError(
      file,
      checked.issues.map((issue) => toConfigIssue(issue)),
    );
  }
  const template = checked.data;
  const rootDir = dirname(file);
  const log = new IssueLog(file, raw);
  const scope: IntrinsicScope = {
    refs: stackRefs(overrideParameters(file, template.Parameters, parameterOverrides), {
      "AWS::Region": AWS_REGION,
      "AWS::AccountId": AWS_ACCOUNT_ID,
      // A local stack is named after the project directory.
      "AWS::StackName": basename(rootDir),
      "AWS::Partition": DEFAULTS.sam.partition,
      "AWS::URLSuffix": DEFAULTS.sam.urlSuffix,
    }),
    conditions: template.Conditions,
    mappings: template.Mappings,
  };
  for (const [name, value] of Object.entries(nested?.parameters ?? {})) {
    const type = template.Parameters[name]?.Type ?? "String";
    (scope.refs as Map<string, string | readonly string[]>).set(
      name,
      type === "CommaDelimitedList" || type.startsWith("List<")
        ? value.split(",").map((item) => item.trim())
        : value,
    );
  }
  const resources = activeResources(template, scope);
  const apis = new SamApis({
    log,
    scope,
    globals: template.Globals,
    resourceTypes: new Map(resources.map(([id, resource]) => [id, resource.Type])),
    file,
    functionNames: deployedFunctionNames(resources, scope),
  });
  const functions: FunctionSpec[] = [];
  const events: ApiEvent[] = [];
  for (const [id, resource] of resources) {
    const apiKind = apiKindOf(resource.Type);
    if (apiKind !== undefined) await apis.addResource(id, apiKind, resource.Properties);
    if (resource.Type !== "AWS::Serverless::Function") continue;
    const fn = await readFunction(id, resource.Properties, {
      template,
      scope,
      rootDir,
      log,
      events,
      overrides,
    });
    if (fn !== undefined) functions.push(fn);
  }
  // Events last: they may name an API declared after the function.
  for (const event of events) await apis.addEvent(event);
  warnUnmodelledGlobals(template.Globals, log);
  const ancestors = [...(nested?.ancestors ?? []), file];
  const cfn = await readCloudFormation({
    file,
    templateDir: rootDir,
    log,
    scope,
    resources,
    samFunctions: functions,
    prepareEnvironment: (id, properties, locate) => {
      overrideEnvironment(id, properties, overrides);
      blankUnresolvedEnvironment(properties, locate, log);
    },
    loadChild: async (child, parameters) => {
      if (ancestors.includes(child)) {
        throw new ConfigError(file, [
          { key: "Resources", reason: `nests ${child}, which includes this template` },
        ]);
      }
      return loadSamTemplate(child, overrides, new Map(), { parameters, ancestors });
    },
  });
  log.throwIfAny();
  // Before the warnings are read: matching route settings to routes may add some.
  const apiSpecs = [...apis.specs(), ...cfn.apis];
  // SAM describes no Cloud Run-style services: the project has none.
  return {
    project: assembleProject(rootDir, file, [...functions, ...cfn.functions], apiSpecs, []),
    warnings: [...log.warnings, ...cfn.childWarnings],
  };
}

/** Each function's `FunctionName` (its name once deployed) → its logical id. */
function deployedFunctionNames(
  resources: readonly [string, Template["Resources"][string]][],
  scope: IntrinsicScope,
): Map<string, string> {
  const names = new Map<string, string>();
  for (const [id, resource] of resources) {
    const name = resolveIntrinsics(resource.Properties?.FunctionName, scope);
    if (resource.Type === "AWS::Serverless::Function" && typeof name === "string") names.set(name, id);
  }
  return names;
}

/** Resources whose `Condition` does not evaluate to false; other resource types are kept but unread. */
function activeResources(
  template: Template,
  scope: IntrinsicScope,
): [string, Template["Resources"][string]][] {
  return Object.entries(template.Resources).filter(
    ([, resource]) =>
      typeof resource.Condition !== "string" ||
      resolveIntrinsics({ Condition: resource.Condition }, scope) !== false,
  );
}

interface FunctionContext {
  readonly template: Template;
  readonly scope: IntrinsicScope;
  readonly rootDir: string;
  readonly log: IssueLog;
  /** Receives the function's events, read even when the function itself has problems. */
  readonly events: ApiEvent[];
  readonly overrides: EnvironmentOverrides;
}

async function readFunction(
  id: string,
  local: Json | undefined,
  ctx: FunctionContext,
): Promise<FunctionSpec | undefined> {
  const at = { id, section: "Function" } as const;
  const { properties, locate } = resolveProperties(local, ctx.template.Globals.Function, at, ctx.scope);
  overrideEnvironment(id, properties, ctx.overrides);
  blankUnresolvedEnvironment(properties, locate, ctx.log);
  ctx.events.push(...eventsOf(id, properties));
  const checked = await checkSchema(samFunctionSchema(ctx.rootDir), properties);
  if (!checked.ok) return ctx.log.addAll(checked.issues, locate);
  const fn = checked.data;
  const runtime = fn.Runtime as NonNullable<typeof fn.Runtime>;
  const codeDir = await samCodeDirectory(fn, runtime.kind, ctx.rootDir, locate, ctx.log);
  const layers = await samLayerDirectories(fn.Layers, locate, {
    resources: ctx.template.Resources,
    scope: ctx.scope,
    rootDir: ctx.rootDir,
    log: ctx.log,
  });
  if (codeDir === undefined) return undefined;
  const webAdapter = layers.webAdapter && webAdapterWrapped(fn.Environment.Variables, locate, ctx.log);
  return {
    ...lambdaFunctionSpec(id, fn, codeDir),
    ...(layers.dirs.length > 0 ? { layers: layers.dirs } : {}),
    ...(webAdapter ? { webAdapter } : {}),
    ...(fn.LoggingConfig === undefined ? {} : { logging: fn.LoggingConfig }),
    ...(fn.TenancyConfig === undefined ? {} : { tenantIsolation: true }),
  };
}

/** The Web Adapter's layer works only with its wrapper script in place of the runtime's own start. */
function webAdapterWrapped(
  variables: Readonly<Record<string, string>>,
  locate: (path: readonly PropertyKey[]) => readonly PropertyKey[],
  log: IssueLog,
): boolean {
  if (variables.AWS_LAMBDA_EXEC_WRAPPER === "/opt/bootstrap") return true;
  log.warn(
    locate(["Environment", "Variables"]),
    "has the Lambda Web Adapter layer but not AWS_LAMBDA_EXEC_WRAPPER: /opt/bootstrap, which it needs to start the web app; the function runs as a plain handler",
  );
  return false;
}

/** The well-formed entries of `Events`; a malformed one is reported by the function schema. */
function eventsOf(functionName: string, properties: unknown): ApiEvent[] {
  const events = (properties as Json | undefined)?.Events;
  if (typeof events !== "object" || events === null || Array.isArray(events)) return [];
  return Object.entries(events as Json).flatMap(([eventName, event]) => {
    const type = (event as Json | null)?.Type;
    return typeof type === "string"
      ? [{ functionName, eventName, type, properties: (event as Json).Properties }]
      : [];
  });
}

/** `--env-vars` values replace the declared variables they name, before anything else reads them. */
function overrideEnvironment(id: string, properties: unknown, overrides: EnvironmentOverrides): void {
  const variables = environmentVariables(properties);
  const functionName = (properties as Json | undefined)?.FunctionName;
  const names = typeof functionName === "string" && functionName !== id ? [id, functionName] : [id];
  for (const [name, value] of overrides.valuesFor(names, Object.keys(variables ?? {}))) {
    (variables as Json)[name] = value;
  }
}

/**
 * As `sam local` does, a variable whose value is still a mapping or list (`!GetAtt Table.Arn`) becomes "".
 * A `${env:NAME}` (portico.yaml's way to pass a variable) stays text here, as it would on AWS: say so.
 */
function blankUnresolvedEnvironment(properties: unknown, locate: (path: Path) => Path, log: IssueLog): void {
  const variables = environmentVariables(properties) ?? {};
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value === "string" && value.includes("${env:")) {
      log.warn(
        locate(["Environment", "Variables", name]),
        `\`\${env:NAME}\` is portico.yaml's; in a SAM template it stays text, as on AWS: give the value with --env-vars`,
      );
    }
    if (typeof value !== "object" || value === null) continue;
    variables[name] = "";
    const intrinsic = intrinsicName(value);
    const why =
      intrinsic === undefined
        ? `${Array.isArray(value) ? "a list" : "a mapping"} is not a variable value`
        : `\`${intrinsic}\` cannot be resolved locally`;
    log.warn(
      locate(["Environment", "Variables", name]),
      `${why}; the variable is set to "" (as sam local does)`,
    );
  }
}

/** The function's `Environment.Variables`, when it is a mapping. */
function environmentVariables(properties: unknown): Json | undefined {
  const variables = ((properties as Json | undefined)?.Environment as Json | undefined)?.Variables;
  return typeof variables === "object" && variables !== null && !Array.isArray(variables)
    ? (variables as Json)
    : undefined;
}
