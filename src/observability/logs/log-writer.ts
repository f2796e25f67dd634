/** Where the recorder's batches of log texts go: split into lines and kept in a log store. */
import type { LogRecord, LogStore } from "../../control/store/index.js";
import type { LogText } from "../channels.js";
import { type DroppedLines, droppedLinesRecord, LogLineSplitter } from "./log-lines.js";

export interface LogWriter {
  /** Keeps the complete lines of `texts`, and a line saying what was `dropped` before them; resolves once kept. */
  write(texts: readonly LogText[], dropped: DroppedLines | undefined): Promise<void>;
  /** Keeps every unfinished line as it stands, then lets go of what it holds. */
  close(): Promise<void>;
}

/** Splits and keeps the lines on the thread that calls it. */
export class StoreLogWriter implements LogWriter {
  readonly #store: LogStore;
  readonly #splitter = new LogLineSplitter();

  constructor(store: LogStore) {
    this.#store = store;
  }

  write(texts: readonly LogText[], dropped: DroppedLines | undefined): Promise<void> {
    const records: LogRecord[] = [];
    for (const text of texts) this.#splitter.split(text, records);
    if (dropped !== undefined) records.push(droppedLinesRecord(dropped));
    return this.#store.append(records);
  }

  close(): Promise<void> {
    return this.#store.append(this.#splitter.drain());
  }
}
