/** Where the recorder's log texts go: gathered into batches and kept in a log store. */
import type { LogStore } from "../../control/store/index.js";
import { packLogTexts } from "../../control/store/log-chunk.js";
import type { LogText } from "../channels.js";
import { ChunkLogWriter } from "./chunk-log-writer.js";
import { type DroppedLines, lineCount } from "./log-lines.js";

/** Characters gathered or being kept, at most, by default. */
const MAX_PENDING_CHARS = 16 * 1024 * 1024;
/** Texts held on the heap until kept: kept sooner, they die young, which costs the collector least. */
const FULL_BATCH_TEXTS = 500;

export interface LogWriter {
  /** Adds `text` to the batch being gathered; false when there is no room for it now (it is not kept). */
  add(text: LogText): boolean;
  /** Texts in the batch being gathered. */
  readonly gathered: number;
  /** Whether the batch is as large as one should get: the recorder keeps it now, not at its next interval. */
  readonly full: boolean;
  /**
   * Keeps the complete lines of the batch gathered so far, and a line saying what was `dropped` before them.
   * Resolves once kept, to the number of lines it could not keep.
   */
  flush(dropped: DroppedLines | undefined): Promise<number>;
  /** Keeps every unfinished line as it stands, then lets go of what it holds. */
  close(): Promise<void>;
}

/** Keeps each batch as one chunk, on the thread that calls it. */
export class StoreLogWriter implements LogWriter {
  readonly #chunks: ChunkLogWriter;
  readonly #maxPendingChars: number;
  #batch: LogText[] = [];
  #batchChars = 0;
  /** Characters handed to the store and not yet kept: they count against the bound too. */
  #writingChars = 0;

  constructor(store: LogStore, { maxPendingChars = MAX_PENDING_CHARS } = {}) {
    this.#chunks = new ChunkLogWriter(store);
    this.#maxPendingChars = maxPendingChars;
  }

  get gathered(): number {
    return this.#batch.length;
  }

  get full(): boolean {
    return this.#batch.length >= FULL_BATCH_TEXTS;
  }

  add(text: LogText): boolean {
    if (this.#batchChars + this.#writingChars + text.text.length > this.#maxPendingChars) return false;
    this.#batch.push(text);
    this.#batchChars += text.text.length;
    return true;
  }

  async flush(dropped: DroppedLines | undefined): Promise<number> {
    const texts = this.#batch;
    const chars = this.#batchChars;
    this.#batch = [];
    this.#batchChars = 0;
    this.#writingChars += chars;
    try {
      await this.#chunks.write(texts.length > 0 ? packLogTexts(texts) : undefined, dropped);
      return 0;
    } catch {
      return texts.reduce((lines, text) => lines + lineCount(text.text), 0);
    } finally {
      this.#writingChars -= chars;
    }
  }

  close(): Promise<void> {
    return this.#chunks.close();
  }
}
