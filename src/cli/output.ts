/** How the CLI talks to people: function logs, notices, and one clear line per error. */
import type { Writable } from "node:stream";
import type { FunctionLogSink } from "../functions/index.js";
import { PorticoError } from "../model/index.js";

/** Output waiting to be written beyond which new output is dropped (a pipe nobody reads fast enough). */
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
/** How long a line may wait for others: too short for a person to notice, long enough to gather a busy moment's. */
const FLUSH_DELAY_MS = 10;
/** Gathered text past which it is written at once. */
const FLUSH_BYTES = 64 * 1024;

/**
 * Lines for a stream, gathered for a few milliseconds and written at once, as nginx buffers its access log: a busy
 * server costs one write, and one wake-up of the reader, for all the function logs and request lines of a moment,
 * not one per line (measured: per line, they cost about a tenth of a warm request). Terminals and pipes are
 * written synchronously; a pipe that falls behind would queue output in Portico's memory without end, so past a
 * backlog it is dropped and counted, as Lambda drops logs its consumers cannot keep up with. One per stream, so
 * that everything written to it keeps its order; what waits is written when the process exits.
 */
export class BatchedOutput {
  readonly #stream: NodeJS.WritableStream;
  #pending = "";
  #dropped = 0;
  #timer: NodeJS.Timeout | undefined;

  private constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    process.on("exit", this.#flushNow);
  }

  static readonly #byStream = new WeakMap<NodeJS.WritableStream, BatchedOutput>();

  static of(stream: NodeJS.WritableStream): BatchedOutput {
    let output = BatchedOutput.#byStream.get(stream);
    if (output === undefined) {
      output = new BatchedOutput(stream);
      BatchedOutput.#byStream.set(stream, output);
    }
    return output;
  }

  /** Queues `text` (whole lines), to be written within a few milliseconds. */
  write(text: string): void {
    if (((this.#stream as Partial<Writable>).writableLength ?? 0) > MAX_BACKLOG_BYTES) {
      this.#dropped += Buffer.byteLength(text);
      return;
    }
    // Not unref'd: what a process prints before it ends by itself must come out.
    this.#timer ??= setTimeout(this.#flushNow, FLUSH_DELAY_MS);
    if (this.#dropped > 0) {
      this.#pending += `[portico] ${this.#dropped} bytes of logs dropped: the output did not keep up\n`;
      this.#dropped = 0;
    }
    this.#pending += text;
    if (this.#pending.length >= FLUSH_BYTES) this.flush();
  }

  /** Writes what is queued now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending === "") return;
    this.#stream.write(this.#pending);
    this.#pending = "";
  }

  readonly #flushNow = () => this.flush();
}

/** Whole lines on stdout, in order with the function logs and request lines gathered there. */
export function print(text: string): void {
  BatchedOutput.of(process.stdout).write(text);
}

export function printLine(line: string): void {
  print(`${line}\n`);
}

/** A line an instance leaves unfinished longer than this is printed as it stands. */
const MAX_UNFINISHED_CHARS = 64 * 1024;
/** How long an unfinished line waits for its end before it is printed as it stands (a prompt, a progress dot). */
const UNFINISHED_WAIT_MS = 100;

/**
 * Function logs with the function's name in front of each line; Lambda's `\r` record breaks become indented lines.
 * A line an instance writes in pieces is printed once whole: its start waits for its end, for the platform's next
 * line for that instance (END, as Lambda ends a last line left unfinished), or 100 ms.
 */
export function functionLogPrinter(stream: NodeJS.WritableStream): FunctionLogSink {
  const output = BatchedOutput.of(stream);
  const prefixes = new Map<string, string>();
  /** The unfinished line of each writer (function and instance), with the prefix it is printed with. */
  const unfinished = new Map<string, { readonly prefix: string; readonly rest: string }>();
  let timer: NodeJS.Timeout | undefined;
  const printLines = (prefix: string, body: string) => {
    // Most texts are one plain line: they skip both passes (this runs for every line of every function).
    const lines = body.includes("\r") ? body.replaceAll("\r", "\n  ") : body;
    output.write(`${prefix}${lines.includes("\n") ? lines.replaceAll("\n", `\n${prefix}`) : lines}\n`);
  };
  const printUnfinished = () => {
    timer = undefined;
    for (const { prefix, rest } of unfinished.values()) printLines(prefix, rest);
    unfinished.clear();
  };
  return (functionName, text, tags) => {
    let prefix = prefixes.get(functionName);
    if (prefix === undefined) {
      prefix = `[${functionName}] `;
      prefixes.set(functionName, prefix);
    }
    let body = text;
    // The writer's key is built only when a line is or may be left unfinished: most texts end theirs.
    const writer =
      unfinished.size === 0 && text.endsWith("\n") ? undefined : `${functionName}\0${tags?.instance ?? ""}`;
    const waiting = writer === undefined ? undefined : unfinished.get(writer);
    if (writer !== undefined && waiting !== undefined) {
      unfinished.delete(writer);
      if (tags?.platform) printLines(prefix, waiting.rest);
      else body = waiting.rest + body;
    }
    const end = body.lastIndexOf("\n");
    if (
      writer !== undefined &&
      end !== body.length - 1 &&
      !tags?.platform &&
      body.length - end - 1 <= MAX_UNFINISHED_CHARS
    ) {
      unfinished.set(writer, { prefix, rest: body.slice(end + 1) });
      if (timer === undefined) timer = setTimeout(printUnfinished, UNFINISHED_WAIT_MS);
      if (end === -1) return;
      body = body.slice(0, end + 1);
    }
    printLines(prefix, body.endsWith("\n") ? body.slice(0, -1) : body);
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
