/**
 * What the Lambda API keeps about a function beyond what Portico runs (description, role, architectures, code
 * size, tags...): the `aws` bag of a FunctionRecord, JSON-serialisable, read back with defaults for functions a
 * project deployed, which never had one.
 */
import { z } from "zod";
import { AWS_ACCOUNT_ID, type FunctionRecord } from "../../model/index.js";

export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const TRACING_MODES = ["Active", "PassThrough"] as const;
export const LOG_FORMATS = ["JSON", "Text"] as const;

/** LoggingConfig as Lambda returns it. */
export interface LoggingConfig {
  readonly LogFormat: (typeof LOG_FORMATS)[number];
  readonly LogGroup: string;
  readonly ApplicationLogLevel?: string;
  readonly SystemLogLevel?: string;
}

export interface FunctionAwsDetails {
  readonly description: string;
  readonly role: string;
  readonly architectures: readonly Architecture[];
  /** Bytes of the zip the code came in (0 for code from a directory). */
  readonly codeSize: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly ephemeralStorageMb: number;
  readonly tracingMode: (typeof TRACING_MODES)[number];
  readonly loggingConfig: LoggingConfig;
}

/** The role shown for functions that were not given one (a project's functions). */
export const DEFAULT_ROLE = `arn:aws:iam::${AWS_ACCOUNT_ID}:role/portico-function`;

/** Lambda's defaults for the settings Portico only records (CreateFunction API reference). */
export function defaultAwsDetails(functionName: string): FunctionAwsDetails {
  return {
    description: "",
    role: DEFAULT_ROLE,
    architectures: ["x86_64"],
    codeSize: 0,
    tags: {},
    ephemeralStorageMb: 512,
    tracingMode: "PassThrough",
    loggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${functionName}` },
  };
}

// Each field is read on its own: a bag written by an older Portico, or by hand, keeps what is still valid.
const storedDetails = z.object({
  description: z.string().catch(""),
  role: z.string().optional().catch(undefined),
  architectures: z.array(z.enum(ARCHITECTURES)).min(1).max(1).optional().catch(undefined),
  codeSize: z.number().int().min(0).catch(0),
  tags: z.record(z.string(), z.string()).catch({}),
  ephemeralStorageMb: z.number().int().optional().catch(undefined),
  tracingMode: z.enum(TRACING_MODES).optional().catch(undefined),
  loggingConfig: z
    .object({
      LogFormat: z.enum(LOG_FORMATS),
      LogGroup: z.string(),
      ApplicationLogLevel: z.string().optional(),
      SystemLogLevel: z.string().optional(),
    })
    .optional()
    .catch(undefined),
});

/** The details of `record`, defaults filling whatever its bag lacks. */
export function functionAwsDetails(record: Pick<FunctionRecord, "name" | "aws">): FunctionAwsDetails {
  const defaults = defaultAwsDetails(record.name);
  const stored = storedDetails.safeParse(record.aws ?? {});
  if (!stored.success) return defaults;
  const value = stored.data;
  return {
    description: value.description,
    role: value.role ?? defaults.role,
    architectures: value.architectures ?? defaults.architectures,
    codeSize: value.codeSize,
    tags: value.tags,
    ephemeralStorageMb: value.ephemeralStorageMb ?? defaults.ephemeralStorageMb,
    tracingMode: value.tracingMode ?? defaults.tracingMode,
    loggingConfig: value.loggingConfig ?? defaults.loggingConfig,
  };
}

/** The `aws` bag of a FunctionRecord holding `details` (an interface is not a Record to the type checker). */
export function functionRecordBag(details: FunctionAwsDetails): Readonly<Record<string, unknown>> {
  return { ...details };
}
