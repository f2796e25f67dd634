/**
 * Request-log lines (API access logs, service requests) on stdout, one per request as web servers print them,
 * through pino's asynchronous destination: a line is queued, and written with whatever else queued up meanwhile.
 */
export interface RequestLogPrinter {
  readonly print: (line: string) => void;
  /** Writes what is still queued; on stop, before the process exits. */
  readonly flush: () => void;
}

/** Loaded only when request logs are printed. */
export async function requestLogPrinter(): Promise<RequestLogPrinter> {
  const { destination } = await import("pino");
  const stdout = destination({ dest: 1, sync: false });
  return {
    print: (line) => stdout.write(`${line}\n`),
    flush: () => stdout.flushSync(),
  };
}

/** `windDown`, then the printer's queue written out. */
export function flushedAfter(
  windDown: () => Promise<void> | undefined,
  printer: RequestLogPrinter | undefined,
): () => Promise<void> | undefined {
  return () => windDown()?.finally(() => printer?.flush());
}
