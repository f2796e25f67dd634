/** `portico invoke NAME --event JSON|@file`: prints the function's result on stdout, its logs on stderr. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { invokeOnce } from "../control/index.js";
import { PorticoError } from "../model/index.js";
import { adminRequest } from "./admin-client.js";
import { environmentOptions } from "./environment-options.js";
import { exitWithError, functionLogPrinter } from "./output.js";
import { handleStopSignals } from "./stop-signals.js";

export interface InvokeOptions {
  readonly event: string;
  readonly dir: string;
  /** Invoke the function deployed on this server (its admin API) instead of the project in `dir`. */
  readonly server?: string;
  readonly adminToken?: string;
  readonly envVars?: string;
  readonly envFile?: string;
  readonly parameterOverrides?: readonly string[];
  /** `--tenant-id`: the tenant of a tenant-isolated function's invocation, as `aws lambda invoke` takes it. */
  readonly tenantId?: string;
}

export async function runInvoke(name: string, options: InvokeOptions): Promise<void> {
  // Nothing to wind down: leaving kills the instance with everything it started.
  handleStopSignals(() => undefined);
  try {
    const event = await readEvent(options.event);
    if (options.server !== undefined) {
      const server = { server: options.server, adminToken: options.adminToken };
      const answer = await adminRequest<{ payload: string; functionError?: string }>(
        server,
        "POST",
        `/v1/functions/${encodeURIComponent(name)}/invocations`,
        JSON.parse(event) as object,
      );
      return report(name, answer.payload, answer.functionError);
    }
    const outcome = await invokeOnce(
      resolve(options.dir),
      name,
      event,
      functionLogPrinter(process.stderr),
      environmentOptions(options),
      (message) => process.stderr.write(`portico: ${message}\n`),
      options.tenantId,
    );
    report(name, outcome.payload.toString("utf8"), outcome.type === "error" ? outcome.errorType : undefined);
  } catch (error) {
    exitWithError(error);
  }
}

/** The result on stdout; a function error also on stderr, with exit code 1. */
function report(name: string, payload: string, errorType: string | undefined): void {
  process.stdout.write(`${payload}\n`);
  if (errorType !== undefined) {
    process.stderr.write(`portico: function ${name} failed with ${errorType}\n`);
    process.exitCode = 1;
  }
}

async function readEvent(option: string): Promise<string> {
  const text = option.startsWith("@") ? await readEventFile(option.slice(1)) : option;
  try {
    JSON.parse(text);
  } catch (error) {
    throw new PorticoError("EVENT_INVALID", `--event is not valid JSON: ${(error as Error).message}`);
  }
  return text;
}

async function readEventFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new PorticoError("EVENT_INVALID", `cannot read event file ${path}: ${(error as Error).message}`);
  }
}
