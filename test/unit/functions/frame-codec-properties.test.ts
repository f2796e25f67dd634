/**
 * Property-based tests of the frame decoder (fast-check): whatever bytes arrive, in whatever chunks,
 * it yields exactly the frames that were encoded, or fails with its typed error and nothing else.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  encodeFrame,
  type Frame,
  FrameDecoder,
  type FrameLimits,
  FrameProtocolError,
} from "../../../src/functions/channel/frame-codec.js";

const LIMITS: FrameLimits = { maxHeaderBytes: 256, maxBodyBytes: 48 };
const RUNS = { numRuns: 300 };

const header = fc.dictionary(
  fc.string({ maxLength: 8 }),
  fc.oneof(fc.string({ maxLength: 16 }), fc.integer(), fc.boolean(), fc.constant(null)),
  { maxKeys: 4 },
);
const frameSpec = fc.record({ header, body: fc.uint8Array({ maxLength: 80 }) });

/** Splits `bytes` at the given offsets (taken modulo its length, sorted). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => (bytes.length === 0 ? 0 : cut % (bytes.length + 1))))].sort(
    (a, b) => a - b,
  );
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

function decodeAll(chunks: Buffer[]): { frames: Frame[]; error: unknown; decoder: FrameDecoder } {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder((frame) => frames.push(frame), LIMITS);
  let error: unknown;
  try {
    for (const chunk of chunks) decoder.push(chunk);
  } catch (thrown) {
    error = thrown;
  }
  return { frames, error, decoder };
}

/** What the decoder must deliver for a frame: its body, or only its length when over the limit. */
function expectedFrame(spec: { header: object; body: Uint8Array }) {
  const oversized = spec.body.length > LIMITS.maxBodyBytes;
  return {
    header: JSON.parse(JSON.stringify(spec.header)),
    body: oversized ? "" : Buffer.from(spec.body).toString("hex"),
    oversizedBodyBytes: oversized ? spec.body.length : undefined,
  };
}

function actualFrame(frame: Frame) {
  return {
    header: frame.header,
    body: frame.body.toString("hex"),
    oversizedBodyBytes: frame.oversizedBodyBytes,
  };
}

test("any chunking of a valid stream yields exactly the encoded frames", () => {
  fc.assert(
    fc.property(
      fc.array(frameSpec, { maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (specs, cuts) => {
        const bytes = Buffer.concat(specs.map((spec) => encodeFrame(spec.header, Buffer.from(spec.body))));
        const { frames, error, decoder } = decodeAll(chunked(bytes, cuts));
        assert.equal(error, undefined);
        assert.deepEqual(frames.map(actualFrame), specs.map(expectedFrame));
        assert.equal(decoder.pendingBytes, 0);
      },
    ),
    RUNS,
  );
});

test("a truncated stream yields the whole frames before the cut and holds the rest", () => {
  fc.assert(
    fc.property(fc.array(frameSpec, { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), (specs, at, cut) => {
      const encoded = specs.map((spec) => encodeFrame(spec.header, Buffer.from(spec.body)));
      const bytes = Buffer.concat(encoded);
      const end = at % bytes.length;
      const { frames, error, decoder } = decodeAll(chunked(bytes.subarray(0, end), [cut]));
      assert.equal(error, undefined);
      let complete = 0;
      let offset = 0;
      for (const frame of encoded) {
        if (offset + frame.length > end) break;
        offset += frame.length;
        complete++;
      }
      assert.deepEqual(frames.map(actualFrame), specs.slice(0, complete).map(expectedFrame));
      // Held: the rest of the stream, except that an oversized body already flagged counts as still to skip.
      assert.ok(decoder.pendingBytes >= end - offset);
    }),
    RUNS,
  );
});

test("random bytes, however chunked, fail only with FrameProtocolError", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
      const { error } = decodeAll(chunked(Buffer.from(bytes), cuts));
      assert.ok(error === undefined || error instanceof FrameProtocolError, `unexpected ${error}`);
    }),
    RUNS,
  );
});

test("frames with random header bytes and announced lengths fail only with FrameProtocolError", () => {
  const rawFrame = fc.record({
    headerBytes: fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ maxLength: 40 }).map((text) => new TextEncoder().encode(text)),
      fc.json().map((text) => new TextEncoder().encode(text)),
    ),
    headerLength: fc.option(fc.nat(), { nil: undefined }),
    bodyLength: fc.oneof(fc.nat({ max: 100 }), fc.nat()),
  });
  fc.assert(
    fc.property(
      fc.array(rawFrame, { maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      (frames, cuts) => {
        const bytes = Buffer.concat(
          frames.map(({ headerBytes, headerLength, bodyLength }) => {
            const prefix = Buffer.alloc(8);
            prefix.writeUInt32BE(headerLength ?? headerBytes.length, 0);
            prefix.writeUInt32BE(bodyLength, 4);
            return Buffer.concat([prefix, headerBytes, Buffer.alloc(Math.min(bodyLength, 100))]);
          }),
        );
        const { frames: decoded, error } = decodeAll(chunked(bytes, cuts));
        assert.ok(error === undefined || error instanceof FrameProtocolError, `unexpected ${error}`);
        for (const frame of decoded) {
          assert.equal(typeof frame.header, "object");
          assert.ok(frame.body.length <= LIMITS.maxBodyBytes);
        }
      },
    ),
    RUNS,
  );
});
