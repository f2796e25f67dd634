/** A Portico function as an `AWS::Serverless::Function`, and what of it Lambda has no setting for. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEFAULTS } from "../../config/defaults.js";
import type { FunctionSpec } from "../../model/index.js";
import type { ExportWarning } from "../export-result.js";

type Json = Record<string, unknown>;

/** Lambda's runtime id for Portico's shorthands (`nodejs`, `python3`, `provided`): the newest Portico runs. */
const FULL_RUNTIME_IDS: Readonly<Record<string, string>> = {
  nodejs: "nodejs20.x",
  python3: "python3.12",
  provided: "provided.al2023",
};

export interface FunctionParts {
  /** The CodeUri: where the export holds the function's code. */
  readonly codeUri: string;
  /** Each variable's template value (a parameter reference where the config file had `${env:NAME}`). */
  readonly environment: Readonly<Record<string, unknown>>;
  /** Template references to the function's layers, in order. */
  readonly layers: readonly Json[];
}

export function functionResource(fn: FunctionSpec, parts: FunctionParts, warnings: ExportWarning[]): Json {
  const subject = `function ${fn.name}`;
  if (fn.idleTimeoutSeconds !== DEFAULTS.function.idleTimeoutSeconds) {
    warnings.push({
      subject,
      reason: `idleTimeout (${fn.idleTimeoutSeconds} s) has no Lambda equivalent: Lambda decides how long an idle instance lives`,
    });
  }
  const properties: Json = {
    Runtime: FULL_RUNTIME_IDS[fn.runtimeId] ?? fn.runtimeId,
    Handler: fn.handler,
    CodeUri: parts.codeUri,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    ...(Object.keys(parts.environment).length === 0 ? {} : { Environment: { Variables: parts.environment } }),
    // Portico's own cap; Lambda's default is the account's unreserved pool.
    ...(fn.concurrency === DEFAULTS.function.concurrency
      ? {}
      : { ReservedConcurrentExecutions: fn.concurrency }),
    ...(parts.layers.length === 0 ? {} : { Layers: parts.layers }),
    ...(fn.logging === undefined ? {} : { LoggingConfig: loggingConfig(fn.logging) }),
    ...(fn.tenantIsolation ? { TenancyConfig: { TenantIsolationMode: "PER_TENANT" } } : {}),
  };
  const entry = typeScriptEntry(fn);
  return {
    Type: "AWS::Serverless::Function",
    Properties: properties,
    // Lambda runs JavaScript; `sam build` compiles a TypeScript handler with esbuild, as Portico does on import.
    ...(entry === undefined
      ? {}
      : { Metadata: { BuildMethod: "esbuild", BuildProperties: { EntryPoints: [entry] } } }),
  };
}

function loggingConfig(logging: NonNullable<FunctionSpec["logging"]>): Json {
  if (logging.format === "Text") return { LogFormat: "Text" };
  return {
    LogFormat: "JSON",
    ApplicationLogLevel: logging.applicationLevel,
    SystemLogLevel: logging.systemLevel,
  };
}

/** The handler's module when it is TypeScript (`handlers.ts` for `handlers.list`) and no JavaScript sits beside it. */
function typeScriptEntry(fn: FunctionSpec): string | undefined {
  if (fn.runtime !== "nodejs") return undefined;
  const module = fn.handler.slice(0, fn.handler.lastIndexOf("."));
  const exists = (ext: string) => existsSync(join(fn.codeDir, `${module}${ext}`));
  if ([".js", ".mjs", ".cjs"].some(exists)) return undefined;
  return [".ts", ".mts", ".cts"]
    .map((ext) => `${module}${ext}`)
    .find((file) => existsSync(join(fn.codeDir, file)));
}
