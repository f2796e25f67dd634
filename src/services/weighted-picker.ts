/**
 * Smooth weighted round-robin (as nginx balances upstreams): over any run of `total weight` picks each
 * entry is chosen exactly `weight` times, spread out rather than in bursts. A 90/10 split sends exactly
 * one request in ten to the 10 % revision, so a split is visible after a handful of requests.
 */
interface Entry<T> {
  readonly value: T;
  readonly weight: number;
  current: number;
}

export class WeightedPicker<T> {
  readonly #entries: Entry<T>[];
  readonly #total: number;

  /** `weights` are positive; at least one entry. */
  constructor(weights: ReadonlyArray<readonly [T, number]>) {
    this.#entries = weights.map(([value, weight]) => ({ value, weight, current: 0 }));
    this.#total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  }

  pick(): T | undefined {
    let best: Entry<T> | undefined;
    for (const entry of this.#entries) {
      entry.current += entry.weight;
      if (!best || entry.current > best.current) best = entry;
    }
    if (best) best.current -= this.#total;
    return best?.value;
  }
}
