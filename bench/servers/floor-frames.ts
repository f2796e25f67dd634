/** The isolation floor's frames: a u32 BE length, then that many bytes of UTF-8 JSON. */

export function encodeFloorFrame(message: unknown): Buffer {
  const bytes = Buffer.from(JSON.stringify(message));
  const frame = Buffer.allocUnsafe(4 + bytes.length);
  frame.writeUInt32BE(bytes.length, 0);
  bytes.copy(frame, 4);
  return frame;
}

/** A stream's `data` listener calling `onMessage` with each whole frame's JSON, in order. */
export function floorFrameReader(onMessage: (message: unknown) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      onMessage(JSON.parse(pending.toString("utf8", 4, 4 + length)));
      pending = pending.subarray(4 + length);
    }
  };
}
