/** The thread a ThreadLogWriter starts: it keeps each chunk of log texts in the store file it was given. */
import { parentPort, workerData } from "node:worker_threads";
import type { LogLocation } from "../../control/store/index.js";
import { SqliteStore } from "../../control/store/sqlite-store.js";
import { ChunkLogWriter } from "./chunk-log-writer.js";
import type { LogWriterReply, LogWriterRequest } from "./thread-log-writer.js";

const port = parentPort;
if (port === null) throw new Error("log-writer-worker.js runs as a worker thread only.");
const store = SqliteStore.openLogs(workerData as LogLocation);
const writer = new ChunkLogWriter(store.logs);

port.on("message", (request: LogWriterRequest) => {
  const done = request.close
    ? writer.close().finally(() => store.close())
    : writer.write(request.chunk, request.dropped);
  done.then(
    () => port.postMessage({ ok: true } satisfies LogWriterReply),
    (error: unknown) =>
      port.postMessage({ ok: false, message: (error as Error).message } satisfies LogWriterReply),
  );
});
