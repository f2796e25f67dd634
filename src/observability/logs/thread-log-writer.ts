/**
 * Keeps log lines from a thread of its own: the SQLite insert costs more than the gateway's thread should spend
 * beside serving. Each batch goes to the thread as one chunk (log-chunk.ts). The thread opens its own
 * connection to the store file (write-ahead logging lets it write beside the main connection's readers). Should
 * the thread fail, lines are kept by the fallback writer, on the calling thread, from then on.
 */
import { Worker } from "node:worker_threads";
import type { LogLocation } from "../../control/store/index.js";
import { type LogChunk, packLogTexts } from "../../control/store/log-chunk.js";
import type { LogText } from "../channels.js";
import type { DroppedLines } from "./log-lines.js";
import type { LogWriter } from "./log-writer.js";

/** What the thread is asked: write a batch, packed as a chunk (one string: cloning objects cost more), or close. */
export type LogWriterRequest =
  | { readonly close?: false; readonly chunk: LogChunk; readonly dropped: DroppedLines | undefined }
  | { readonly close: true };

/** One reply per request, in order. */
export type LogWriterReply = { readonly ok: true } | { readonly ok: false; readonly message: string };

export class ThreadLogWriter implements LogWriter {
  readonly #worker: Worker;
  readonly #fallback: LogWriter;
  /** The requests sent and not yet answered, oldest first. */
  readonly #waiting: { resolve(): void; reject(error: Error): void }[] = [];
  #failed: Error | undefined;
  #closing = false;

  constructor(location: LogLocation, fallback: LogWriter) {
    this.#fallback = fallback;
    this.#worker = new Worker(new URL("./log-writer-worker.js", import.meta.url), { workerData: location });
    // Portico's stop closes it; until then it must not hold the process open by itself.
    this.#worker.unref();
    this.#worker.on("message", (reply: LogWriterReply) => {
      const waiting = this.#waiting.shift();
      if (reply.ok) waiting?.resolve();
      else waiting?.reject(new Error(reply.message));
    });
    this.#worker.on("error", (error) => this.#fail(error));
    this.#worker.on("exit", (code) => {
      if (!this.#closing) this.#fail(new Error(`The log writer thread exited with code ${code}.`));
    });
  }

  /** Whether lines go to the fallback writer now. */
  get failed(): boolean {
    return this.#failed !== undefined;
  }

  write(texts: readonly LogText[], dropped: DroppedLines | undefined): Promise<void> {
    if (this.#failed) return this.#fallback.write(texts, dropped);
    return this.#request({ chunk: packLogTexts(texts), dropped });
  }

  async close(): Promise<void> {
    if (this.#failed) return this.#fallback.close();
    this.#closing = true;
    try {
      await this.#request({ close: true });
    } finally {
      await this.#worker.terminate();
    }
  }

  #request(request: LogWriterRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#worker.postMessage(request);
    });
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const waiting of this.#waiting.splice(0)) waiting.reject(error);
  }
}
