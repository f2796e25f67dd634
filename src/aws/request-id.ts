/** The ids API Gateway stamps on each request: the 16-char request id, REST's UUID and the X-Ray trace id. */
import { randomFillSync, randomUUID } from "node:crypto";

/** Bytes drawn from the OS in one call and handed out in small slices, so an id costs no syscall. */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** Reserves `length` random bytes in `pool` and returns where they start. */
function takeRandomBytes(length: number): number {
  if (poolOffset + length > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += length;
  return start;
}

const REQUEST_ID_BYTES = 11;
const TRACE_RANDOM_BYTES = 12;

/** 11 random bytes in padded base64url: 16 chars ending in `=`, the shape of `LV7fzho-PHcEJPw=`. */
export function newApiGatewayRequestId(): string {
  const start = takeRandomBytes(REQUEST_ID_BYTES);
  return `${pool.toString("base64url", start, start + REQUEST_ID_BYTES)}=`;
}

/** A REST API's `requestContext.requestId` (and `x-amzn-RequestId`): a UUID, as captured. */
export function newRestRequestId(): string {
  return randomUUID();
}

/** `Root=1-{request time in epoch seconds, 8 hex}-{24 random hex}`, as in every captured event. */
export function newTraceId(epochMs: number): string {
  const start = takeRandomBytes(TRACE_RANDOM_BYTES);
  const seconds = Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, "0");
  return `Root=1-${seconds}-${pool.toString("hex", start, start + TRACE_RANDOM_BYTES)}`;
}
