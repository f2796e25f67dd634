/**
 * API Gateway's throttling algorithm: a bucket of `burstLimit` tokens, refilled at `rateLimit` per second, one
 * token per request. Time is passed in, so the bucket is pure arithmetic.
 */
import type { ThrottleSpec } from "../model/index.js";

/** Refills add up fractions (ten 0.1s make 0.9999...), so a token that is whole but for rounding counts. */
const EPSILON = 1e-9;

export class TokenBucket {
  readonly #capacity: number;
  /** Tokens per millisecond. */
  readonly #refillPerMs: number;
  #tokens: number;
  #updatedAt: number;
  /** Requests refused since the bucket was made, for the log. */
  refused = 0;

  /** The bucket starts full at `nowMs`: a burst is allowed at once. */
  constructor(limit: ThrottleSpec, nowMs: number) {
    this.#capacity = limit.burstLimit;
    this.#refillPerMs = limit.rateLimit / 1000;
    this.#tokens = limit.burstLimit;
    this.#updatedAt = nowMs;
  }

  /** Takes a token for a request at `nowMs`; false (and counted) when there is none. */
  take(nowMs: number): boolean {
    const elapsed = nowMs - this.#updatedAt;
    // A clock that steps back refills nothing, rather than taking tokens away.
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#refillPerMs);
      this.#updatedAt = nowMs;
    }
    if (this.#tokens >= 1 - EPSILON) {
      this.#tokens -= 1;
      return true;
    }
    this.refused += 1;
    return false;
  }
}
