/**
 * `AWS::Lambda::Function` → a function. Its code is inline (`Code.ZipFile`, written out as Lambda names it:
 * `index.js` or `index.py`), a local asset `cdk synth` staged (`Metadata: aws:asset:path`), or in S3, which a
 * local run cannot read: such a function is warned about and not served.
 */
import { resolve } from "node:path";
import { z } from "zod";
import type { FunctionSpec } from "../model/index.js";
import { expecting, handlerProblemFor, type RuntimeChoice, runtime } from "./field-schemas.js";
import { INLINE_FILE_NAMES, inlineCodeDirectory } from "./generated-code.js";
import type { IssueLog } from "./issue-log.js";
import { directoryProblem } from "./model-assembly.js";
import { lambdaFunctionSpec, lambdaSettingFields } from "./sam-schemas.js";
import { checkSchema } from "./schema-check.js";

type Json = Record<string, unknown>;
type Path = readonly PropertyKey[];

const lambdaFunctionSchema = z
  .looseObject(
    {
      Runtime: runtime.optional(),
      Handler: z.string({ error: expecting("FILE.FUNCTION, e.g. index.handler") }).optional(),
      ...lambdaSettingFields,
    },
    { error: expecting("a mapping of function properties") },
  )
  .superRefine(
    (fn, ctx) => {
      if (fn.Runtime === undefined) {
        ctx.addIssue({
          code: "custom",
          input: undefined,
          path: ["Runtime"],
          message: "is required: nodejs20.x, python3.12, provided.al2023, ...",
        });
      }
      const problem = handlerProblemFor(fn.Runtime, fn.Handler);
      if (problem !== undefined)
        ctx.addIssue({ code: "custom", input: fn.Handler, path: ["Handler"], message: problem });
    },
    { when: () => true },
  );

export interface LambdaFunctionInput {
  readonly id: string;
  /** Resolved properties, `--env-vars` applied and unresolvable variables blanked. */
  readonly properties: Json;
  readonly metadata: unknown;
  readonly templateDir: string;
  readonly log: IssueLog;
}

export async function readLambdaFunction(input: LambdaFunctionInput): Promise<FunctionSpec | undefined> {
  const { id, properties, log } = input;
  const at: Path = ["Resources", id, "Properties"];
  const checked = await checkSchema(lambdaFunctionSchema, properties);
  if (!checked.ok) return log.addAll(checked.issues, (path) => [...at, ...path]);
  const fn = checked.data;
  const choice = fn.Runtime as RuntimeChoice;
  const codeDir = await codeDirectory(input, choice);
  if (codeDir === undefined) return undefined;
  return lambdaFunctionSpec(id, fn, codeDir);
}

/** The function's code directory; undefined (with an error or warning logged) when it cannot be served. */
async function codeDirectory(input: LambdaFunctionInput, choice: RuntimeChoice): Promise<string | undefined> {
  const { id, properties, log } = input;
  const at: Path = ["Resources", id, "Properties"];
  const code = properties.Code as Json | undefined;
  if (properties.PackageType === "Image" || code?.ImageUri !== undefined) {
    log.warn([...at, "Code"], "container image functions are not served; the function is left out");
    return undefined;
  }
  const asset = assetPath(input.metadata, "Code");
  if (asset !== undefined) {
    const dir = resolve(input.templateDir, asset);
    const problem = await directoryProblem(dir);
    if (problem === undefined) return dir;
    log.warn(
      ["Resources", id, "Metadata", "aws:asset:path"],
      `${problem}; only a directory asset is served, so the function is left out`,
    );
    return undefined;
  }
  if (typeof code?.ZipFile === "string") return inlineCode(input, choice, code.ZipFile);
  if (code?.S3Bucket !== undefined || code?.S3Key !== undefined) {
    log.warn(
      [...at, "Code"],
      "code in S3 cannot be read locally; the function is left out (give it local code: a SAM CodeUri, Code.ZipFile, or a cdk synth asset)",
    );
    return undefined;
  }
  return log.add([...at, "Code"], "is required: ZipFile, or S3Bucket and S3Key");
}

/** CDK's asset metadata: the directory (relative to the template) staged for `property`. */
export function assetPath(metadata: unknown, property: string): string | undefined {
  const entries = metadata as Json | undefined;
  if (entries?.["aws:asset:property"] !== property) return undefined;
  const path = entries["aws:asset:path"];
  return typeof path === "string" ? path : undefined;
}

/** Writes `Code.ZipFile` where Lambda would put it, as SAM's `InlineCode` is (generated-code.ts). */
async function inlineCode(
  input: LambdaFunctionInput,
  choice: RuntimeChoice,
  source: string,
): Promise<string | undefined> {
  if (INLINE_FILE_NAMES[choice.kind] === undefined) {
    return input.log.add(
      ["Resources", input.id, "Properties", "Code", "ZipFile"],
      `inline code is for Node.js and Python runtimes, not ${choice.id}`,
    );
  }
  return inlineCodeDirectory(input.templateDir, choice.kind, source);
}
