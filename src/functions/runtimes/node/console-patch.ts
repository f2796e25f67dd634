/**
 * Lambda's Node.js log format: console methods write `ISO-time \t requestId \t LEVEL \t message`, with
 * newlines inside the message turned into `\r` so a record stays one line; raw writes to
 * process.stdout/stderr pass through unformatted. Everything goes to `write`, which returns once the
 * text is out (as the AWS runtime's logging does), so the stream's callback may run right after.
 *
 * With AWS_LAMBDA_LOG_FORMAT=JSON (read at init, as the function's environment is known only then) each
 * record is one JSON object, `{"timestamp","level","requestId","message"}` (+ `tenantId`, and the error's
 * `errorType`, `errorMessage`, `stackTrace`), and the methods below AWS_LAMBDA_LOG_LEVEL write nothing.
 */
import { format } from "node:util";
// The module itself, not the model's index: this runs in every instance, whose cold start loads what it imports.
import { isoTime } from "../../../model/iso-time.js";

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;
type Level = (typeof LEVELS)[number];

let currentRequestId: string | undefined;
let currentTenantId: string | undefined;
let json = false;
let leastLevel = 0;

export function setCurrentRequestId(requestId: string, tenantId?: string): void {
  currentRequestId = requestId;
  currentTenantId = tenantId;
}

/** Takes the log format and level from the function's environment. */
export function configureLogFormat(env: Readonly<Record<string, string | undefined>>): void {
  json = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === "JSON";
  const level = LEVELS.indexOf((env.AWS_LAMBDA_LOG_LEVEL ?? "").toUpperCase() as Level);
  // As the AWS runtime does, the level filters the JSON format only; unset keeps everything.
  leastLevel = json && level >= 0 ? level : 0;
}

export function isJsonLogFormat(): boolean {
  return json;
}

let output: (text: string) => void = () => {};

/** An ERROR record whose fields (errorType, errorMessage, stackTrace) are given: the runtime's own errors. */
export function writeErrorRecord(message: string, fields: Record<string, unknown>): void {
  const record: Record<string, unknown> = {
    timestamp: isoTime(Date.now()),
    level: "ERROR",
    requestId: currentRequestId,
  };
  if (currentTenantId !== undefined) record.tenantId = currentTenantId;
  output(`${JSON.stringify({ ...record, message, ...fields })}\n`);
}

export function patchConsole(write: (text: string) => void): void {
  output = write;
  const record =
    (level: Level) =>
    (...args: unknown[]): void => {
      if (LEVELS.indexOf(level) < leastLevel) return;
      write(json ? jsonRecord(level, args) : textRecord(level, args));
    };
  console.log = record("INFO");
  console.info = record("INFO");
  console.warn = record("WARN");
  console.error = record("ERROR");
  console.debug = record("DEBUG");
  console.trace = record("TRACE");
  (console as unknown as { fatal: unknown }).fatal = record("FATAL");

  const rawWrite = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    write(text);
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") queueMicrotask(() => (done as () => void)());
    return true;
  };
  process.stdout.write = rawWrite as typeof process.stdout.write;
  process.stderr.write = rawWrite as typeof process.stderr.write;
}

function textRecord(level: Level, args: unknown[]): string {
  const message = format(...args).replace(/\n/g, "\r");
  return `${isoTime(Date.now())}\t${currentRequestId}\t${level}\t${message}\n`;
}

/** The AWS runtime's JSON record: a lone argument is kept as a value, several are formatted into text. */
function jsonRecord(level: Level, args: unknown[]): string {
  const result: Record<string, unknown> = {
    timestamp: isoTime(Date.now()),
    level,
    requestId: currentRequestId,
  };
  if (currentTenantId !== undefined) result.tenantId = currentTenantId;
  if (args.length === 1) {
    result.message = args[0];
    try {
      return `${JSON.stringify(result, errorReplacer)}\n`;
    } catch {
      result.message = format(args[0]);
      return `${JSON.stringify(result)}\n`;
    }
  }
  result.message = format(...args);
  const error = args.find((arg) => arg instanceof Error);
  if (error !== undefined) Object.assign(result, errorFields(error));
  return `${JSON.stringify(result, errorReplacer)}\n`;
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { ...errorFields(value), ...value } : value;
}

function errorFields(error: Error): Record<string, unknown> {
  return {
    errorType: error.constructor?.name ?? "UnknownError",
    errorMessage: error.message,
    stackTrace: typeof error.stack === "string" ? error.stack.split("\n") : [],
  };
}
