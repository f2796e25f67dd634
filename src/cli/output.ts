/** How the CLI talks to people: function logs, notices, and one clear line per error. */
import type { Writable } from "node:stream";
import { PorticoError } from "../model/index.js";

/** Function logs waiting to be written beyond which new ones are dropped (a pipe nobody reads fast enough). */
const MAX_LOG_BACKLOG_BYTES = 16 * 1024 * 1024;

/**
 * Writes function logs to a stream with the function's name in front of each line (Lambda's `\r`
 * record breaks become indented lines). Output is gathered and written once per event-loop turn, so
 * busy functions cost one write for many lines, not one per line. Terminals and files are written
 * synchronously; a pipe that falls behind would queue logs in Portico's memory without end, so past a
 * backlog they are dropped and counted, as Lambda drops logs its consumers cannot keep up with.
 */
export function functionLogPrinter(
  stream: NodeJS.WritableStream,
): (functionName: string, text: string) => void {
  let pending = "";
  let dropped = 0;
  const flush = () => {
    stream.write(pending);
    pending = "";
  };
  return (functionName, text) => {
    if (((stream as Partial<Writable>).writableLength ?? 0) > MAX_LOG_BACKLOG_BYTES) {
      dropped += Buffer.byteLength(text);
      return;
    }
    if (dropped > 0) {
      if (pending === "") setImmediate(flush);
      pending += `[portico] ${dropped} bytes of function logs dropped: the output did not keep up\n`;
      dropped = 0;
    }
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

/** Rows as columns padded to their widest cell, two spaces apart, the first row a header. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] as number))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
    .concat("\n");
}
