/** Invocations waiting for an instance: first come, first served, each for a bounded time. */

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly timer: NodeJS.Timeout;
}

export class WaitQueue<T> {
  readonly #waiters: Waiter<T>[] = [];

  get length(): number {
    return this.#waiters.length;
  }

  /** Waits for `grant`; after `timeoutMs` leaves the queue and resolves with what `onTimeout` returns. */
  wait(timeoutMs: number, onTimeout: () => T): Promise<T> {
    return new Promise((resolve) => {
      const waiter: Waiter<T> = {
        resolve,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          resolve(onTimeout());
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Hands `value` to the longest waiter; false when nobody waits. */
  grant(value: T): boolean {
    const waiter = this.#waiters.shift();
    if (!waiter) return false;
    clearTimeout(waiter.timer);
    waiter.resolve(value);
    return true;
  }

  /** Resolves every waiter with `value` at once. */
  clear(value: T): void {
    while (this.grant(value));
  }
}
