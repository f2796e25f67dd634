/**
 * Keeps every log text published on `logText`, through a LogWriter. The publisher's path only queues the text: it
 * is split into lines and written with others a moment later, in one batch. What waits is bounded, so a flood of
 * output drops lines (counted, and said in the log) rather than grow memory without end.
 */
import { type LogText, logText } from "../channels.js";
import { type DroppedLines, lineCount } from "./log-lines.js";
import type { LogWriter } from "./log-writer.js";

const FLUSH_INTERVAL_MS = 100;
/** This many texts are written at once rather than at the next interval. */
const FLUSH_TEXTS = 500;
/** Characters waiting or being written, at most, by default. */
const MAX_PENDING_CHARS = 16 * 1024 * 1024;

export class LogRecorder {
  readonly #writer: LogWriter;
  readonly #maxPendingChars: number;
  #pending: LogText[] = [];
  #pendingChars = 0;
  /** Characters handed to the writer and not yet kept: they count against the bound too. */
  #writingChars = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #subscribed = false;
  /** Lines dropped because too much waited, or because the writer failed to keep them. */
  dropped = 0;
  /** Dropped since the last batch: the next batch says so. */
  #droppedUnsaid: { count: number; first: LogText } | undefined;

  constructor(writer: LogWriter, { maxPendingChars = MAX_PENDING_CHARS } = {}) {
    this.#writer = writer;
    this.#maxPendingChars = maxPendingChars;
  }

  readonly #onText = (message: unknown): void => {
    const text = message as LogText;
    if (this.#pendingChars + this.#writingChars + text.text.length > this.#maxPendingChars) {
      const count = lineCount(text.text);
      this.dropped += count;
      if (this.#droppedUnsaid) this.#droppedUnsaid.count += count;
      else this.#droppedUnsaid = { count, first: text };
    } else {
      this.#pending.push(text);
      this.#pendingChars += text.text.length;
    }
    if (this.#pending.length >= FLUSH_TEXTS) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  };

  start(): void {
    if (this.#subscribed) return;
    this.#subscribed = true;
    logText.subscribe(this.#onText);
  }

  /** Writes what waits; resolves once it is kept. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    const chars = this.#pendingChars;
    const dropped: DroppedLines | undefined = this.#droppedUnsaid;
    this.#pending = [];
    this.#pendingChars = 0;
    this.#droppedUnsaid = undefined;
    if (batch.length === 0 && dropped === undefined) return this.#writing;
    this.#writingChars += chars;
    this.#writing = this.#writing.then(() =>
      this.#writer.write(batch, dropped).then(
        () => {
          this.#writingChars -= chars;
        },
        () => {
          this.#writingChars -= chars;
          for (const text of batch) this.dropped += lineCount(text.text);
        },
      ),
    );
    return this.#writing;
  }

  /** Unsubscribes, then writes every line still waiting, unfinished ones included, and closes the writer. */
  async stop(): Promise<void> {
    if (this.#subscribed) logText.unsubscribe(this.#onText);
    this.#subscribed = false;
    await this.flush();
    await this.#writer.close();
  }
}
