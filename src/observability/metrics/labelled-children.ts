/**
 * A metric's children by their label values, made once each. prom-client turns a child's labels into its key again
 * on every call, which costs more than the count itself on the request path (measured: about 1.5 µs per call
 * there), so the children made here count into batches of their own, which `flush` hands to prom-client before a
 * scrape reads it. Label values are bounded (names, route keys, status classes), so the children are too.
 */
import type { Counter, Histogram } from "prom-client";

/** Observations a histogram child keeps before it hands them over. */
const HISTOGRAM_BATCH = 256;

interface Batch {
  flush(): void;
}

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

/** Every batched child of a registry, so that a scrape sees every count made before it. */
export class MetricBatches {
  readonly #batches: Batch[] = [];

  counter(child: Counter.Internal): BatchedCounter {
    return this.#add(new BatchedCounter(child));
  }

  histogram(child: Histogram.Internal<string>): BatchedHistogram {
    return this.#add(new BatchedHistogram(child));
  }

  flush(): void {
    for (const batch of this.#batches) batch.flush();
  }

  #add<B extends Batch>(batch: B): B {
    this.#batches.push(batch);
    return batch;
  }
}

export class BatchedCounter implements Batch {
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

export class BatchedHistogram implements Batch {
  readonly #child: Histogram.Internal<string>;
  readonly #values = new Float64Array(HISTOGRAM_BATCH);
  #length = 0;

  constructor(child: Histogram.Internal<string>) {
    this.#child = child;
  }

  observe(value: number): void {
    this.#values[this.#length++] = value;
    if (this.#length === HISTOGRAM_BATCH) this.flush();
  }

  flush(): void {
    for (let i = 0; i < this.#length; i++) this.#child.observe(this.#values[i] as number);
    this.#length = 0;
  }
}
