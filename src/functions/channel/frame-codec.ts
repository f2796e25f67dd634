/**
 * Frames for the built-in runtimes' channel (fd 3 of the instance process): each frame is
 *   u32 BE header length | u32 BE body length | header (UTF-8 JSON object) | body (raw bytes)
 * The header carries what the Runtime API puts in HTTP headers; the body is the event or payload bytes.
 * The Python bootstrap implements the same layout with struct.pack(">II", ...).
 */

export interface Frame<H = Record<string, unknown>> {
  readonly header: H;
  readonly body: Buffer;
  /**
   * Set when the frame announced a body over the decoder's limit: the body's length. Such a body is
   * skipped as it arrives, never buffered, and `body` is empty.
   */
  readonly oversizedBodyBytes?: number;
}

export interface FrameLimits {
  readonly maxHeaderBytes: number;
  /** A longer body is skipped, and its frame delivered with `oversizedBodyBytes`. */
  readonly maxBodyBytes: number;
}

/** Headers carry a request id, a type and a few small fields; 64 KiB leaves ample room. */
export const MAX_HEADER_BYTES = 64 * 1024;

const PREFIX = 8;
const EMPTY = Buffer.alloc(0);

export type FrameErrorCode = "FRAME_HEADER_TOO_LARGE" | "FRAME_HEADER_INVALID" | "FRAME_HEADER_NOT_OBJECT";

/** The byte stream is not a sequence of valid frames; it cannot be resynchronised. */
export class FrameProtocolError extends Error {
  readonly code: FrameErrorCode;
  constructor(code: FrameErrorCode, message: string) {
    super(message);
    this.name = "FrameProtocolError";
    this.code = code;
  }
}

export function encodeFrame(header: object, body: Buffer | string = ""): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header));
  const bodyLength = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  const frame = Buffer.allocUnsafe(PREFIX + headerBytes.length + bodyLength);
  frame.writeUInt32BE(headerBytes.length, 0);
  frame.writeUInt32BE(bodyLength, 4);
  headerBytes.copy(frame, PREFIX);
  if (typeof body === "string") frame.write(body, PREFIX + headerBytes.length);
  else body.copy(frame, PREFIX + headerBytes.length);
  return frame;
}

/**
 * Turns stream chunks into frames, handed to `onFrame` in order. A chunk holding whole frames is
 * decoded in place (bodies are views of it); a frame split over chunks is kept as a list of pieces
 * and copied once, when its last byte arrives, so decoding stays linear in the bytes received.
 * `push` throws FrameProtocolError at the first invalid frame (after delivering the ones before it)
 * and on every call after that.
 */
export class FrameDecoder {
  readonly #onFrame: (frame: Frame) => void;
  readonly #limits: FrameLimits;
  /** The received part of an incomplete frame. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** The bytes the pending frame needs in all (its body left out when oversized); 0 until its prefix is complete. */
  #pendingNeeds = 0;
  /** Body bytes of an oversized frame still to skip. */
  #skipping = 0;
  readonly #prefix = Buffer.alloc(PREFIX);
  #failure: FrameProtocolError | undefined;

  constructor(onFrame: (frame: Frame) => void, limits: FrameLimits) {
    this.#onFrame = onFrame;
    this.#limits = limits;
  }

  /** Bytes held for a frame that is not complete yet (a stream that ends here was cut mid-frame). */
  get pendingBytes(): number {
    return this.#pendingBytes + this.#skipping;
  }

