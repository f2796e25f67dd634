/** The channel's frame codec: valid streams however they are chunked, and every way a stream can be invalid. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  encodeFrame,
  type Frame,
  FrameDecoder,
  type FrameLimits,
  FrameProtocolError,
} from "../../../src/functions/channel/frame-codec.js";

const LIMITS: FrameLimits = { maxHeaderBytes: 1024, maxBodyBytes: 64 };

/** A decoder and the frames it has delivered. */
function decoder(limits: FrameLimits = LIMITS): { decoder: FrameDecoder; frames: Frame[] } {
  const frames: Frame[] = [];
  return { decoder: new FrameDecoder((frame) => frames.push(frame), limits), frames };
}

/** A frame's bytes with any header text and announced lengths, valid or not. */
function rawFrame(header: string, body = "", announcedBodyLength = Buffer.byteLength(body)): Buffer {
  const headerBytes = Buffer.from(header);
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32BE(headerBytes.length, 0);
  prefix.writeUInt32BE(announcedBodyLength, 4);
  return Buffer.concat([prefix, headerBytes, Buffer.from(body)]);
}

function plain(frames: Frame[]) {
  return frames.map((frame) => ({
    header: frame.header,
    body: frame.body.toString("utf8"),
    oversizedBodyBytes: frame.oversizedBodyBytes,
  }));
}

