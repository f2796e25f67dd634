/**
 * Keeps every log text published on `logText`, through a LogWriter. The publisher's path only hands the text to
 * the writer's batch: it is split into lines and kept with others a moment later. What waits is bounded by the
 * writer, so a flood of output drops lines (counted, and said in the log) rather than grow memory without end.
 */
import { type LogText, logText } from "../channels.js";
import { type DroppedLines, lineCount } from "./log-lines.js";
import type { LogWriter } from "./log-writer.js";

const FLUSH_INTERVAL_MS = 100;

export class LogRecorder {
  readonly #writer: LogWriter;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #subscribed = false;
  /** Lines dropped because too much waited, or because the writer failed to keep them. */
  dropped = 0;
  /** Dropped since the last batch: the next batch says so. */
  #droppedUnsaid: { count: number; first: LogText } | undefined;

  constructor(writer: LogWriter) {
    this.#writer = writer;
  }

  readonly #onText = (message: unknown): void => {
    const text = message as LogText;
    if (!this.#writer.add(text)) {
      const count = lineCount(text.text);
      this.dropped += count;
      if (this.#droppedUnsaid) this.#droppedUnsaid.count += count;
      else this.#droppedUnsaid = { count, first: text };
    }
    if (this.#writer.full) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  };

  start(): void {
    if (this.#subscribed) return;
    this.#subscribed = true;
    logText.subscribe(this.#onText);
  }

  /** Keeps what waits; resolves once it is kept. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const dropped: DroppedLines | undefined = this.#droppedUnsaid;
    this.#droppedUnsaid = undefined;
    if (this.#writer.gathered === 0 && dropped === undefined) return this.#writing;
    // Taken now, so that texts from here on go to the next batch; the writer keeps batches in order.
    const kept = this.#writer.flush(dropped);
    this.#writing = this.#writing.then(async () => {
      this.dropped += await kept;
    });
    return this.#writing;
  }

  /** Unsubscribes, then keeps every line still waiting, unfinished ones included, and closes the writer. */
  async stop(): Promise<void> {
    if (this.#subscribed) logText.unsubscribe(this.#onText);
    this.#subscribed = false;
    await this.flush();
    await this.#writer.close();
  }
}