  push(chunk: Buffer): void {
    if (this.#failure) throw this.#failure;
    try {
      let offset = this.#skipping > 0 ? this.#skip(chunk, 0) : 0;
      if (this.#pendingBytes > 0 && offset < chunk.length) offset = this.#resume(chunk, offset);
      while (offset < chunk.length) {
        const end = this.#decodeAt(chunk, offset);
        if (end < 0) {
          this.#keep(chunk, offset);
          return;
        }
        offset = this.#skipping > 0 ? this.#skip(chunk, end) : end;
      }
    } catch (error) {
      if (error instanceof FrameProtocolError) this.#failure = error;
      throw error;
    }
  }

  /** Decodes the frame at `offset` if `buffer` holds all of it: returns the offset after it, else -1. */
  #decodeAt(buffer: Buffer, offset: number): number {
    if (buffer.length - offset < PREFIX) return -1;
    const headerLength = this.#checkedHeaderLength(buffer.readUInt32BE(offset));
    const bodyLength = buffer.readUInt32BE(offset + 4);
    const headerEnd = offset + PREFIX + headerLength;
    const oversized = bodyLength > this.#limits.maxBodyBytes;
    const end = oversized ? headerEnd : headerEnd + bodyLength;
    if (end > buffer.length) return -1;
    const header = parseHeader(buffer, offset + PREFIX, headerEnd);
    if (oversized) {
      this.#skipping = bodyLength;
      this.#onFrame({ header, body: EMPTY, oversizedBodyBytes: bodyLength });
    } else {
      this.#onFrame({ header, body: buffer.subarray(headerEnd, end) });
    }
    return end;
  }

  /** Keeps the start of an incomplete frame. */
  #keep(chunk: Buffer, offset: number): void {
    const rest = offset === 0 ? chunk : chunk.subarray(offset);
    this.#pending.push(rest);
    this.#pendingBytes = rest.length;
    // Sizing the frame as soon as its prefix is in rejects a bad length before waiting for its bytes.
    this.#pendingNeeds = rest.length >= PREFIX ? this.#frameSize(rest) : 0;
  }

  /** Adds a chunk to the pending frame; decodes it once complete. Returns the offset after what was used. */
  #resume(chunk: Buffer, offset: number): number {
    const available = chunk.length - offset;
    if (this.#pendingNeeds === 0) {
      if (this.#pendingBytes + available < PREFIX) return this.#append(chunk, offset);
      this.#pendingNeeds = this.#frameSize(this.#gatherPrefix(chunk, offset));
    }
    const missing = this.#pendingNeeds - this.#pendingBytes;
    if (available < missing) return this.#append(chunk, offset);
    this.#pending.push(chunk.subarray(offset, offset + missing));
    const frame = Buffer.concat(this.#pending, this.#pendingNeeds);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingNeeds = 0;
    this.#decodeAt(frame, 0);
    const end = offset + missing;
    return this.#skipping > 0 ? this.#skip(chunk, end) : end;
  }

  #append(chunk: Buffer, offset: number): number {
    this.#pending.push(offset === 0 ? chunk : chunk.subarray(offset));
    this.#pendingBytes += chunk.length - offset;
    return chunk.length;
  }

  /** The 8 prefix bytes when they are split between the pending pieces and `chunk`. */
  #gatherPrefix(chunk: Buffer, offset: number): Buffer {
    let filled = 0;
    for (const piece of this.#pending) filled += piece.copy(this.#prefix, filled);
    chunk.copy(this.#prefix, filled, offset, offset + PREFIX - filled);
    return this.#prefix;
  }

  /** The bytes a frame occupies before its body is skipped or complete, from its prefix. */
  #frameSize(prefix: Buffer): number {
    const headerLength = this.#checkedHeaderLength(prefix.readUInt32BE(0));
    const bodyLength = prefix.readUInt32BE(4);
    return PREFIX + headerLength + (bodyLength > this.#limits.maxBodyBytes ? 0 : bodyLength);
  }

  #checkedHeaderLength(length: number): number {
    if (length > this.#limits.maxHeaderBytes) {
      throw new FrameProtocolError(
        "FRAME_HEADER_TOO_LARGE",
        `its header length ${length} is over the ${this.#limits.maxHeaderBytes}-byte limit`,
      );
    }
    return length;
  }

  #skip(chunk: Buffer, offset: number): number {
    const skipped = Math.min(this.#skipping, chunk.length - offset);
    this.#skipping -= skipped;
    return offset + skipped;
  }
}

function parseHeader(buffer: Buffer, start: number, end: number): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(buffer.toString("utf8", start, end));
  } catch (error) {
    throw new FrameProtocolError(
      "FRAME_HEADER_INVALID",
      `its header is not JSON (${(error as Error).message})`,
    );
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new FrameProtocolError("FRAME_HEADER_NOT_OBJECT", "its header is JSON but not an object");
  }
  return header as Record<string, unknown>;
}