function assertProtocolError(action: () => void, code: string, message: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof FrameProtocolError, `not a FrameProtocolError: ${error}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

const stream = [
  { header: { type: "invoke", requestId: "r1" }, body: '{"café":"☕"}' },
  { header: { type: "log" }, body: "" },
  { header: { type: "response", requestId: "r1", maxRssKb: 1234 }, body: "x".repeat(64) },
];
const encoded = Buffer.concat(stream.map((frame) => encodeFrame(frame.header, frame.body)));
const expected = stream.map((frame) => ({ ...frame, oversizedBodyBytes: undefined }));

describe("valid streams", () => {
  test("a frame round-trips, header and body (UTF-8 included)", () => {
    const { decoder: d, frames } = decoder();
    d.push(encodeFrame(stream[0]?.header as object, stream[0]?.body));
    assert.deepEqual(plain(frames), expected.slice(0, 1));
    assert.equal(d.pendingBytes, 0);
  });

  test("many frames in one chunk come out in order", () => {
    const { decoder: d, frames } = decoder();
    d.push(encoded);
    assert.deepEqual(plain(frames), expected);
  });

  test("a stream split in two at every byte boundary decodes the same", () => {
    for (let cut = 0; cut <= encoded.length; cut++) {
      const { decoder: d, frames } = decoder();
      d.push(encoded.subarray(0, cut));
      d.push(encoded.subarray(cut));
      assert.deepEqual(plain(frames), expected, `cut at ${cut}`);
      assert.equal(d.pendingBytes, 0);
    }
  });

  test("a stream fed one byte at a time decodes the same", () => {
    const { decoder: d, frames } = decoder();
    for (let i = 0; i < encoded.length; i++) d.push(encoded.subarray(i, i + 1));
    assert.deepEqual(plain(frames), expected);
  });

  test("a chunk holding a whole frame is decoded in place: the body is a view of the chunk", () => {
    const { decoder: d, frames } = decoder();
    const chunk = encodeFrame({ type: "response" }, "payload");
    d.push(chunk);
    assert.equal(frames[0]?.body.buffer, chunk.buffer);
  });

  test("a frame split over many chunks is copied once, not once per chunk", () => {
    const limits = { maxHeaderBytes: 1024, maxBodyBytes: 8 * 1024 * 1024 };
    const { decoder: d, frames } = decoder(limits);
    const frame = encodeFrame({ type: "response" }, Buffer.alloc(6 * 1024 * 1024, 7));
    const concat = Buffer.concat;
    let copied = 0;
    Buffer.concat = (list: readonly Uint8Array[], length?: number) => {
      copied += length ?? list.reduce((sum, piece) => sum + piece.length, 0);
      return concat(list, length);
    };
    try {
      for (let i = 0; i < frame.length; i += 64 * 1024) d.push(frame.subarray(i, i + 64 * 1024));
    } finally {
      Buffer.concat = concat;
    }
    assert.equal(frames.length, 1);
    assert.equal(frames[0]?.body.length, 6 * 1024 * 1024);
    assert.ok(copied <= frame.length, `copied ${copied} bytes for a ${frame.length}-byte frame`);
  });
});

describe("truncated and oversized frames", () => {
  test("a truncated frame yields nothing and is held, not an error", () => {
    for (let cut = 1; cut < encoded.length; cut++) {
      const { decoder: d, frames } = decoder();
      d.push(encoded.subarray(0, cut));
      const whole = expected.filter((_, i) => encodeFramesLength(i + 1) <= cut);
      assert.deepEqual(plain(frames), whole, `cut at ${cut}`);
      assert.equal(d.pendingBytes, cut - encodeFramesLength(whole.length));
    }
  });

  test("a header length over the limit is rejected as soon as the prefix arrives", () => {
    const { decoder: d } = decoder();
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32BE(1025, 0);
    assertProtocolError(
      () => d.push(prefix),
      "FRAME_HEADER_TOO_LARGE",
      /header length 1025 is over the 1024-byte limit/,
    );
  });

  test("text that is not a frame reads as an absurd header length", () => {
    const { decoder: d } = decoder();
    assertProtocolError(
      () => d.push(Buffer.from("hello, channel\n")),
      "FRAME_HEADER_TOO_LARGE",
      /1751477356/,
    );
  });

  test("a split prefix is checked once complete", () => {
    const { decoder: d } = decoder();
    d.push(Buffer.from([0, 0, 0x10]));
    assertProtocolError(() => d.push(Buffer.from([0, 0, 0, 0, 0])), "FRAME_HEADER_TOO_LARGE", /4096/);
  });

  test("an oversized body is skipped, its frame flagged, and the stream goes on", () => {
    const big = rawFrame('{"type":"response"}', "y".repeat(100));
    const after = encodeFrame({ type: "log" }, "next");
    const bytes = Buffer.concat([encodeFrame({ type: "log" }, "before"), big, after]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { decoder: d, frames } = decoder();
      d.push(bytes.subarray(0, cut));
      d.push(bytes.subarray(cut));
      assert.deepEqual(
        plain(frames),
        [
          { header: { type: "log" }, body: "before", oversizedBodyBytes: undefined },
          { header: { type: "response" }, body: "", oversizedBodyBytes: 100 },
          { header: { type: "log" }, body: "next", oversizedBodyBytes: undefined },
        ],
        `cut at ${cut}`,
      );
    }
  });

  test("an oversized body is flagged as soon as its header is in, before its bytes arrive", () => {
    const { decoder: d, frames } = decoder();
    d.push(rawFrame('{"type":"log"}', "", 4_000_000_000));
    assert.deepEqual(plain(frames), [
      { header: { type: "log" }, body: "", oversizedBodyBytes: 4_000_000_000 },
    ]);
    d.push(Buffer.alloc(1000));
    assert.equal(d.pendingBytes, 4_000_000_000 - 1000, "skipped bytes are counted, not kept");
  });
});

describe("invalid headers", () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ["not JSON", "{not json", "FRAME_HEADER_INVALID", /its header is not JSON/],
    ["empty", "", "FRAME_HEADER_INVALID", /its header is not JSON/],
    ["null", "null", "FRAME_HEADER_NOT_OBJECT", /not an object/],
    ["an array", "[1,2]", "FRAME_HEADER_NOT_OBJECT", /not an object/],
    ["a number", "42", "FRAME_HEADER_NOT_OBJECT", /not an object/],
    ["a string", '"log"', "FRAME_HEADER_NOT_OBJECT", /not an object/],
  ];
  for (const [name, header, code, message] of cases) {
    test(`a header that is ${name} is rejected with ${code}`, () => {
      const { decoder: d } = decoder();
      assertProtocolError(() => d.push(rawFrame(header)), code, message);
    });
  }

  test("frames before the invalid one are delivered, and the decoder stays failed", () => {
    const { decoder: d, frames } = decoder();
    const bytes = Buffer.concat([
      encodeFrame({ type: "log" }, "first"),
      rawFrame("{oops"),
      encodeFrame({ type: "log" }),
    ]);
    assertProtocolError(() => d.push(bytes), "FRAME_HEADER_INVALID", /not JSON/);
    assert.deepEqual(plain(frames), [
      { header: { type: "log" }, body: "first", oversizedBodyBytes: undefined },
    ]);
    assertProtocolError(() => d.push(encodeFrame({ type: "log" })), "FRAME_HEADER_INVALID", /not JSON/);
    assert.equal(frames.length, 1);
  });
});

/** Bytes taken by the first `count` frames of `stream`. */
function encodeFramesLength(count: number): number {
  return stream.slice(0, count).reduce((sum, frame) => sum + encodeFrame(frame.header, frame.body).length, 0);
}
