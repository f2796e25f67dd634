/**
 * Lambda's rules for the members of CreateFunction and the updates, each broken rule worded as Lambda words it:
 * model constraints as ValidationException problems, the service's own checks as InvalidParameterValueExceptions.
 */
import { RESERVED_ENVIRONMENT_VARIABLES } from "../../config/field-schemas.js";
import { constraintProblem, invalidParameterValue } from "./aws-errors.js";
import { ARCHITECTURES, LOG_FORMATS, TRACING_MODES } from "./lambda-details.js";

/** The settings CreateFunction and UpdateFunctionConfiguration share, as their shapes read them. */
export interface Settings {
  readonly Role?: string | undefined;
  readonly Handler?: string | undefined;
  readonly Description?: string | undefined;
  readonly Timeout?: number | undefined;
  readonly MemorySize?: number | undefined;
  readonly Environment?: { readonly Variables?: Readonly<Record<string, string>> | undefined } | undefined;
  readonly TracingConfig?: { readonly Mode?: string | undefined } | undefined;
  readonly EphemeralStorage?: { readonly Size: number } | undefined;
  readonly LoggingConfig?: { readonly LogFormat?: string | undefined } | undefined;
  readonly Layers?: readonly string[] | undefined;
  readonly FileSystemConfigs?: readonly unknown[] | undefined;
}

/** Lambda's model constraints on the shared settings. */
export function settingsProblems(settings: Settings): string[] {
  const problems: string[] = [];
  const { Description, Timeout, MemorySize, Handler, Role } = settings;
  if (Description !== undefined && Description.length > 256) {
    problems.push(
      constraintProblem(Description, "description", "Member must have length less than or equal to 256"),
    );
  }
  problems.push(...rangeProblems(Timeout, "timeout", 1, 900));
  problems.push(...rangeProblems(MemorySize, "memorySize", 128, 10240));
  if (Handler !== undefined) {
    if (Handler.length > 128) {
      problems.push(
        constraintProblem(Handler, "handler", "Member must have length less than or equal to 128"),
      );
    }
    if (!/^[^\s]+$/.test(Handler)) {
      problems.push(
        constraintProblem(Handler, "handler", "Member must satisfy regular expression pattern: [^\\s]+"),
      );
    }
  }
  if (Role !== undefined && !/^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/.test(Role)) {
    problems.push(
      constraintProblem(
        Role,
        "role",
        "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
      ),
    );
  }
  const variables = settings.Environment?.Variables ?? {};
  if (Object.keys(variables).some((name) => !/^[a-zA-Z][a-zA-Z0-9_]+$/.test(name))) {
    problems.push(
      constraintProblem(
        variables,
        "environment.variables",
        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
      ),
    );
  }
  const mode = settings.TracingConfig?.Mode;
  if (mode !== undefined && !(TRACING_MODES as readonly string[]).includes(mode)) {
    problems.push(
      constraintProblem(
        mode,
        "tracingConfig.mode",
        `Member must satisfy enum value set: [${TRACING_MODES.join(", ")}]`,
      ),
    );
  }
  problems.push(...rangeProblems(settings.EphemeralStorage?.Size, "ephemeralStorage.size", 512, 10240));
  const format = settings.LoggingConfig?.LogFormat;
  if (format !== undefined && !(LOG_FORMATS as readonly string[]).includes(format)) {
    problems.push(
      constraintProblem(
        format,
        "loggingConfig.logFormat",
        `Member must satisfy enum value set: [${LOG_FORMATS.join(", ")}]`,
      ),
    );
  }
  return problems;
}

function rangeProblems(value: number | undefined, member: string, min: number, max: number): string[] {
  if (value === undefined) return [];
  if (value < min)
    return [constraintProblem(value, member, `Member must have value greater than or equal to ${min}`)];
  if (value > max)
    return [constraintProblem(value, member, `Member must have value less than or equal to ${max}`)];
  return [];
}

/** Architectures: exactly one, x86_64 or arm64 (Portico runs either on the machine's own CPU). */
export function architectureProblems(architectures: readonly string[] | undefined): string[] {
  if (architectures === undefined) return [];
  const problems: string[] = [];
  if (architectures.length !== 1) {
    const bound = architectures.length === 0 ? "greater than or equal to 1" : "less than or equal to 1";
    problems.push(constraintProblem(architectures, "architectures", `Member must have length ${bound}`));
  }
  if (architectures.some((item) => !(ARCHITECTURES as readonly string[]).includes(item))) {
    problems.push(
      constraintProblem(
        architectures,
        "architectures",
        "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
      ),
    );
  }
  return problems;
}

/** Variables Lambda sets itself are refused, and all of them together must fit in 4 KB (AWS's messages). */
export function environmentOf(variables: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const reserved = Object.keys(variables).filter((name) => RESERVED_ENVIRONMENT_VARIABLES.has(name));
  if (reserved.length > 0) {
    throw invalidParameterValue(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > 4096) {
    throw invalidParameterValue(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
  return { ...variables };
}

/** The zip in `Code.ZipFile` (base64 in JSON). S3 locations are refused: Portico has no S3 to read them from. */
export function zipFileOf(code: {
  readonly ZipFile?: string;
  readonly S3Bucket?: string;
  readonly S3Key?: string;
}): Buffer {
  if (code.ZipFile === undefined) {
    throw invalidParameterValue(
      code.S3Bucket !== undefined || code.S3Key !== undefined
        ? "Portico takes function code as ZipFile only: S3Bucket and S3Key are not supported (use --zip-file fileb://function.zip)."
        : "Please provide a source for function code.",
    );
  }
  const text = code.ZipFile.replace(/\s+/g, "");
  const zip = Buffer.from(text, "base64");
  // A zip starts with a local file header (PK\3\4), or is empty and starts with the end record (PK\5\6).
  const isZip = zip.length >= 4 && zip[0] === 0x50 && zip[1] === 0x4b && (zip[2] === 3 || zip[2] === 5);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || !isZip) {
    throw invalidParameterValue(
      "Could not unzip uploaded file. Please check your file, then try to upload again.",
    );
  }
  return zip;
}

export function refuseUnsupported(settings: Settings): void {
  if ((settings.Layers ?? []).length > 0) {
    throw invalidParameterValue(
      "Portico does not support layers: include the layer's files in the function's .zip.",
    );
  }
  if ((settings.FileSystemConfigs ?? []).length > 0) {
    throw invalidParameterValue("Portico does not support file systems (FileSystemConfigs).");
  }
}
