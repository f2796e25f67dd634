/**
 * The texts of the SQLite store's log chunks, in append-only files beside the store file (`portico.db-logs/`),
 * while each chunk's row says where its bytes lie. Kept in the store file, every byte was written twice (to the
 * write-ahead log, then by the checkpoint), beside the instances on the same cores: a few percent of the gateway's
 * throughput (measured). A segment is written once, front to back, and deleted whole once retention has dropped
 * every chunk in it.
 *
 * The caller writes a chunk's bytes inside the transaction that adds its row, at the end the store says the last
 * row's bytes end: bytes a crash wrote without their row are written over by the next chunk, and a reader reads
 * only what a row names. Segment numbers are never given twice, so a row read before its segment was deleted finds
 * the file gone rather than another segment's bytes.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/** A segment is closed, and the next begun, once it holds this share of the size limit. */
const SEGMENTS_PER_LIMIT = 16;
const MIN_SEGMENT_BYTES = 64 * 1024;
const MAX_SEGMENT_BYTES = 16 * 1024 * 1024;
const SEGMENT_NAME = /^(\d{10})\.chunks$/;

/** Where a chunk's bytes lie. */
export interface SegmentPlace {
  readonly segment: number;
  readonly offset: number;
}

/** A segment end past which nothing more is written: the next chunk begins the next segment. */
export const SEGMENT_CLOSED = Number.MAX_SAFE_INTEGER;

/** The end of the last chunk written: `{ segment: 0, end: 0 }` before the first. */
export interface SegmentEnd {
  readonly segment: number;
  readonly end: number;
}

export class LogSegments {
  readonly #dir: string;
  #reading: { readonly segment: number; readonly fd: number } | undefined;

  /** Segments of the store file `storeFile` live in `${storeFile}-logs`. */
  constructor(storeFile: string) {
    this.#dir = `${storeFile}-logs`;
  }

  /** How large a segment grows under the store's size limit: deleting one frees a sixteenth of it. */
  static segmentBytes(maxBytes: number): number {
    return Math.min(
      MAX_SEGMENT_BYTES,
      Math.max(MIN_SEGMENT_BYTES, Math.floor(maxBytes / SEGMENTS_PER_LIMIT)),
    );
  }

  /** Writes `bytes` right after `last`, or at the start of the next segment once `last`'s holds `segmentBytes`. */
  write(bytes: Uint8Array, last: SegmentEnd, segmentBytes: number): SegmentPlace {
    let place: SegmentPlace =
      last.segment === 0 || last.end >= segmentBytes
        ? { segment: last.segment + 1, offset: 0 }
        : { segment: last.segment, offset: last.end };
    let fd = this.#open(place);
    if (fd === undefined) {
      // The segment's file is gone (deleted by hand): what follows starts a segment of its own.
      place = { segment: place.segment + 1, offset: 0 };
      fd = this.#open(place) as number;
    }
    try {
      for (let written = 0; written < bytes.length; ) {
        written += writeSync(fd, bytes, written, bytes.length - written, place.offset + written);
      }
    } finally {
      closeSync(fd);
    }
    return place;
  }

  /** A chunk's bytes, or undefined when its segment is gone (dropped by retention since its row was read). */
  read(place: SegmentPlace, length: number): Buffer | undefined {
    if (this.#reading?.segment !== place.segment) {
      this.doneReading();
      const fd = unlessMissing(() => openSync(this.#file(place.segment), "r"));
      if (fd === undefined) return undefined;
      this.#reading = { segment: place.segment, fd };
    }
    const bytes = Buffer.allocUnsafe(length);
    const read = readSync(this.#reading.fd, bytes, 0, length, place.offset);
    return read === length ? bytes : undefined;
  }

  /** Deletes every segment before `segment`: those a crash left between dropping their rows and deleting them. */
  deleteBefore(segment: number): void {
    for (const name of unlessMissing(() => readdirSync(this.#dir)) ?? []) {
      const match = SEGMENT_NAME.exec(name);
      if (match && Number(match[1]) < segment) rmSync(join(this.#dir, name), { force: true });
    }
  }

  /** Deletes segments `from` to `through`, both included. */
  delete(from: number, through: number): void {
    for (let segment = from; segment <= through; segment++) {
      rmSync(this.#file(segment), { force: true });
    }
  }

  /** Closes the file the last reads were from: a segment deleted since then is gone from the disk only once closed. */
  doneReading(): void {
    if (this.#reading) closeSync(this.#reading.fd);
    this.#reading = undefined;
  }

  /**
   * The segment's file, open to write at `place`; undefined when a segment to continue has no file. Opened for
   * each chunk (a few times a second at most), so that a file deleted meanwhile is never written to.
   */
  #open(place: SegmentPlace): number | undefined {
    if (place.offset === 0) {
      mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
      // "w" empties a file a crash left behind under this number, with no row naming its bytes.
      return openSync(this.#file(place.segment), "w", 0o600);
    }
    return unlessMissing(() => openSync(this.#file(place.segment), "r+"));
  }

  #file(segment: number): string {
    return join(this.#dir, `${String(segment).padStart(10, "0")}.chunks`);
  }
}

/** What `act` returns, or undefined when the file or directory it names does not exist. */
function unlessMissing<T>(act: () => T): T | undefined {
  try {
    return act();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
