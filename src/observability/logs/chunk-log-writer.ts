/**
 * Keeps chunks in a log store: a chunk of complete lines is kept as it came, unread; one in which a writer left a
 * line unfinished (rare) is split into lines here, so that the line is kept whole once its end comes.
 */
import { chunkText, type LogChunk, unpackLogTexts } from "../../control/store/log-chunk.js";
import type { LogRecord, LogStore } from "../../control/store/log-store.js";
import { type DroppedLines, droppedLinesRecord, LogLineSplitter } from "./log-lines.js";

export class ChunkLogWriter {
  readonly #store: LogStore;
  readonly #splitter = new LogLineSplitter();

  constructor(store: LogStore) {
    this.#store = store;
  }

  /** Keeps `chunk`, if any, then a line saying what was `dropped`. */
  async write(chunk: LogChunk | undefined, dropped: DroppedLines | undefined): Promise<void> {
    if (chunk !== undefined) await this.#keep(chunk);
    if (dropped !== undefined) await this.#store.append([droppedLinesRecord(dropped)]);
  }

  async #keep(chunk: LogChunk): Promise<void> {
    if (chunk.complete && !this.#splitter.waiting) return this.#store.appendChunk(chunk);
    const records: LogRecord[] = [];
    for (const text of unpackLogTexts(chunkText(chunk.text))) this.#splitter.split(text, records);
    await this.#store.append(records);
  }

  close(): Promise<void> {
    return this.#store.append(this.#splitter.drain());
  }
}
