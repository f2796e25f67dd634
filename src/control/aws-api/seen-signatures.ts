/**
 * The signatures accepted while they could still be replayed: a signature is good only while its
 * signing time is within the allowed clock skew, so it is remembered until then and no longer.
 * Bounded: when full of live signatures, it says so rather than forget one that could be replayed.
 */

/** What became of a signature offered to the memory. */
export type Sighting = "new" | "seen" | "full";

/** How often expired signatures are swept out. */
const SWEEP_INTERVAL_MS = 10_000;
/** How often a full memory looks for room, at most: each look walks every signature. */
const FULL_SWEEP_INTERVAL_MS = 1_000;

export class SeenSignatures {
  /** Signature → the time after which it can no longer be replayed (its signing time + the skew). */
  readonly #expiries = new Map<string, number>();
  readonly #capacity: number;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Records `signature` as used until `expiresAt`, unless it already was (a replay) or there is no room. */
  remember(signature: string, expiresAt: number, now: number): Sighting {
    const full = this.#expiries.size >= this.#capacity;
    if (now - this.#lastSweep >= (full ? FULL_SWEEP_INTERVAL_MS : SWEEP_INTERVAL_MS)) this.#sweep(now);
    const known = this.#expiries.get(signature);
    if (known !== undefined && known >= now) return "seen";
    // An expired entry not swept yet is overwritten in place: it takes no more room.
    if (known === undefined && this.#expiries.size >= this.#capacity) return "full";
    this.#expiries.set(signature, expiresAt);
    return "new";
  }

  #sweep(now: number): void {
    for (const [signature, expiresAt] of this.#expiries) {
      if (expiresAt < now) this.#expiries.delete(signature);
    }
    this.#lastSweep = now;
  }
}
