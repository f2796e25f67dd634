/**
 * A SAM function's `Layers` → the local directories holding them, in the function's order. A layer is local
 * when the entry is a `!Ref` to a layer resource of the template whose content is a path: an
 * `AWS::Serverless::LayerVersion`'s `ContentUri`, or an `AWS::Lambda::LayerVersion`'s `Content` (a path, or
 * the asset CDK names in `Metadata`). A directory is used in place; a `.zip` is extracted. Any other layer (an
 * ARN, an S3 location) is only in AWS: the function is served without it, and a warning says so. AWS's Lambda
 * Web Adapter layer is the exception: Portico plays its part itself (see FunctionSpec.webAdapter).
 */
import { resolve } from "node:path";
import { extractedZipDirectory, zipProblem } from "./generated-code.js";
import type { IssueLog } from "./issue-log.js";
import { directoryProblem } from "./model-assembly.js";
import { type IntrinsicScope, resolveIntrinsics } from "./sam-intrinsics.js";
import { isZipPath } from "./sam-schemas.js";

type Path = readonly PropertyKey[];
type Json = Record<string, unknown>;

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Json | undefined;
  readonly Metadata?: unknown;
}

export interface LayerContext {
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly scope: IntrinsicScope;
  readonly rootDir: string;
  readonly log: IssueLog;
}

/** The Lambda Web Adapter's public layers (x86_64 and arm64, any region, any version), published by AWS. */
const WEB_ADAPTER_LAYER =
  /^arn:aws(-cn)?:lambda:[a-z0-9-]+:(753240598075|041581134020|069767869989):layer:LambdaAdapterLayer(X86|Arm64):\d+$/;

export interface SamLayers {
  readonly dirs: string[];
  /** One of the layers is the Lambda Web Adapter's. */
  readonly webAdapter: boolean;
}

export async function samLayerDirectories(
  layers: readonly unknown[],
  locate: (path: Path) => Path,
  ctx: LayerContext,
): Promise<SamLayers> {
  const dirs: string[] = [];
  let webAdapter = false;
  for (const [index, layer] of layers.entries()) {
    const at = locate(["Layers", index]);
    const arn = resolveIntrinsics(layer, ctx.scope);
    if (typeof arn === "string" && WEB_ADAPTER_LAYER.test(arn)) {
      webAdapter = true;
      continue;
    }
    const ref = refTarget(layer);
    const resource = ref === undefined ? undefined : ctx.resources[ref];
    if (ref === undefined || resource === undefined || !isLayerType(resource.Type)) {
      ctx.log.warn(at, `${describe(layer)} is not a layer of this template; the function runs without it`);
      continue;
    }
    const content = localContent(resource, ctx.scope);
    const property = resource.Type === "AWS::Serverless::LayerVersion" ? "ContentUri" : "Content";
    const contentAt = ["Resources", ref, "Properties", property];
    if (content === undefined) {
      ctx.log.warn(
        contentAt,
        `is not a local path; functions using layer ${ref} run without it (give a directory or a .zip)`,
      );
      continue;
    }
    const dir = await layerDirectory(resolve(ctx.rootDir, content), contentAt, ctx);
    if (dir !== undefined) dirs.push(dir);
  }
  return { dirs, webAdapter };
}

function isLayerType(type: string): boolean {
  return type === "AWS::Serverless::LayerVersion" || type === "AWS::Lambda::LayerVersion";
}

/** `{ Ref: "Id" }` → `Id`; a Ref to a parameter has been resolved already. */
function refTarget(value: unknown): string | undefined {
  const ref = (value as Json | null)?.Ref;
  return typeof value === "object" && value !== null && typeof ref === "string" ? ref : undefined;
}

function describe(layer: unknown): string {
  if (typeof layer === "string") return `${layer} (an ARN)`;
  const ref = refTarget(layer);
  if (ref !== undefined) return `!Ref ${ref}`;
  return "a layer only AWS can resolve";
}

/** The layer's content as a path relative to the template, when it is local. */
function localContent(resource: TemplateResource, scope: IntrinsicScope): string | undefined {
  const properties = resolveIntrinsics(resource.Properties ?? {}, scope) as Json;
  const content =
    resource.Type === "AWS::Serverless::LayerVersion" ? properties.ContentUri : properties.Content;
  if (typeof content === "string") return content.startsWith("s3://") ? undefined : content;
  // CDK synthesizes an S3 location and names the local asset in Metadata, which `sam local` reads.
  const asset = (resource.Metadata as Json | undefined)?.["aws:asset:path"];
  return typeof asset === "string" ? asset : undefined;
}

async function layerDirectory(path: string, at: Path, ctx: LayerContext): Promise<string | undefined> {
  if (!isZipPath(path)) {
    const problem = await directoryProblem(path);
    return problem === undefined ? path : ctx.log.add(at, problem);
  }
  try {
    return await extractedZipDirectory(ctx.rootDir, path);
  } catch (error) {
    return ctx.log.add(at, zipProblem(error));
  }
}
