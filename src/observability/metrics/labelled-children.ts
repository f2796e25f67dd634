/**
 * A metric's children by their label values, made once each. prom-client turns a child's labels into its key again
 * on every call, which costs more than the count itself on the request path (measured: about 1.5 µs per call
 * there), so the counters made here count into batches of their own, which `flush` hands to prom-client before a
 * scrape reads it; histograms are BucketHistogram series. Label values are bounded (names, route keys, status
 * classes), so the children are too.
 */
import type { Counter } from "prom-client";

export class LabelledChildren<Child> {
  readonly #make: (values: readonly string[], batches: MetricBatches) => Child;
  readonly #batches: MetricBatches;
  /** One map level per label, so a lookup builds no key: the values are the route's own, hashed once. */
  readonly #root = new Map<string, unknown>();

  constructor(batches: MetricBatches, make: (values: readonly string[], batches: MetricBatches) => Child) {
    this.#batches = batches;
    this.#make = make;
  }

  get(...values: string[]): Child {
    let level = this.#root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      const value = values[i] as string;
      let next = level.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(value, next);
      }
      level = next;
    }
    let child = level.get(values[last] as string) as Child | undefined;
    if (child === undefined) {
      child = this.#make(values, this.#batches);
      level.set(values[last] as string, child);
    }
    return child;
  }
}

/** Every batched counter of a registry, so that a scrape sees every count made before it. */
export class MetricBatches {
  readonly #counters: BatchedCounter[] = [];

  counter(child: Counter.Internal): BatchedCounter {
    const counter = new BatchedCounter(child);
    this.#counters.push(counter);
    return counter;
  }

  flush(): void {
    for (const counter of this.#counters) counter.flush();
  }
}

export class BatchedCounter {
  readonly #child: Counter.Internal;
  #count = 0;

  constructor(child: Counter.Internal) {
    this.#child = child;
  }

  inc(): void {
    this.#count++;
  }

  flush(): void {
    if (this.#count === 0) return;
    this.#child.inc(this.#count);
    this.#count = 0;
  }
}
