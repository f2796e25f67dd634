/**
 * Frames for the built-in runtimes' channel (fd 3 of the instance process): each frame is
 *   u32 BE header length | u32 BE body length | header (UTF-8 JSON) | body (raw bytes)
 * The header carries what the Runtime API puts in HTTP headers; the body is the event or payload bytes.
 * The Python bootstrap implements the same layout with struct.pack(">II", ...).
 */

export interface Frame<H = Record<string, unknown>> {
  readonly header: H;
  readonly body: Buffer;
}

const PREFIX = 8;

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

/** Accumulates stream chunks and yields whole frames. */
export class FrameDecoder {
  #pending: Buffer[] = [];
  #pendingLength = 0;

  /** Feeds a chunk; returns the frames it completed (often exactly one). */
  push(chunk: Buffer): Frame[] {
    let buffer: Buffer;
    if (this.#pendingLength === 0) {
      buffer = chunk;
    } else {
      this.#pending.push(chunk);
      buffer = Buffer.concat(this.#pending, this.#pendingLength + chunk.length);
      this.#pending = [];
      this.#pendingLength = 0;
    }
    const frames: Frame[] = [];
    let offset = 0;
    while (buffer.length - offset >= PREFIX) {
      const headerLength = buffer.readUInt32BE(offset);
      const bodyLength = buffer.readUInt32BE(offset + 4);
      const end = offset + PREFIX + headerLength + bodyLength;
      if (end > buffer.length) break;
      const headerEnd = offset + PREFIX + headerLength;
      frames.push({
        header: JSON.parse(buffer.toString("utf8", offset + PREFIX, headerEnd)),
        body: buffer.subarray(headerEnd, end),
      });
      offset = end;
    }
    if (offset < buffer.length) {
      const rest = buffer.subarray(offset);
      this.#pending.push(rest);
      this.#pendingLength = rest.length;
    }
    return frames;
  }
}
