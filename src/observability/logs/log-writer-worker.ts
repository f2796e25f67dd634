/** The thread a ThreadLogWriter starts: it keeps each batch of log texts, read from the ring, in the store file. */
import { parentPort, workerData } from "node:worker_threads";
import { SqliteStore } from "../../control/store/sqlite-store.js";
import { ChunkLogWriter } from "./chunk-log-writer.js";
import { LogRing } from "./log-ring.js";
import type { LogWriterData, LogWriterReply, LogWriterRequest } from "./thread-log-writer.js";

const port = parentPort;
if (port === null) throw new Error("log-writer-worker.js runs as a worker thread only.");
const { location, ring } = workerData as LogWriterData;
const store = SqliteStore.openLogs(location);
const writer = new ChunkLogWriter(store.logs);

async function keep(request: Exclude<LogWriterRequest, { close: true }>): Promise<void> {
  let dropped = request.dropped;
  for (const batch of request.batches) {
    // Kept as the bytes they are: decoding them, and encoding them again to write them, would cost more than
    // the write itself.
    await writer.write({ ...batch, text: LogRing.bytes(ring, batch) }, dropped);
    dropped = undefined;
  }
  if (dropped !== undefined) await writer.write(undefined, dropped);
}

port.on("message", (request: LogWriterRequest) => {
  const done = request.close ? writer.close().finally(() => store.close()) : keep(request);
  done.then(
    () => port.postMessage({ ok: true } satisfies LogWriterReply),
    (error: unknown) =>
      port.postMessage({ ok: false, message: (error as Error).message } satisfies LogWriterReply),
  );
});
