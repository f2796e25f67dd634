/**
 * Zod schemas for the settings portico.yaml and SAM templates share (runtime, timeouts, memory, environment,
 * stages, names), so both formats enforce one rule with one wording.
 */
import { z } from "zod";
import { LOG_LEVELS, type PayloadFormat, type RuntimeKind } from "../model/index.js";
import { didYouMean } from "./near-miss.js";
import { KNOWN_RUNTIME_IDS, runtimeKindOf } from "./runtime-id.js";
import { intrinsicName } from "./sam-intrinsics.js";

/** How a bad value is shown in a reason: `0`, `"abc"`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  const intrinsic = intrinsicName(value);
  if (intrinsic !== undefined) return `\`${intrinsic}\`, which Portico cannot resolve locally`;
  return "a mapping";
}

/** An error map saying what was expected and what came instead (unknown keys are worded by schema-check). */
export function expecting(what: string) {
  return (issue: { code?: string; input?: unknown }): string | undefined => {
    if (issue.code === "unrecognized_keys") return undefined;
    return issue.input === undefined
      ? `is required: ${what}`
      : `must be ${what}, got ${describeValue(issue.input)}`;
  };
}

/** `key:` with nothing after it reads as null; treat it as if the key were absent. */
export function absentIfNull<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === null ? undefined : value), schema);
}

/** `getItem:` with nothing after it is an entry with no settings. */
export function emptyIfNull<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === null ? {} : value), schema);
}

