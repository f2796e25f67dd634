/** `portico invoke NAME --event JSON|@file`: prints the function's result on stdout, its logs on stderr. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { invokeOnce } from "../control/index.js";
import { PorticoError } from "../model/index.js";
import { environmentOptions } from "./environment-options.js";
import { exitWithError, functionLogPrinter } from "./output.js";
import { handleStopSignals } from "./stop-signals.js";

export interface InvokeOptions {
  readonly event: string;
  readonly dir: string;
  readonly envVars?: string;
  readonly envFile?: string;
}

export async function runInvoke(name: string, options: InvokeOptions): Promise<void> {
  // Nothing to wind down: leaving kills the instance with everything it started.
  handleStopSignals(() => undefined);
  try {
    const event = await readEvent(options.event);
    const outcome = await invokeOnce(
      resolve(options.dir),
      name,
      event,
      functionLogPrinter(process.stderr),
      environmentOptions(options),
      (message) => process.stderr.write(`portico: ${message}\n`),
    );
    process.stdout.write(`${outcome.payload.toString("utf8")}\n`);
    if (outcome.type === "error") {
      process.stderr.write(`portico: function ${name} failed with ${outcome.errorType}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    exitWithError(error);
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
