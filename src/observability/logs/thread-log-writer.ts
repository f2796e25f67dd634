/**
 * Keeps log lines from a thread of its own: writing them (a segment file and a row, log-segments.ts) costs more
 * than the gateway's thread should spend beside serving. Texts are packed into memory both threads share as they
 * come (log-ring.ts), and the thread is told where each batch lies. It opens its own connection to the store file
 * (write-ahead logging lets it write beside the main connection's readers). Should the thread fail, lines are kept
 * by the fallback writer, on the calling thread, from then on.
 */
import { Worker } from "node:worker_threads";
import type { LogLocation } from "../../control/store/index.js";
import { lineCount } from "../../control/store/log-chunk.js";
import type { LogText } from "../channels.js";
import type { DroppedLines } from "./log-lines.js";
import { LogRing, type RingBatch } from "./log-ring.js";
import type { LogWriter } from "./log-writer.js";

/** Bytes of log texts gathered or being kept, at most, by default. */
const RING_BYTES = 16 * 1024 * 1024;
/**
 * The share of the ring, or of the store's size bound if smaller, a batch fills before it is kept without waiting
 * for the recorder's interval. Each batch wakes the thread and costs a message each way, while texts waiting in
 * the ring cost nothing but room: batches bounded by texts (500) rather than bytes cost about a tenth of
 * throughput under load (measured). The store keeps or drops a batch whole, so a batch stays small beside its bound.
 */
const FULL_BATCH_SHARE = 1 / 8;

/** What the thread is given to start: the store, and the memory batches are read from. */
export interface LogWriterData {
  readonly location: LogLocation;
  readonly ring: SharedArrayBuffer;
}

/** What the thread is asked: keep batches (the first after a line saying what was dropped), or close. */
export type LogWriterRequest =
  | {
      readonly close?: false;
      readonly batches: readonly RingBatch[];
      readonly dropped: DroppedLines | undefined;
    }
  | { readonly close: true };

/** One reply per request, in order. */
export type LogWriterReply = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** How a request went: the lines of its batches not kept, and why, if the thread failed it. */
interface Outcome {
  readonly linesLost: number;
  readonly error?: Error;
}

interface Waiting {
  /** Batches the request holds in the ring, released when it is answered. */
  readonly batches: readonly RingBatch[];
  resolve(outcome: Outcome): void;
}

export class ThreadLogWriter implements LogWriter {
  readonly #worker: Worker;
  readonly #fallback: LogWriter;
  readonly #ring: LogRing;
  /** Bytes gathered past which a batch is full. */
  readonly #fullBatchBytes: number;
  /** The requests sent and not yet answered, oldest first. */
  readonly #waiting: Waiting[] = [];
  #failed: Error | undefined;
  /** Lines gathered in the ring when the thread failed: the next flush counts them as lost. */
  #linesLostInFailure = 0;
  #closing = false;

  constructor(location: LogLocation, fallback: LogWriter, { ringBytes = RING_BYTES } = {}) {
    this.#fallback = fallback;
    this.#ring = new LogRing(ringBytes);
    this.#fullBatchBytes = Math.min(ringBytes, location.retention.maxBytes) * FULL_BATCH_SHARE;
    this.#worker = new Worker(new URL("./log-writer-worker.js", import.meta.url), {
      workerData: { location, ring: this.#ring.buffer } satisfies LogWriterData,
    });
    // Portico's stop closes it; until then it must not hold the process open by itself.
    this.#worker.unref();
    this.#worker.on("message", (reply: LogWriterReply) =>
      this.#answer(reply.ok ? undefined : new Error(reply.message)),
    );
    this.#worker.on("error", (error) => this.#fail(error));
    this.#worker.on("exit", (code) => {
      if (!this.#closing) this.#fail(new Error(`The log writer thread exited with code ${code}.`));
    });
  }

  /** Whether lines go to the fallback writer now. */
  get failed(): boolean {
    return this.#failed !== undefined;
  }

  get gathered(): number {
    return this.#failed ? this.#fallback.gathered : this.#ring.gathered;
  }

  get full(): boolean {
    return this.#failed ? this.#fallback.full : this.#ring.gatheredBytes >= this.#fullBatchBytes;
  }

  add(text: LogText): boolean {
    return this.#failed ? this.#fallback.add(text) : this.#ring.add(text);
  }

  async flush(dropped: DroppedLines | undefined): Promise<number> {
    if (this.#failed) {
      const lost = this.#linesLostInFailure;
      this.#linesLostInFailure = 0;
      return lost + (await this.#fallback.flush(dropped));
    }
    const batches = this.#ring.take();
    return (await this.#request({ batches, dropped }, batches)).linesLost;
  }

  async close(): Promise<void> {
    if (this.#failed) return this.#fallback.close();
    this.#closing = true;
    try {
      const { error } = await this.#request({ close: true }, []);
      if (error) throw error;
    } finally {
      await this.#worker.terminate();
    }
  }

  #request(request: LogWriterRequest, batches: readonly RingBatch[]): Promise<Outcome> {
    return new Promise((resolve) => {
      this.#waiting.push({ batches, resolve });
      this.#worker.postMessage(request);
    });
  }

  /** The oldest request is answered: its batches are released, their lines counted as lost if not kept. */
  #answer(error: Error | undefined): void {
    const waiting = this.#waiting.shift();
    if (waiting === undefined) return;
    const linesLost = error ? this.#linesIn(waiting.batches) : 0;
    for (const _ of waiting.batches) this.#ring.release();
    waiting.resolve({ linesLost, error });
  }

  /** Lines in batches still in the ring (not yet released). */
  #linesIn(batches: readonly RingBatch[]): number {
    return batches.reduce(
      (lines, batch) => lines + lineCount({ ...batch, text: LogRing.bytes(this.#ring.buffer, batch) }),
      0,
    );
  }

  /** From now on the fallback keeps lines; every request not answered, and what the ring gathered, are lost. */
  #fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = error;
    while (this.#waiting.length > 0) this.#answer(error);
    const gathered = this.#ring.take();
    this.#linesLostInFailure += this.#linesIn(gathered);
    for (const _ of gathered) this.#ring.release();
  }
}