export function wholeNumber(what: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  const error = expecting(what);
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/**
 * A mapping keyed by names. A bad name is reported beside, not instead of, problems in its value (a zod
 * record key schema would skip the value).
 */
export function namedMapping<V extends z.ZodType>(
  what: string,
  nameProblem: (name: string) => string | NameProblem | undefined,
  value: V,
) {
  return z.record(z.string(), value, { error: expecting(what) }).superRefine(
    (entries, ctx) => {
      if (typeof entries !== "object" || entries === null || Array.isArray(entries)) return;
      for (const name of Object.keys(entries)) {
        const problem = nameProblem(name);
        if (problem === undefined) continue;
        const { message, hint } =
          typeof problem === "string" ? { message: problem, hint: undefined } : problem;
        ctx.addIssue({ code: "custom", input: name, path: [name], message, params: { hint } });
      }
    },
    { when: () => true },
  );
}

/** What is wrong with a name, and a likely fix. */
export interface NameProblem {
  readonly message: string;
  readonly hint?: string | undefined;
}

export const timeoutSeconds = wholeNumber("a whole number of seconds between 1 and 900", 1, 900);
export const memoryMb = wholeNumber("a whole number of megabytes between 128 and 10240", 128, 10240);
export const concurrency = wholeNumber("a whole number of instances, at least 1", 1);
export const idleTimeoutSeconds = wholeNumber("a whole number of seconds, at least 1", 1);
export const integrationTimeoutMs = wholeNumber(
  "a whole number of milliseconds between 50 and 30000",
  50,
  30000,
);

/** Strings as they are; numbers and booleans as YAML wrote them (`8080` → "8080", `true` → "true"). */
export function scalarString(what: string) {
  return z.union([z.string(), z.number(), z.boolean()], { error: expecting(what) }).transform(String);
}

/** `"1.0"` or `"2.0"`; YAML's unquoted `1.0` and `2.0` arrive as numbers and mean the same. */
export const payloadFormat = z
  .union([z.string(), z.number()], { error: expecting('"1.0" or "2.0"') })
  .transform((value, ctx): PayloadFormat => {
    const text = typeof value === "number" ? value.toFixed(1) : value;
    if (text === "1.0" || text === "2.0") return text;
    ctx.addIssue({
      code: "custom",
      input: value,
      message: `must be "1.0" or "2.0", got ${describeValue(value)}`,
    });
    return z.NEVER;
  });

export interface RuntimeChoice {
  readonly kind: RuntimeKind;
  readonly id: string;
}

export const runtime = z
  .string({ error: expecting("nodejs, python3 or provided") })
  .transform((id, ctx): RuntimeChoice => {
    const kind = runtimeKindOf(id);
    if (kind !== undefined) return { kind, id };
    ctx.addIssue({
      code: "custom",
      input: id,
      message: `\`${id}\` is not a supported runtime: use nodejs, python3 or provided, or an AWS id such as nodejs20.x, python3.12 or provided.al2023`,
      params: { hint: didYouMean(id, KNOWN_RUNTIME_IDS) },
    });
    return z.NEVER;
  });

/** Why a handler is not `FILE.FUNCTION` as Lambda's Node.js and Python clients parse it, or undefined. */
function handlerProblem(handler: string): string | undefined {
  const base = handler.slice(handler.lastIndexOf("/") + 1);
  const dot = base.indexOf(".");
  if (
    handler.includes("..") ||
    handler.startsWith("/") ||
    /\s/.test(handler) ||
    dot <= 0 ||
    dot === base.length - 1
  ) {
    return `must be FILE.FUNCTION relative to the code directory (e.g. \`app.handler\`, \`src/items.get_item\`), got ${describeValue(handler)}`;
  }
  return undefined;
}

/** The handler problem for a runtime: required and FILE.FUNCTION unless the runtime is `provided`. */
export function handlerProblemFor(runtime: unknown, handler: unknown): string | undefined {
  // Called on partly parsed data: `runtime` is a RuntimeChoice only when it parsed.
  const choice = runtime as Partial<RuntimeChoice> | undefined;
  if (typeof handler === "string") return choice?.kind === "provided" ? undefined : handlerProblem(handler);
  if (handler === undefined && choice?.kind !== undefined && choice.kind !== "provided") {
    return `is required for runtime ${choice.id}: FILE.FUNCTION, e.g. app.handler`;
  }
  return undefined;
}

/** Variables Lambda sets itself and refuses from users (aws.md §8.1). */
export const RESERVED_ENVIRONMENT_VARIABLES: ReadonlySet<string> = new Set([
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
  "TZ",
]);

/** Lambda caps a function's variables at 4 KB, names and values together. */
const ENVIRONMENT_MAX_BYTES = 4096;

function environmentNameProblem(name: string): string | undefined {
  if (RESERVED_ENVIRONMENT_VARIABLES.has(name))
    return "is reserved by Lambda, which sets it for every function";
  if (!/^[A-Za-z][A-Za-z0-9_]+$/.test(name)) {
    return "is not a valid variable name: it must start with a letter and have 2 or more letters, digits or _";
  }
  return undefined;
}

export const environment = namedMapping(
  "a mapping of variable names to values",
  environmentNameProblem,
  scalarString("a string, number or boolean"),
).superRefine((variables, ctx) => {
  let bytes = 0;
  for (const [name, value] of Object.entries(variables))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  if (bytes > ENVIRONMENT_MAX_BYTES) {
    ctx.addIssue({ code: "custom", input: variables, message: `total ${bytes} bytes; Lambda allows 4 KB` });
  }
});

/** Stage names: alphanumerics, `-` and `_`, up to 128; `$default` is the stage served without a prefix. */
export function stageNameProblem(name: string): string | undefined {
  if (name === "$default" || /^[A-Za-z0-9_-]{1,128}$/.test(name)) return undefined;
  return "is not a valid stage name: use up to 128 letters, digits, - and _ (or `$default`)";
}

export const stageName = z.string({ error: expecting("a stage name") }).superRefine((name, ctx) => {
  const problem = stageNameProblem(name);
  if (problem !== undefined) ctx.addIssue({ code: "custom", input: name, message: problem });
});

function stageVariableNameProblem(name: string): string | undefined {
  if (/^[A-Za-z0-9_]{1,64}$/.test(name)) return undefined;
  return "is not a valid stage variable name: use up to 64 letters, digits and _";
}

export const stageVariables = namedMapping(
  "a mapping of variable names to values",
  stageVariableNameProblem,
  scalarString("a string, number or boolean"),
).superRefine((variables, ctx) => {
  const count = Object.keys(variables).length;
  if (count > 100)
    ctx.addIssue({ code: "custom", input: variables, message: `has ${count} variables; a stage allows 100` });
});

/** API names are DNS labels: the API is reached at NAME.localhost. */
export function apiNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
    return "is not a valid API name: it is used as a host name (NAME.localhost), so use up to 63 lowercase letters, digits and -, not starting or ending with -";
  }
  // `TAG---NAME.localhost` addresses a tagged revision; an API name must not look like one.
  if (name.includes("---"))
    return "is not a valid API name: `---` is reserved for tag URLs (TAG---NAME.localhost)";
  return undefined;
}

export const domainName = z
  .string({ error: expecting("a host name such as api.example.test") })
  .transform((name) => name.toLowerCase())
  .superRefine((name, ctx) => {
    const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
    if (name.length > 253 || !name.split(".").every((part) => label.test(part))) {
      ctx.addIssue({
        code: "custom",
        input: name,
        message: `must be a host name such as api.example.test, got ${describeValue(name)}`,
      });
    }
  });

/** One of Lambda's log levels, in any case (`debug` as `DEBUG`). */
export const logLevel = z.preprocess(
  (value) => (typeof value === "string" ? value.toUpperCase() : value),
  z.enum(LOG_LEVELS, { error: expecting(LOG_LEVELS.join(", ")) }),
);
