/** How the CLI talks to people: function logs, notices, and one clear line per error. */
import { PorticoError } from "../model/index.js";

/** Prints a function's log text with its name in front of each line (Lambda's `\r` record breaks included). */
export function printFunctionLog(stream: NodeJS.WritableStream, functionName: string, text: string): void {
  const prefix = `[${functionName}] `;
  const lines = text.replace(/\r/g, "\n  ").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  stream.write(`${lines.map((line) => prefix + line).join("\n")}\n`);
}

export function exitWithError(error: unknown): never {
  if (error instanceof PorticoError && error.isUserError) {
    process.stderr.write(`portico: ${error.message}\n`);
  } else if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
    const address = error as NodeJS.ErrnoException & { port?: number };
    process.stderr.write(
      `portico: port ${address.port} is already in use; pick another with --port or --admin-port\n`,
    );
  } else {
    process.stderr.write(
      `portico: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}
