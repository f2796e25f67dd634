/**
 * Log texts on their way to the log writer's thread, packed as chunks (log-chunk.ts) in UTF-8, straight into
 * memory both threads share. The gateway's thread writes each text there as it comes and posts only where a batch
 * lies; the other thread reads it from there. Measured against packing each batch into a string and posting it,
 * this spares the gateway's thread the string building, the copy a message makes, and the collection of texts
 * held until the batch is posted.
 *
 * One writer, one reader. A batch lies in one contiguous run of bytes; one that would run past the end is sealed
 * and the next starts at the beginning. Posted batches are released in the order they were taken, once kept.
 */
import { ChunkSummary, type LogChunk, packedHeader } from "../../control/store/log-chunk.js";
import type { LogText } from "../channels.js";

/** Where a batch lies, and the chunk fields besides its text: what the writer's thread is sent. */
export interface RingBatch extends Omit<LogChunk, "text"> {
  readonly start: number;
  readonly bytes: number;
}

/** UTF-8 takes at most 3 bytes for each UTF-16 unit (4 for a surrogate pair, which is 2 units). */
const MAX_BYTES_PER_UNIT = 3;

export class LogRing {
  readonly buffer: SharedArrayBuffer;
  readonly #bytes: Buffer;
  readonly #capacity: number;
  /** Where the next byte goes. */
  #head = 0;
  /** The first byte not yet released. */
  #tail = 0;
  /** Bytes from tail to head: gathered, posted, or skipped at the end before a wrap. */
  #used = 0;
  /** Batches sealed (by a wrap) or taken and not yet released: the bytes each holds, skipped ones included. */
  readonly #spans: number[] = [];
  #sealed: RingBatch[] = [];
  #start = 0;
  #summary = new ChunkSummary();
  #texts = 0;
  /** Bytes of the texts gathered and not yet taken. */
  #gatheredBytes = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.buffer = new SharedArrayBuffer(capacity);
    this.#bytes = Buffer.from(this.buffer);
  }

  /** Texts gathered and not yet taken. */
  get gathered(): number {
    return this.#texts;
  }

  /** Bytes of the texts gathered and not yet taken. */
  get gatheredBytes(): number {
    return this.#gatheredBytes;
  }

  /** Packs `text` into the batch being gathered; false, leaving everything as it was, when there is no room. */
  add(text: LogText): boolean {
    // One write: each call costs more than the bytes it copies.
    const packed = packedHeader(text) + text.text;
    // The exact size costs a pass over the text: only needed near the end of the room.
    const bound = packed.length * MAX_BYTES_PER_UNIT;
    const at = this.#placeFor(bound <= this.#roomAtHead() ? bound : Buffer.byteLength(packed));
    if (at === undefined) return false;
    const end = at + this.#bytes.write(packed, at);
    this.#gatheredBytes += end - at;
    this.#used += end - this.#head;
    this.#head = end;
    this.#summary.add(text);
    this.#texts++;
    return true;
  }

  /** The batches gathered since the last take, oldest first; each is released by `release` once kept. */
  take(): RingBatch[] {
    this.#seal();
    const taken = this.#sealed;
    this.#sealed = [];
    this.#gatheredBytes = 0;
    return taken;
  }

  /** Frees the oldest batch taken. */
  release(): void {
    const span = this.#spans.shift();
    if (span === undefined) return;
    this.#used -= span;
    this.#tail = (this.#tail + span) % this.#capacity;
  }

  /** The bytes of a batch, as the reading thread sees them: valid until the batch is released. */
  static bytes(buffer: SharedArrayBuffer, batch: RingBatch): Buffer {
    return Buffer.from(buffer, batch.start, batch.bytes);
  }

  /** Bytes free from the head on, in one run. */
  #roomAtHead(): number {
    if (this.#used === 0) return this.#capacity;
    if (this.#used >= this.#capacity) return 0;
    return this.#head < this.#tail ? this.#tail - this.#head : this.#capacity - this.#head;
  }

  /** Where `bytes` more can go in the batch being gathered, wrapping to the start if needed; undefined if nowhere. */
  #placeFor(bytes: number): number | undefined {
    if (this.#used === 0) {
      // Empty: start over at the beginning, where the most room is in one run.
      this.#head = this.#tail = this.#start = 0;
      return bytes <= this.#capacity ? 0 : undefined;
    }
    if (bytes <= this.#roomAtHead()) return this.#head;
    // The free bytes lie between head and tail, or the ring is full: no other run to wrap to.
    if (this.#head < this.#tail || this.#used >= this.#capacity || this.#tail < bytes) return undefined;
    // Past the end: the batch so far is sealed, the bytes left at the end are skipped with the last batch, and a
    // new one starts at the beginning.
    this.#seal();
    const skipped = this.#capacity - this.#head;
    this.#spans[this.#spans.length - 1] = (this.#spans.at(-1) as number) + skipped;
    this.#used += skipped;
    this.#head = this.#start = 0;
    return 0;
  }

  #seal(): void {
    if (this.#texts === 0) return;
    const bytes = this.#head - this.#start;
    this.#sealed.push({ start: this.#start, bytes, ...this.#summary.fields() });
    this.#spans.push(bytes);
    this.#start = this.#head;
    this.#summary = new ChunkSummary();
    this.#texts = 0;
  }
}
