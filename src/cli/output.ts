/** How the CLI talks to people: function logs, notices, and one clear line per error. */
import { PorticoError } from "../model/index.js";

/**
 * Writes function logs to a stream with the function's name in front of each line (Lambda's `\r`
 * record breaks become indented lines). Output is gathered and written once per event-loop turn, so
 * busy functions cost one write for many lines, not one per line.
 */
export function functionLogPrinter(
  stream: NodeJS.WritableStream,
): (functionName: string, text: string) => void {
  let pending = "";
  const flush = () => {
    stream.write(pending);
    pending = "";
  };
  return (functionName, text) => {
    const prefix = `[${functionName}] `;
    const body = text.endsWith("\n") ? text.slice(0, -1) : text;
    if (pending === "") setImmediate(flush);
    pending += `${prefix}${body.replace(/\r/g, "\n  ").replaceAll("\n", `\n${prefix}`)}\n`;
  };
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
