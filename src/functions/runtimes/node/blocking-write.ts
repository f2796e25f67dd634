/**
 * Writes to the channel synchronously, as Lambda's Node.js runtime writes its logs to its telemetry
 * descriptor: a function that logs faster than Portico reads is held up until its data is out,
 * rather than piling it up in its own memory (where a log flood would end in an out-of-memory kill).
 * libuv made the descriptor non-blocking, so a full socket buffer is waited out here.
 */
import { writeSync } from "node:fs";

const pause = new Int32Array(new SharedArrayBuffer(4));
/** How long to wait for the reader when the socket buffer is full. */
const FULL_WAIT_MS = 1;

/** Writes all of `data` to `fd`, waiting while the reader catches up; throws if the reader is gone (EPIPE). */
export function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, FULL_WAIT_MS);
    }
  }
}
