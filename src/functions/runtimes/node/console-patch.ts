/**
 * Lambda's Node.js log format: console methods write `ISO-time \t requestId \t LEVEL \t message`, with
 * newlines inside the message turned into `\r` so a record stays one line; raw writes to
 * process.stdout/stderr pass through unformatted. Everything goes to `write`, which returns once the
 * text is out (as the AWS runtime's logging does), so the stream's callback may run right after.
 */
import { format } from "node:util";

let currentRequestId: string | undefined;

export function setCurrentRequestId(requestId: string): void {
  currentRequestId = requestId;
}

export function patchConsole(write: (text: string) => void): void {
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      const message = format(...args).replace(/\n/g, "\r");
      write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
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
