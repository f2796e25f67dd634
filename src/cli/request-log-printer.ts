/**
 * Request-log lines (API access logs, service requests) on stdout, one per request as web servers print them,
 * written with the function logs of the same event-loop turn in one write.
 */
import { BatchedOutput } from "./output.js";

export function printRequestLine(line: string): void {
  BatchedOutput.of(process.stdout).write(`${line}\n`);
}

/** `windDown`, then what is queued for stdout written out before the process exits. */
export function flushedAfter(windDown: () => Promise<void> | undefined): () => Promise<void> | undefined {
  return () => windDown()?.finally(() => BatchedOutput.of(process.stdout).flush());
}
