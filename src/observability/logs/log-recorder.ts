/**
 * Keeps every log text published on `logText` in the store, line by line. Never a store write per line on the
 * request path: lines wait in a batch, written in one transaction a moment later. The batch is bounded, so a
 * flood of output drops lines (counted) rather than grow memory without end.
 */
import type { LogRecord, LogStore } from "../../control/store/index.js";
import { type LogText, logText } from "../channels.js";
import { LogLineSplitter } from "./log-lines.js";

const FLUSH_INTERVAL_MS = 100;
/** A batch this big is written at once rather than at the next interval. */
const FLUSH_LINES = 500;
const MAX_PENDING_LINES = 20_000;

export class LogRecorder {
  readonly #store: LogStore;
  readonly #splitter = new LogLineSplitter();
  #pending: LogRecord[] = [];
  /** Lines handed to the store and not yet written: they count against the bound too. */
  #writingLines = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #subscribed = false;
  /** Lines dropped because the batch was full, or because the store failed to take them. */
  dropped = 0;
  /** Dropped since the last batch, and the first of them: the next batch says so in a line of its own. */
  #droppedUnsaid: { count: number; first: LogRecord } | undefined;

  constructor(store: LogStore) {
    this.#store = store;
  }

  readonly #onText = (message: unknown): void => {
    const records = this.#splitter.split(message as LogText);
    for (const record of records) {
      if (this.#pending.length + this.#writingLines < MAX_PENDING_LINES) {
        this.#pending.push(record);
        continue;
      }
      this.dropped++;
      if (this.#droppedUnsaid) this.#droppedUnsaid.count++;
      else this.#droppedUnsaid = { count: 1, first: record };
    }
    if (this.#pending.length >= FLUSH_LINES) void this.flush();
    else if (this.#pending.length > 0 || this.#droppedUnsaid)
      this.#timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  };

  start(): void {
    if (this.#subscribed) return;
    this.#subscribed = true;
    logText.subscribe(this.#onText);
  }

  /** Writes what waits; resolves once it is in the store. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (this.#droppedUnsaid) {
      const { count, first } = this.#droppedUnsaid;
      this.#droppedUnsaid = undefined;
      const message = `${count} log lines dropped here: they came faster than the log store could keep them`;
      batch.push({ time: Date.now(), kind: first.kind, name: first.name, level: "WARN", message });
    }
    if (batch.length === 0) return this.#writing;
    this.#writingLines += batch.length;
    this.#writing = this.#writing.then(() =>
      this.#store.append(batch).then(
        () => {
          this.#writingLines -= batch.length;
        },
        () => {
          this.#writingLines -= batch.length;
          this.dropped += batch.length;
        },
      ),
    );
    return this.#writing;
  }

  /** Unsubscribes, then writes every line still waiting, unfinished ones included. */
  async stop(): Promise<void> {
    if (this.#subscribed) logText.unsubscribe(this.#onText);
    this.#subscribed = false;
    this.#pending.push(...this.#splitter.drain());
    await this.flush();
  }
}
