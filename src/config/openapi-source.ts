/**
 * Where a SAM API's OpenAPI document is: inline in `DefinitionBody`, in a local file `DefinitionBody` includes
 * (`Fn::Transform` `AWS::Include`, whose intrinsics CloudFormation resolves), or in a local file `DefinitionUri`
 * names (read as written, as API Gateway imports it). S3 locations cannot be read locally.
 */
import { basename, resolve } from "node:path";
import { cloudFormationTags } from "./cloudformation-tags.js";
import { ConfigError } from "./config-error.js";
import { describeValue } from "./field-schemas.js";
import { isMapping, type Path } from "./openapi-sink.js";
import { type IntrinsicScope, resolveIntrinsics } from "./sam-intrinsics.js";
import { parseYaml, readConfigText } from "./yaml-file.js";

export type DefinitionSource =
  /** Paths in the document are paths under `DefinitionBody` in the template. */
  | { readonly kind: "inline"; readonly document: unknown }
  /** Paths in the document are reported as `FILE: path` at `property`. */
  | { readonly kind: "file"; readonly document: unknown; readonly property: Path; readonly file: string };

export type SourceReading =
  | { readonly ok: true; readonly source: DefinitionSource | undefined }
  | { readonly ok: false; readonly at: Path; readonly reason: string; readonly warning: boolean };

export async function samDefinitionSource(
  properties: Record<string, unknown>,
  rootDir: string,
  scope: IntrinsicScope,
): Promise<SourceReading> {
  const body = properties.DefinitionBody;
  if (body !== undefined) {
    const include = includeLocation(body);
    if (include === undefined) return { ok: true, source: { kind: "inline", document: body } };
    const at = ["DefinitionBody", "Fn::Transform", "Parameters", "Location"];
    return readFile(at, include, rootDir, (text, file) =>
      resolveIntrinsics(parseYaml(file, text, cloudFormationTags), scope),
    );
  }
  const uri = properties.DefinitionUri;
  if (uri === undefined) return { ok: true, source: undefined };
  return readFile(["DefinitionUri"], uri, rootDir, (text, file) => parseYaml(file, text));
}

/** `Fn::Transform: { Name: AWS::Include, Parameters: { Location } }` → the location; undefined otherwise. */
function includeLocation(body: unknown): unknown {
  const transform = isMapping(body) ? body["Fn::Transform"] : undefined;
  if (!isMapping(transform) || transform.Name !== "AWS::Include") return undefined;
  return isMapping(transform.Parameters) ? transform.Parameters.Location : null;
}

async function readFile(
  at: Path,
  location: unknown,
  rootDir: string,
  parse: (text: string, file: string) => unknown,
): Promise<SourceReading> {
  if (isS3(location)) {
    return {
      ok: false,
      at,
      warning: true,
      reason: `an S3 location (${describeS3(location)}) cannot be read locally: the API's routes from it are not served; point it at a local file`,
    };
  }
  if (typeof location !== "string" || location === "") {
    return {
      ok: false,
      at,
      warning: false,
      reason: `must be a local file path, got ${describeValue(location)}`,
    };
  }
  const file = resolve(rootDir, location);
  try {
    const document = parse(await readConfigText(file), file);
    return { ok: true, source: { kind: "file", document, property: at, file } };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const reason = error.issues.map((issue) => issue.reason).join("; ");
    return { ok: false, at, warning: false, reason: `${basename(file)}: ${reason}` };
  }
}

function isS3(location: unknown): boolean {
  return (
    (typeof location === "string" && location.startsWith("s3://")) ||
    (isMapping(location) && "Bucket" in location)
  );
}

function describeS3(location: unknown): string {
  if (typeof location === "string") return location;
  const { Bucket, Key } = location as Record<string, unknown>;
  return `s3://${String(Bucket)}/${String(Key)}`;
}
