/**
 * The end of one invocation's log, for Invoke's `LogType: Tail`: only the last bytes are kept however much the
 * function writes, so a chatty function costs a bounded amount of memory.
 */
export class LogTail {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #bytes = 0;

  /** Keeps at least the last `maxBytes` (up to twice that between trims). */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  readonly append = (text: string): void => {
    const chunk = Buffer.from(text, "utf8");
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    if (this.#bytes > 2 * this.#maxBytes) {
      const kept = this.bytes();
      this.#chunks = [kept];
      this.#bytes = kept.length;
    }
  };

  /** The last `maxBytes` written (a character cut at the start is cut as Lambda cuts it: by bytes). */
  bytes(): Buffer {
    const all = Buffer.concat(this.#chunks, this.#bytes);
    return all.subarray(Math.max(0, all.length - this.#maxBytes));
  }
}
